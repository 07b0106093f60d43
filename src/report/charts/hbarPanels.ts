/**
 * Side-by-side horizontal bar panels sharing one node per row: the layout of the resource and
 * I/O charts. Each panel has its own value axis (its own unit and scale); a value that was not
 * measured prints `n/a` where its bar would start, never a zero-length bar.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import {
  axisStyle,
  baseOption,
  textWidth,
  type ChartOption,
  type ChartSpec,
  FIXED_GRID,
} from './chartSpec';
import { nodeLabelColumn, rowBands, scaleAxis } from './axes';
import type { NodeRow } from './dashboardModel';
import { nodeAtRows } from './rowHits';
import { rowSeries } from './rowSeries';
import { textOn, type ChartTheme } from './theme';
import { nodeLabel, richText } from './text';
import { niceScale } from './units';
import { nodeTooltip } from './tooltipText';
import { itemTooltip } from './tooltips';

export interface HBarPanel {
  title: string;
  /** The title where the panel is too narrow for `title`. */
  shortTitle?: string;
  /**
   * One value per row; a pair draws a mirrored bar (first leftwards, second rightwards), e.g.
   * read against write.
   */
  values: (number | null)[] | [number | null, number | null][];
  /** Value as printed at the bar's end. */
  format: (v: number) => string;
  /** Fewer figures, where `format`'s labels would crowd a narrow panel (the tooltip is exact). */
  short?: (v: number) => string;
  /** Short axis tick. */
  axis: (v: number) => string;
  color: string | [string, string];
  /** Tick steps: bytes get binary units. */
  scale?: 'decimal' | 'bytes';
}

export interface HBarLayout {
  width: number;
  labelWidth: number;
  rowPx: number;
}

export const HBAR_TOP = 46;
export const HBAR_BOTTOM = 8;

export function hbarHeight(rows: number, rowPx: number): number {
  return HBAR_TOP + HBAR_BOTTOM + Math.max(1, rows) * rowPx;
}

/** Width of the label column: fits the longest node label, up to 200 px (less when narrow). */
export function hbarLabelWidth(
  rows: readonly NodeRow[],
  theme: ChartTheme,
  chartWidth: number,
): number {
  return nodeLabelColumn(
    rows.map((r) => r.nodeId),
    theme,
    chartWidth,
  ).width;
}

/** Below this panel width the gap between panels narrows (their titles have shorter forms). */
const NARROW_PANEL_PX = 130;
/** Most of a panel a value label is given room for (the bar keeps the rest). */
const MAX_LABEL_SHARE = 0.65;
/** A panel's value labels may take this share of it at most before the short format is used. */
const LABEL_SHARE = 0.4;

/** Each panel's values as printed: `format`, or `short` when `format` would crowd the panel. */
export function panelFormat(p: HBarPanel, panelW: number, fs: number): (v: number) => string {
  if (!p.short) return p.format;
  let widest = 0;
  for (const v of p.values)
    for (const x of Array.isArray(v) ? v : [v])
      if (x !== null) widest = Math.max(widest, textWidth(p.format(x), fs));
  // A mirrored panel has two labels a row, one in each half.
  const side = isMirrored(p) ? panelW / 2 : panelW;
  return widest + 8 > side * LABEL_SHARE ? p.short : p.format;
}

/**
 * The value range a panel's axis must span so that every bar's label fits beside the bar's end
 * inside the panel: the data's range widened by each label's width in value units (the margin
 * is computed from the labels, so no label runs into the next panel or off the chart).
 * Mirrored panels stay symmetric about 0; elsewhere a negative bar's label may sit right of the
 * origin, so only the right side is widened. A label gets at most MAX_LABEL_SHARE of the panel,
 * so the longest bar keeps a third of it.
 */
