/// <reference lib="dom" />
/**
 * Whether the charts and tables of a page read well, judged from what was drawn rather than by
 * eye: every visible text element of each ECharts instance (zrender's display list), placed in
 * the chart's coordinates, must not overlap another, must lie inside the chart's box and its
 * clip rectangles, and must break lines only at spaces; table cells must not overflow or break a
 * word. Screenshots show the same, but a person has to look at them.
 */
import type { Page } from 'playwright-core';

/** A drawn text element, in the chart's pixels. */
export interface DrawnLabel {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutProblems {
  /** Per chart id, what is wrong with its labels (empty when nothing is). */
  charts: Record<string, string[]>;
  /** Table cells that overflow or break a word. */
  tables: string[];
  /** Labels drawn per chart, so a test can tell a chart that drew none. */
  labelCounts: Record<string, number>;
}

/**
 * Reads every chart on the page (window.__wpCharts) and every `.wp-table` cell. Runs in the
 * page; zrender's elements are read through the few members every version since 5 has.
 */
export async function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    interface Rect {
      x: number;
      y: number;
      width: number;
      height: number;
    }
    interface El {
      type?: string;
      ignore?: boolean;
      invisible?: boolean;
      parent?: El | null;
      style?: { text?: string; opacity?: number; font?: string };
      __clipPaths?: El[];
      getBoundingRect(): Rect;
      getComputedTransform(): number[] | null;
    }
    interface Chart {
      getWidth(): number;
      getHeight(): number;
      getZr(): { storage: { getDisplayList(update?: boolean): El[] } };
    }
    // A local rectangle through a 2-D affine matrix [a, b, c, d, e, f]: its bounding box.
    const globalRect = (r: Rect, m: number[] | null): Rect => {
      if (!m) return { x: r.x, y: r.y, width: r.width, height: r.height };
      const pts = [
        [r.x, r.y],
        [r.x + r.width, r.y],
        [r.x, r.y + r.height],
        [r.x + r.width, r.y + r.height],
      ].map(([x, y]) => [
        (m[0] as number) * (x as number) + (m[2] as number) * (y as number) + (m[4] as number),
        (m[1] as number) * (x as number) + (m[3] as number) * (y as number) + (m[5] as number),
      ]);
      const xs = pts.map((p) => p[0] as number);
      const ys = pts.map((p) => p[1] as number);
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
    };
    // zrender measures a line's height as the width of a CJK glyph, which a browser without
    // CJK fonts draws far too narrow: each line gets its font size's em box instead, about its
    // centre (lines are drawn with a middle baseline).
    const textRect = (spans: El[]): Rect => {
      let u: Rect | null = null;
      for (const s of spans) {
        const local = s.getBoundingRect();
        const em = Number(/(\d+(?:\.\d+)?)px/.exec(s.style?.font ?? '')?.[1] ?? local.height);
        const cy = local.y + local.height / 2;
        const fixed = { x: local.x, y: cy - em / 2, width: local.width, height: em };
        const g = globalRect(fixed, s.getComputedTransform());
        u = u
          ? {
              x: Math.min(u.x, g.x),
              y: Math.min(u.y, g.y),
              width: Math.max(u.x + u.width, g.x + g.width) - Math.min(u.x, g.x),
              height: Math.max(u.y + u.height, g.y + g.height) - Math.min(u.y, g.y),
            }
          : g;
      }
      return u ?? { x: 0, y: 0, width: 0, height: 0 };
    };
    // Half a pixel of slack: boxes that only touch, or round differently, do not count.
    const EPS = 0.5;
    const overlap = (a: Rect, b: Rect): boolean =>
      a.x + a.width - EPS > b.x &&
      b.x + b.width - EPS > a.x &&
      a.y + a.height - EPS > b.y &&
      b.y + b.height - EPS > a.y;
    const inside = (a: Rect, b: Rect): boolean =>
      a.x >= b.x - EPS &&
      a.y >= b.y - EPS &&
      a.x + a.width <= b.x + b.width + EPS &&
      a.y + a.height <= b.y + b.height + EPS;
    const round = (r: Rect): string =>
      `[${r.x.toFixed(0)},${r.y.toFixed(0)} ${r.width.toFixed(0)}×${r.height.toFixed(0)}]`;

