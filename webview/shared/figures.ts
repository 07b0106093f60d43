/** A row of headline figures (a `<dl>`): label, value, and the exact value on hover. */
import type { Figure } from '../../src/report/charts/summary';
import { clear, h } from './dom';

export function renderFigures(dl: HTMLElement, figures: readonly Figure[]): void {
  clear(dl);
  for (const f of figures) {
    dl.append(
      h(
        'div',
        { class: 'wp-figure', title: f.detail },
        h('dt', { text: f.label }),
        h('dd', { text: f.value }),
      ),
    );
  }
}