export function labelledRange(
  values: HBarPanel['values'],
  label: (v: number) => number,
  panelW: number,
): { lo: number; hi: number } {
  const points: number[] = [];
  let mirrored = false;
  for (const v of values) {
    if (Array.isArray(v)) {
      mirrored = true;
      if (v[0] !== null) points.push(-Math.abs(v[0]));
      if (v[1] !== null) points.push(Math.abs(v[1]));
    } else if (v !== null) points.push(v);
  }
  let lo = Math.min(0, ...points);
  let hi = Math.max(0, ...points);
  if (mirrored) lo = -(hi = Math.max(hi, -lo));
  if (hi === lo) return { lo, hi };
  const room = points.map((v) => ({
    v,
    px: Math.min(panelW * MAX_LABEL_SHARE * (mirrored ? 0.5 : 1), label(Math.abs(v)) + 8),
  }));
  // The margin depends on the scale it widens: a few rounds of fixed-point iteration settle it
  // (each round leaves the labels' share of the gap, at most MAX_LABEL_SHARE of it).
  for (let i = 0; i < 60; i++) {
    const perPx = (hi - lo) / panelW;
    let nextLo = lo;
    let nextHi = hi;
    for (const { v, px } of room) {
      if (v >= 0) nextHi = Math.max(nextHi, v + px * perPx);
      if (mirrored && v <= 0) nextLo = Math.min(nextLo, v - px * perPx);
      // A single negative value's label goes right of the origin, where its row has nothing.
      if (!mirrored && v < 0) nextHi = Math.max(nextHi, px * perPx);
    }
    if (mirrored) nextLo = -(nextHi = Math.max(nextHi, -nextLo));
    if (nextLo === lo && nextHi === hi) break;
    lo = nextLo;
    hi = nextHi;
  }
  return { lo, hi };
}

/** `nodeAt` of the panels: the y axis names a node, and bar i in every panel is row i. */
export function hbarNodeAt(rows: readonly NodeRow[]): ChartSpec['nodeAt'] {
  return nodeAtRows(rows.map((r) => r.nodeId));
}