    const charts = (window as unknown as { __wpCharts?: Record<string, Chart> }).__wpCharts ?? {};
    const out: {
      charts: Record<string, string[]>;
      tables: string[];
      labelCounts: Record<string, number>;
    } = { charts: {}, tables: [], labelCounts: {} };
    for (const [id, chart] of Object.entries(charts)) {
      const problems: string[] = [];
      const box: Rect = { x: 0, y: 0, width: chart.getWidth(), height: chart.getHeight() };
      // A text element draws its lines as child spans: group the spans under their text.
      const owners = new Map<El, El[]>();
      for (const el of chart.getZr().storage.getDisplayList(true)) {
        if (el.type !== 'tspan' && el.type !== 'text') continue;
        const owner = el.parent && el.parent.type === 'text' ? el.parent : el;
        const spans = owners.get(owner) ?? [];
        spans.push(el);
        owners.set(owner, spans);
      }
      const labels: (Rect & { text: string })[] = [];
      for (const [owner, spans] of owners) {
        if (owner.ignore || owner.invisible || owner.style?.opacity === 0) continue;
        const text = String(owner.style?.text ?? spans.map((s) => s.style?.text ?? '').join(''));
        if (text.trim() === '') continue;
        const r = textRect(spans);
        if (r.width === 0 || r.height === 0) continue;
        // Clip rectangles (a scrolling legend's page, a grid's clip): a label wholly outside one
        // is not shown; one cut by it is clipped.
        const clips = (spans[0]?.__clipPaths ?? []).map((c) =>
          globalRect(c.getBoundingRect(), c.getComputedTransform()),
        );
        if (clips.some((c) => !overlap(r, c))) continue;
        const label = { text, ...r };
        if (!inside(r, box)) problems.push(`"${text}" ${round(r)} is cut by the chart's edge`);
        for (const c of clips)
          if (!inside(r, c)) problems.push(`"${text}" ${round(r)} is clipped to ${round(c)}`);
        // Lines break at spaces only: the spans' lines joined must be the text, spaces at joins.
        const lines = spans.map((s) => s.style?.text ?? '').filter((l) => l !== '');
        if (lines.length > 1 && lines.join('') === text.replace(/\n/g, '')) {
          for (let i = 0; i + 1 < lines.length; i++) {
            const a = lines[i] as string;
            const b = lines[i + 1] as string;
            if (/\S$/.test(a) && /^\S/.test(b))
              problems.push(`"${text}" breaks mid-word: "${a}" / "${b}"`);
          }
        }
        labels.push(label);
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i] as Rect & { text: string };
          const b = labels[j] as Rect & { text: string };
          if (overlap(a, b))
            problems.push(`"${a.text}" ${round(a)} overlaps "${b.text}" ${round(b)}`);
        }
      }
      out.charts[id] = problems;
      out.labelCounts[id] = labels.length;
    }

    // Tables: no cell's text runs out of it, and a wrapped cell breaks between words only.
    for (const cell of Array.from(
      document.querySelectorAll<HTMLElement>('.wp-table th, .wp-table td'),
    )) {
      if (cell.offsetParent === null) continue;
      const text = (cell.textContent ?? '').trim();
      // The node column truncates long names with an ellipsis on purpose (the tooltip has them).
      const truncates = getComputedStyle(cell).textOverflow === 'ellipsis';
      if (!truncates && cell.scrollWidth > cell.clientWidth + 1)
        out.tables.push(`"${text}" overflows its cell (${cell.scrollWidth} > ${cell.clientWidth})`);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const s = n.textContent ?? '';
        for (const m of s.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(n, m.index ?? 0);
          range.setEnd(n, (m.index ?? 0) + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (tops.size > 1) out.tables.push(`"${text}" breaks inside the word "${m[0]}"`);
        }
      }
    }
    return out;
  });
}

/** The problems as one message per chart, for an assertion's text. */
export function describeProblems(p: LayoutProblems): string {
  const lines: string[] = [];
  for (const [id, list] of Object.entries(p.charts))
    for (const l of list) lines.push(`${id}: ${l}`);
  for (const l of p.tables) lines.push(`table: ${l}`);
  return lines.join('\n');
}
