/**
 * A sortable table built with textContent only. Large tables draw the first rows and a
 * "Show all" button, so a 2,000-node run does not stall the first paint; "Show all" then draws
 * only the rows in view (virtualRows).
 */
import { formatCount } from '../../src/model/format';
import { clear, h } from './dom';
import { focusedIndex, virtualRows } from './virtualRows';

export interface Column<R> {
  key: string;
  label: string;
  /** Header hover: what the column means. */
  title?: string;
  numeric?: boolean;
  sortable?: boolean;
  text(r: R): string;
  /** Cell hover: the exact value. */
  exact?(r: R): string;
  /** Extra class for the cell (e.g. n/a, regression). */
  cellClass?(r: R): string | null;
  /** A class for a badge: the cell's text is drawn inside a span of that class. */
  badge?(r: R): string | null;
}

export interface TableOptions<R> {
  columns: Column<R>[];
  /** Rows drawn before "Show all". */
  cap: number;
  caption: string;
  onSort?(key: string): void;
  /** A node to reveal when the row's first cell is activated. */
  nodeOf?(r: R): string | null;
  onNode?(nodeId: string): void;
}

export class DataTable<R> {
  readonly root: HTMLElement;
  private showAll = false;
  private rows: readonly R[] = [];
  private sort: { key: string; descending: boolean } | null = null;
  private drawnSort = '';

  constructor(private readonly opts: TableOptions<R>) {
    this.root = h('div', { class: 'wp-table-wrap' });
  }

  render(rows: readonly R[], sort: { key: string; descending: boolean } | null): void {
    this.rows = rows;
    this.sort = sort;
    this.draw();
  }

  private draw(): void {
    const { columns, cap } = this.opts;
    // A live redraw keeps the scrolled rows and the focused one; a new sort starts at the top.
    const sortNow = JSON.stringify(this.sort);
    const box = sortNow === this.drawnSort ? this.root.querySelector('.wp-vrows') : null;
    const keep = box ? { scrollTop: box.scrollTop, focus: focusedIndex(box) } : null;
    this.drawnSort = sortNow;
    clear(this.root);
    const table = h(
      'table',
      { class: 'wp-table' },
      h('caption', { class: 'wp-sr-only', text: this.opts.caption }),
    );
    const headRow = h('tr');
    for (const c of columns) {
      const active = this.sort?.key === c.key;
      const th = h('th', {
        scope: 'col',
        class: c.numeric ? 'num' : null,
        title: c.title ?? null,
        'aria-sort': active ? (this.sort?.descending ? 'descending' : 'ascending') : null,
      });
      if (c.sortable !== false && this.opts.onSort) {
        const arrow = active ? (this.sort?.descending ? ' ▼' : ' ▲') : '';
        const b = h('button', { class: 'wp-sort', type: 'button', text: c.label + arrow });
        b.addEventListener('click', () => this.opts.onSort?.(c.key));
        th.append(b);
      } else th.textContent = c.label;
      headRow.append(th);
    }
    table.append(h('thead', {}, headRow));
    const body = h('tbody');
    table.append(body);
    // Past the cap, "Show all" keeps only the rows in view in the page (thousands of rows).
    if (this.showAll && this.rows.length > cap) {
      this.root.append(
        virtualRows({
          table,
          body,
          count: this.rows.length,
          columns: columns.length,
          scrollTop: keep?.scrollTop ?? 0,
          focus: keep?.focus ?? null,
          row: (i) => this.rowOf(this.rows[i] as R),
        }),
        h('p', {
          class: 'wp-more',
          text: `All ${formatCount(this.rows.length)} rows; only those in view are in the page, so find-in-page sees those alone: sort the table or scroll it to find a row.`,
        }),
      );
      return;
    }
    const shown = this.showAll ? this.rows : this.rows.slice(0, cap);
    const frag = document.createDocumentFragment();
    for (const r of shown) frag.append(this.rowOf(r));
    body.append(frag);
    this.root.append(table);
    if (shown.length < this.rows.length) {
      const more = h('button', {
        class: 'wp-button wp-secondary',
        type: 'button',
        text: `Show all ${formatCount(this.rows.length)} rows`,
      });
      more.addEventListener('click', () => {
        this.showAll = true;
        this.draw();
      });
      this.root.append(
        h(
          'p',
          { class: 'wp-more' },
          `Showing ${shown.length} of ${formatCount(this.rows.length)}. `,
          more,
        ),
      );
    }
  }

  private rowOf(r: R): HTMLTableRowElement {
    const tr = h('tr');
    this.opts.columns.forEach((c, i) => {
      const cls = [c.numeric ? 'num' : '', c.cellClass?.(r) ?? ''].filter(Boolean).join(' ');
      const td = h('td', { class: cls || null, title: c.exact ? c.exact(r) : null });
      const nodeId = i === 0 ? (this.opts.nodeOf?.(r) ?? null) : null;
      if (nodeId !== null && this.opts.onNode) {
        const b = h('button', {
          class: 'wp-link',
          type: 'button',
          text: c.text(r),
          title: `Reveal ${nodeId} in the workflow file`,
        });
        b.addEventListener('click', () => this.opts.onNode?.(nodeId));
        td.append(b);
      } else {
        const badge = c.badge?.(r) ?? null;
        if (badge !== null) td.append(h('span', { class: badge, text: c.text(r) }));
        else td.textContent = c.text(r);
      }
      tr.append(td);
    });
    return tr;
  }
}

/** A run's or node's status, coloured by the shared `status-<status>` classes. */
export function statusColumn<R>(status: (r: R) => string): Column<R> {
  return {
    key: 'status',
    label: 'Status',
    text: status,
    cellClass: (r) => `status status-${status(r)}`,
  };
}

/** The first column of a table of nodes: the id, a button revealing the node (see nodeOf). */
export function nodeColumn<R extends { nodeId: string }>(): Column<R> {
  return { key: 'nodeId', label: 'Node', text: (r) => r.nodeId };
}

/** A table with one row per node: `columns` follow the node's id, which reveals the node. */
export function nodeRowsTable<R extends { nodeId: string }>(
  opts: Omit<TableOptions<R>, 'nodeOf' | 'onNode'> & { onNode(nodeId: string): void },
): DataTable<R> {
  return new DataTable<R>({
    ...opts,
    columns: [nodeColumn<R>(), ...opts.columns],
    nodeOf: (r) => r.nodeId,
  });
}