export function hbarOption(
  rows: readonly NodeRow[],
  panels: readonly HBarPanel[],
  theme: ChartTheme,
  layout: HBarLayout,
): ChartOption {
  const fs = theme.fontSize;
  const ax = axisStyle(theme);
  const right = 12;
  const usableAt = (gap: number): number =>
    Math.max(120, layout.width - layout.labelWidth - right - gap * (panels.length - 1));
  const gap = usableAt(26) / panels.length < NARROW_PANEL_PX ? 16 : 26;
  const panelW = usableAt(gap) / panels.length;
  const formats = panels.map((p) => panelFormat(p, panelW, fs - 1));
  // A title wider than its panel (and the gap after it) takes its short form, and is cut short
  // with an ellipsis rather than run into the next one.
  const titleRoom = panelW + gap - 8;
  const titleOf = (p: HBarPanel): string =>
    textWidth(p.title, fs) * 1.1 <= titleRoom ? p.title : (p.shortTitle ?? p.title);
  const labels = rows.map((r) => nodeLabel(r.nodeId, 0));

  const grids = panels.map((_, i) => ({
    ...FIXED_GRID,
    left: layout.labelWidth + i * (panelW + gap),
    width: panelW,
    top: HBAR_TOP,
    bottom: HBAR_BOTTOM,
  }));

  const xAxes = panels.map((p, i) => {
    const mirrored = isMirrored(p);
    const fmt = formats[i] as (v: number) => string;
    const { lo, hi } = labelledRange(p.values, (v) => textWidth(richText(fmt(v)), fs - 1), panelW);
    const ticks = Math.max(2, Math.min(4, Math.floor(panelW / 80)));
    const nice = niceScale(lo, hi, ticks, p.scale);
    if (mirrored) nice.min = -nice.max;
    // Nothing measured in this panel: an empty scale, no ticks pretending a unit.
    const blank = nice.max === 0 && nice.min === 0;
    if (blank) nice.max = 1;
    return {
      type: 'value' as const,
      gridIndex: i,
      position: 'top' as const,
      min: nice.min,
      max: nice.max,
      interval: nice.interval,
      name: titleOf(p),
      nameLocation: 'middle' as const,
      nameGap: 26,
      nameTextStyle: {
        color: theme.foreground,
        fontSize: fs,
        fontWeight: 'bold' as const,
        width: titleRoom,
        overflow: 'truncate' as const,
      },
      // Edge ticks inside their panel, so neighbouring panels' ticks never touch.
      ...scaleAxis(theme, {
        showLabels: !blank,
        formatter: (v: number) => p.axis(mirrored ? Math.abs(v) : v),
      }),
    };
  });

  const yAxes = panels.map((_, i) => ({
    type: 'category' as const,
    gridIndex: i,
    data: rows.map((r) => r.nodeId),
    inverse: true,
    triggerEvent: i === 0,
    axisTick: { show: false },
    axisLine: { show: i === 0, lineStyle: ax.axisLine.lineStyle },
    axisLabel: {
      show: i === 0,
      color: theme.foreground,
      fontSize: fs,
      fontFamily: theme.fontFamily,
      width: layout.labelWidth - 10,
      overflow: 'truncate' as const,
      interval: 0,
      formatter: (_v: string, j: number) => labels[j] ?? '',
    },
    splitArea: rowBands(theme, 0.03),
  }));

  const series = panels.map((p, i) => {
    const fmt = formats[i] as (v: number) => string;
    const mirrored = isMirrored(p);
    const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
      const r = params.dataIndex;
      const v = p.values[r];
      const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? layout.rowPx;
      const h = Math.max(4, Math.min(16, band * 0.62));
      const origin = api.coord([0, r]);
      const ox = origin[0] as number;
      const y = origin[1] as number;
      const font = `${fs - 1}px ${theme.fontFamily}`;
      const na = (
        x: number,
        align: 'left' | 'right' | 'center',
      ): NonNullable<CustomSeriesRenderItemReturn> => ({
        type: 'text',
        x,
        y,
        silent: true,
        style: {
          text: 'n/a',
          fill: theme.muted,
          font: `italic ${font}`,
          verticalAlign: 'middle',
          align,
        },
      });
      /** A bar of `value`'s size on `side` of the origin, labelled with `value` as it is. */
      const bar = (
        value: number,
        color: string,
        side: 1 | -1,
      ): NonNullable<CustomSeriesRenderItemReturn>[] => {
        const end = api.coord([side * Math.abs(value), r])[0] as number;
        const x = Math.min(ox, end);
        const w = Math.max(value === 0 ? 0 : 1.5, Math.abs(end - ox));
        const text = richText(fmt(value));
        const tw = textWidth(text, fs - 1);
        const growsRight = side > 0;
        const out: NonNullable<CustomSeriesRenderItemReturn>[] = [
          {
            type: 'rect',
            shape: { x, y: y - h / 2, width: w, height: h, r: 1.5 },
            style: { fill: color },
          },
        ];
        const g = grids[i] as { left: number };
        // The value beside the bar's end (the scale leaves room for it); a single negative bar's
        // right of the origin (its row is empty there); else inside the bar. Never left of a
        // left-aligned origin (the node labels, the previous panel) or over a mirrored bar.
        const room = growsRight ? g.left + panelW - (x + w) : x - g.left;
        const label = (
          lx: number,
          align: 'left' | 'right',
          fill: string,
        ): NonNullable<CustomSeriesRenderItemReturn> => ({
          type: 'text',
          x: lx,
          y,
          silent: true,
          style: { text, fill, font, verticalAlign: 'middle', align },
        });
        if (room >= tw + 6) {
          out.push(
            growsRight
              ? label(x + w + 4, 'left', theme.foreground)
              : label(x - 4, 'right', theme.foreground),
          );
        } else if (!growsRight && !mirrored && g.left + panelW - ox >= tw + 6) {
          out.push(label(ox + 4, 'left', theme.foreground));
        } else if (w >= tw + 8) {
          out.push(
            growsRight
              ? label(x + w - 4, 'right', textOn(color))
              : label(x + 4, 'left', textOn(color)),
          );
        }
        return out;
      };
      if (Array.isArray(v)) {
        const [a, b] = v;
        const [ca, cb] = Array.isArray(p.color) ? p.color : [p.color, p.color];
        const children: NonNullable<CustomSeriesRenderItemReturn>[] = [];
        children.push(...(a === null ? [na(ox - 4, 'right')] : bar(a, ca, -1)));
        children.push(...(b === null ? [na(ox + 4, 'left')] : bar(b, cb, 1)));
        return { type: 'group', children };
      }
      if (v === null || v === undefined) return na(ox + 4, 'left');
      const c = Array.isArray(p.color) ? (v < 0 ? p.color[0] : p.color[1]) : p.color;
      return { type: 'group', children: bar(v, c, v < 0 ? -1 : 1) };
    };
    return {
      name: p.title,
      xAxisIndex: i,
      yAxisIndex: i,
      ...rowSeries(render, rows.length),
    };
  });

  return {
    ...baseOption(theme),
    tooltip: itemTooltip(theme, (hit) => {
      const row = rows[hit.dataIndex ?? -1];
      return row ? nodeTooltip(row, row.final) : '';
    }),
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
}

function isMirrored(p: HBarPanel): boolean {
  return p.values.some((v) => Array.isArray(v));
}
