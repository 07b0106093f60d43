/**
 * A table body that holds only the rows in view: fixed-height rows between two spacer rows in a
 * scrolling box, redrawn on scroll (at most once a frame). Screen readers still get the whole
 * table's size and each row's place (aria-rowcount on the table, aria-rowindex on the rows);
 * find-in-page only sees the rows drawn, which the table says beside it.
 */
import { h } from './dom';

/** Height of one row in px: `.wp-vrows tr` in base.css sets the same. */
export const ROW_PX = 26;
/** Rows the box shows at once. */
export const VISIBLE_ROWS = 20;
/** Rows drawn above and below the view, so a fast scroll does not show blank space. */
const OVERSCAN = 10;

export interface VirtualRowsOptions {
  table: HTMLTableElement;
  body: HTMLTableSectionElement;
  count: number;
  columns: number;
  /** Where the box starts scrolled to (a redraw keeps the user's place). */
  scrollTop: number;
  /** The row whose link had the focus before a redraw, to focus again; null for none. */
  focus: number | null;
  /** The row at `index` (0-based), its first cell focusable when it has a link. */
  row(index: number): HTMLTableRowElement;
}

/** Wraps `table` in the scrolling box and draws the first window; returns the box. */
export function virtualRows(o: VirtualRowsOptions): HTMLElement {
  const box = h('div', { class: 'wp-vrows', tabindex: '0' }, o.table);
  box.style.maxHeight = `${ROW_PX * (VISIBLE_ROWS + 1)}px`;
  // The header row is row 1 for assistive technology; data rows are 2 … count + 1.
  o.table.setAttribute('aria-rowcount', String(o.count + 1));
  const top = spacer(o.columns);
  const bottom = spacer(o.columns);
  let drawn: [number, number] = [-1, -1];
  const draw = (): void => {
    const first = Math.max(0, Math.floor(box.scrollTop / ROW_PX) - OVERSCAN);
    const last = Math.min(o.count, first + VISIBLE_ROWS + 2 * OVERSCAN);
    if (first === drawn[0] && last === drawn[1]) return;
    drawn = [first, last];
    const focusedRow = focusedIndex(o.body);
    const frag = document.createDocumentFragment();
    frag.append(top);
    for (let i = first; i < last; i++) {
      const tr = o.row(i);
      tr.setAttribute('aria-rowindex', String(i + 2));
      tr.dataset.index = String(i);
      frag.append(tr);
    }
    frag.append(bottom);
    setHeight(top, first * ROW_PX);
    setHeight(bottom, (o.count - last) * ROW_PX);
    o.body.replaceChildren(frag);
    if (focusedRow !== null) focusRow(o.body, focusedRow);
  };
  let frame = 0;
  box.addEventListener('scroll', () => {
    if (frame === 0)
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw();
      });
  });
  // Arrow keys move between rows' links past the drawn window (Tab alone would leave the table).
  box.addEventListener('keydown', (e) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: VISIBLE_ROWS, PageUp: -VISIBLE_ROWS }[
      e.key
    ];
    const current = focusedIndex(o.body);
    if (step === undefined || current === null) return;
    e.preventDefault();
    const next = Math.min(o.count - 1, Math.max(0, current + step));
    // A row outside the drawn window is drawn first; focusing it scrolls it into view.
    if (o.body.querySelector(`tr[data-index="${next}"]`) === null) {
      box.scrollTop = Math.max(0, (next - VISIBLE_ROWS / 2) * ROW_PX);
      draw();
    }
    focusRow(o.body, next);
  });
  draw();
  if (o.scrollTop > 0 || o.focus !== null) {
    // The box is not in the page yet: scroll and focus once it is laid out.
    requestAnimationFrame(() => {
      box.scrollTop = o.scrollTop;
      draw();
      if (o.focus !== null) focusRow(o.body, o.focus);
    });
  }
  return box;
}

function spacer(columns: number): HTMLTableRowElement {
  const td = h('td', { colspan: String(columns) });
  return h('tr', { class: 'wp-vspacer', 'aria-hidden': 'true' }, td);
}

function setHeight(tr: HTMLTableRowElement, px: number): void {
  // CSSOM, not a style attribute: allowed under the strict CSP.
  tr.style.height = `${px}px`;
  tr.classList.toggle('wp-hidden', px === 0);
}

/** The data row index of the focused element inside `el`, if any. */
export function focusedIndex(el: Element): number | null {
  const active = document.activeElement;
  if (!active || !el.contains(active)) return null;
  const index = active.closest('tr')?.dataset.index;
  return index === undefined ? null : Number(index);
}

/** Focuses a drawn row's link, scrolling it into view (the nearest edge). */
function focusRow(body: HTMLElement, index: number): void {
  const el = body.querySelector<HTMLElement>(`tr[data-index="${index}"] button`);
  el?.focus({ preventScroll: true });
  el?.scrollIntoView({ block: 'nearest' });
}
