/**
 * The page skeleton both panels share: a header, a "waiting" line until data arrives, and a
 * declarative list of chart sections (cards with a heading, a one-line explanation and a body).
 */
import { h, replace } from './dom';

export interface SectionSpec {
  /** `sec-<id>` is the card's element id (tests and `focusNode` scroll to it). */
  id: string;
  heading: string;
  about: string;
  body: readonly (Node | null)[];
}

export function sectionCard(s: SectionSpec): HTMLElement {
  return h(
    'section',
    { class: 'wp-card', id: `sec-${s.id}`, 'aria-labelledby': `h-${s.id}` },
    h(
      'div',
      { class: 'wp-card-head' },
      h('h2', { id: `h-${s.id}`, text: s.heading }),
      h('p', { class: 'wp-about', text: s.about }),
    ),
    ...s.body,
  );
}

/** A row of form controls above a chart. */
export function controls(...items: (Node | string)[]): HTMLElement {
  return h('div', { class: 'wp-controls' }, ...items);
}

export interface PageSkeleton {
  /** The page's root (#app); its width changes trigger redraws. */
  app: HTMLElement;
  /** Hides the waiting line and shows the sections (idempotent). */
  showContent(): void;
  /** Replaces the waiting line with why there is nothing to show. */
  showNoData(text: string): void;
}

export function pageSkeleton(
  header: HTMLElement,
  waitingText: string,
  sections: readonly SectionSpec[],
): PageSkeleton {
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  const waiting = h('p', { class: 'wp-waiting', text: waitingText });
  const content = h('main', { class: 'wp-main wp-hidden' }, ...sections.map(sectionCard));
  app.append(header, waiting, content);
  return {
    app,
    showContent: () => {
      waiting.classList.add('wp-hidden');
      content.classList.remove('wp-hidden');
    },
    showNoData: (text) => replace(waiting, text),
  };
}
