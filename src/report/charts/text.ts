/**
 * Text that workflows provide (node ids, types, tags, metric names, reasons) goes into canvas
 * text that ECharts parses as rich text: `{style|text}` picks a style. A node named `{a|b}` must
 * print as `{a|b}`, so every such string goes through `richText` before it reaches a label or a
 * tooltip. Canvas text is never HTML, so markup like `<img onerror>` is inert there; the DOM side
 * uses textContent.
 */

/**
 * Neutralises ECharts rich-text markup: a style token needs `{` directly followed by a name, so a
 * zero-width space after each `{` breaks every token while printing the same characters. `}` and
 * `|` only mean something inside a token, and no token can start in the escaped text; they are
 * kept as they are.
 */
export function richText(s: string): string {
  return s.replace(/\{/g, '{\u200b');
}

/** Shortens to `max` characters with an ellipsis in the middle, keeping both ends readable. */
export function middleEllipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep * 0.6);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

/** A node id as an axis label: shortened, indented by nesting depth, escaped. */
export function nodeLabel(nodeId: string, depth = 0, max = 28): string {
  const indent = depth > 0 ? `${'  '.repeat(depth - 1)}↳ ` : '';
  // A nested node's id repeats its parent's (`archive/pack`): the tail is what tells rows apart.
  const shown = depth > 0 ? (nodeId.split('/').pop() ?? nodeId) : nodeId;
  return richText(indent + middleEllipsis(shown, max - indent.length));
}

/** Tooltip lines: `label  value` pairs under a title, all escaped. */
export function tooltipLines(title: string, rows: [string, string][]): string {
  return [richText(title), ...rows.map(([k, v]) => `${richText(k)}: ${richText(v)}`)].join('\n');
}

/**
 * Orders strings by code unit: stable across machines and fast (localeCompare goes through ICU,
 * whose first use costs tens of milliseconds in a fresh page).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
