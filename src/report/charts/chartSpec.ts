/**
 * What a chart builder returns, and the option pieces every chart shares. Builders are pure:
 * data and a resolved theme in, an ECharts option out (functions inside it, such as renderItem
 * and tooltip formatters, only read the data the builder closed over).
 */
import type { CustomSeriesOption, LineSeriesOption, RadarSeriesOption } from 'echarts/charts' with {
  'resolution-mode': 'import',
};
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  RadarComponentOption,
  TooltipComponentOption,
} from 'echarts/components' with { 'resolution-mode': 'import' };
import type { ComposeOption } from 'echarts/core' with { 'resolution-mode': 'import' };
import type { CustomSeriesRenderItem } from 'echarts' with { 'resolution-mode': 'import' };
import { formatCount } from '../../model/format';
import { withAlpha, isHighContrast, type ChartTheme } from './theme';

export type ChartOption = ComposeOption<
  | CustomSeriesOption
  | LineSeriesOption
  | RadarSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
  | RadarComponentOption
>;

/** What ECharts says was clicked (the subset of its event params the builders read). */
export interface ChartHit {
  componentType: string;
  seriesIndex?: number;
  dataIndex?: number;
  value?: unknown;
  seriesName?: string;
}

/** A legend the page draws in HTML above the chart (swatches the canvas legend cannot show). */
export interface LegendEntry {
  label: string;
  color: string;
  shape: 'bar' | 'thin' | 'line' | 'dash' | 'outline';
}

export interface ChartSpec {
  /** Stable id: the chart's container and the `rendered` message use it. */
  id: string;
  option: ChartOption;
  /** Height in CSS pixels the chart wants at the width it was built for. */
  height: number;
  /** Sentences shown under the chart: what was left out, what n/a means here. */
  notes: string[];
  legend: LegendEntry[];
  /** Nothing to draw: the page shows the notes instead of an empty chart. */
  empty: boolean;
  /** The node behind a clicked element, or null. */
  nodeAt(hit: ChartHit): string | null;
}

/** Layout input: the width the chart gets, in CSS pixels. */
export interface ChartSize {
  width: number;
}

/** Option keys every chart starts from: no animation (exact, fast, stable screenshots). */
export function baseOption(theme: ChartTheme): ChartOption {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.foreground, fontFamily: theme.fontFamily, fontSize: theme.fontSize },
    tooltip: tooltip(theme),
  };
}

/**
 * Tooltips drawn inside the canvas (richText), so no HTML is built from run data and no inline
 * style needs a CSP exception.
 */
export function tooltip(theme: ChartTheme): TooltipComponentOption {
  return {
    renderMode: 'richText',
    confine: true,
    backgroundColor: theme.tooltipBackground,
    borderColor: theme.tooltipBorder,
    borderWidth: 1,
    padding: [6, 10],
    textStyle: {
      color: theme.tooltipForeground,
      fontFamily: theme.fontFamily,
      fontSize: theme.fontSize,
    },
    transitionDuration: 0,
  };
}

export function axisStyle(theme: ChartTheme): {
  axisLine: { lineStyle: { color: string } };
  axisTick: { lineStyle: { color: string } };
  axisLabel: { color: string; fontSize: number; fontFamily: string };
  splitLine: { lineStyle: { color: string; width: number } };
} {
  const hc = isHighContrast(theme);
  return {
    axisLine: { lineStyle: { color: theme.lines } },
    axisTick: { lineStyle: { color: theme.lines } },
    axisLabel: { color: theme.muted, fontSize: theme.fontSize - 1, fontFamily: theme.fontFamily },
    splitLine: { lineStyle: { color: withAlpha(theme.lines, hc ? 0.6 : 0.3), width: 1 } },
  };
}

/**
 * Grids are laid out by the builders (label widths are known); ECharts 6's outer-bounds pass
 * would measure every axis label again, thousands of them on a large run.
 */
export const FIXED_GRID = { outerBoundsMode: 'none' } as const;

/** Rough width of text in px, for fitting labels without measuring (no DOM here). */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.6;
}

/** Width for y-axis node labels: fits the longest label, within bounds. */
export function labelWidth(labels: readonly string[], fontSize: number, max = 220): number {
  let longest = 0;
  for (const l of labels) longest = Math.max(longest, [...l].length);
  return Math.round(Math.min(max, Math.max(60, longest * fontSize * 0.62 + 14)));
}

/** The coordinate system rectangle a custom series draws in (present at run time). */
export interface GridRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function gridRectOf(coordSys: unknown): GridRect | null {
  const c = coordSys as Partial<GridRect> | null;
  if (!c || typeof c.x !== 'number' || typeof c.y !== 'number') return null;
  return { x: c.x, y: c.y, width: c.width ?? 0, height: c.height ?? 0 };
}

/** A rectangle clipped to the grid (null when nothing of it is inside). */
export function clipRect(
  r: { x: number; y: number; width: number; height: number },
  g: GridRect | null,
): { x: number; y: number; width: number; height: number } | null {
  if (!g) return r;
  const x1 = Math.max(r.x, g.x);
  const y1 = Math.max(r.y, g.y);
  const x2 = Math.min(r.x + r.width, g.x + g.width);
  const y2 = Math.min(r.y + r.height, g.y + g.height);
  if (x2 < x1 || y2 < y1) return null;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/**
 * A renderItem whose root is always a group that replaces its children on every draw. ECharts
 * otherwise merges an item's new elements into its old ones by index, and an element whose type
 * changed (n/a text before, a bar now, as live updates arrive) is left undrawn.
 */
export function groupRoot(render: CustomSeriesRenderItem): CustomSeriesRenderItem {
  return (params, api) => {
    const el = render(params, api);
    const children = !el ? [] : el.type === 'group' ? (el.children ?? []) : [el];
    return { type: 'group', $mergeChildren: false, children };
  };
}

/** Number with thousands separators for notes: `2,000` (no Intl: its first use is slow). */
export function count(n: number): string {
  return formatCount(n);
}
