/**
 * Heatmap of nodes × metrics. Each metric (column) is normalised on its own, from 0 (or its
 * lowest value, when negative) to its largest, so a column shows which nodes dominate that
 * metric; cells print a short value when they have room and the tooltip gives the exact one.
 * Not-measured cells are outlined and read n/a.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import { formatPercent } from '../../model/format';
import { metricDef, type MetricKind } from '../../model/metrics';
import { nodeLabelColumn, nodeRowsAxis } from './axes';
import {
  axisStyle,
  baseOption,
  count,
  textWidth,
  type ChartSize,
  type ChartSpec,
  FIXED_GRID,
  groupRoot,
} from './chartSpec';
import type { DashboardModel, NodeMetric, NodeRow } from './dashboardModel';
import { hasStarted, sortRows, TABLE_METRICS } from './dashboardModel';
import { mix, textOn, withAlpha, type ChartTheme } from './theme';
import { metricColor } from './colors';
import { tooltipLines } from './text';
import { rowNodeAt } from './rowHits';
import { itemTooltip } from './tooltips';
import { nodeTitle } from './tooltipText';
import {
  axisBytes,
  axisCount,
  axisMs,
  compactBytes,
  compactMs,
  compactPercent,
  exactMs,
} from './units';

export interface HeatmapOptions extends ChartSize {
  maxRows?: number;
}

interface Column {
  metric: NodeMetric;
  label: string;
  exact: (v: number) => string;
  short: (v: number) => string;
  /** Three figures, for a cell too narrow for `short`. */
  compact: (v: number) => string;
}

/** The metrics of the node table, duration first: the rows are ranked by it. */
export const HEATMAP_METRICS: readonly NodeMetric[] = [
  'durationMs',
  ...TABLE_METRICS.filter((k) => k !== 'durationMs'),
];

/** Compact cell text by kind; the exact value (tooltip) is the table's formatter. */
const SHORT: Readonly<Record<MetricKind, (v: number) => string>> = {
  time: axisMs,
  bytes: axisBytes,
  percent: (v) => formatPercent(v, 0),
  count: axisCount,
};

const COMPACT: Readonly<Record<MetricKind, (v: number) => string>> = {
  time: compactMs,
  bytes: (v) => compactBytes(v),
  percent: compactPercent,
  count: axisCount,
};

export const HEATMAP_COLUMNS: readonly Column[] = HEATMAP_METRICS.map((metric) => {
  const m = metricDef(metric);
  return {
    metric,
    label: m.label,
    exact:
      m.kind === 'time'
        ? exactMs
        : m.kind === 'percent'
          ? (v: number) => `${m.format(v)} of one core`
          : (v: number) => m.format(v),
    short: SHORT[m.kind],
    compact: COMPACT[m.kind],
  };
});

export const HEATMAP_MAX_ROWS = 40;
const ROW_PX = 22;

/** Per column, the value range the colours span: [low, high] with 0 always inside. */
export function columnRanges(rows: readonly NodeRow[]): [number, number][] {
  return HEATMAP_COLUMNS.map((c) => {
    let lo = 0;
    let hi = 0;
    for (const r of rows) {
      const v = r.metrics[c.metric];
      if (v === null) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return [lo, hi];
  });
}

/** A value's place in its column's range, 0..1 (0 when the column is all one value). */
export function normalise(v: number, range: [number, number]): number {
  const [lo, hi] = range;
  return hi > lo ? (v - lo) / (hi - lo) : 0;
}

/** Narrowest column: its header's longest word fits (no mid-word breaks), and a short value. */
const MIN_COL_PX = 56;
const BAND_GAP = 16;

/**
 * Columns per band: all of them in one band when each gets at least the widest header word
 * (and MIN_COL_PX); else the columns wrap into stacked bands of nearly equal size, each band
 * with the node labels again, so a narrow panel keeps every header whole and every value shown.
 */
export function heatmapBands(plotWidth: number, fs: number): number[][] {
  let word = 0;
  for (const c of HEATMAP_COLUMNS)
    for (const w of c.label.split(' ')) word = Math.max(word, textWidth(w, fs));
  const minCol = Math.max(MIN_COL_PX, Math.ceil(word + 10));
  const fit = Math.max(1, Math.floor(plotWidth / minCol));
  const bands = Math.ceil(HEATMAP_COLUMNS.length / fit);
  // As even as can be: the first bands take one column more when the count does not divide.
  const base = Math.floor(HEATMAP_COLUMNS.length / bands);
  const extra = HEATMAP_COLUMNS.length % bands;
  const out: number[][] = [];
  let next = 0;
  for (let b = 0; b < bands; b++) {
    const size = base + (b < extra ? 1 : 0);
    out.push(HEATMAP_COLUMNS.map((_, c) => c).slice(next, next + size));
    next += size;
  }
  return out;
}

/** Lines a header takes when wrapped at spaces into `width` (estimated text widths). */
export function headerLines(label: string, width: number, fs: number): number {
  let lines = 1;
  let line = '';
  for (const w of label.split(' ')) {
    const next = line === '' ? w : `${line} ${w}`;
    if (line !== '' && textWidth(next, fs) > width) {
      lines++;
      line = w;
    } else line = next;
  }
  return lines;
}

export function heatmapChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: HeatmapOptions,
): ChartSpec {
  const all = model.rows.filter((r) => hasStarted(r) && !r.isContainer);
  const ranked = sortRows(all, 'durationMs', true);
  const rows = ranked.slice(0, opts.maxRows ?? HEATMAP_MAX_ROWS);
  // Ranges over every node, so a colour means the same whatever subset is drawn.
  const ranges = columnRanges(all);
  const fs = theme.fontSize;
  const ids = rows.map((r) => r.nodeId);
  const { labels, width: left } = nodeLabelColumn(ids, theme, opts.width);
  const plotW = Math.max(24, opts.width - left - 12);
  const bands = heatmapBands(plotW, fs - 1);
  const perBand = Math.max(...bands.map((b) => b.length));
  const colW = Math.max(24, plotW / perBand);
  // Each band's header is as tall as its longest wrapped label; the grid starts below it.
  const lineH = fs + 2;
  const headerH = bands.map(
    (b) =>
      12 +
      lineH *
        Math.max(...b.map((c) => headerLines(HEATMAP_COLUMNS[c]?.label ?? '', colW - 8, fs - 1))),
  );
  const bodyH = Math.max(1, rows.length) * ROW_PX;
  const tops: number[] = [];
  let y = 0;
  for (const h of headerH) {
    tops.push(y + h);
    y += h + bodyH + BAND_GAP;
  }
  const height = y - BAND_GAP + 6;
  // Per band, one cell per node × column: [column within the band, row].
  const bandData: [number, number][][] = bands.map((b) => {
    const d: [number, number][] = [];
    rows.forEach((_, r) => b.forEach((_, c) => d.push([c, r])));
    return d;
  });
  const cellAt = (hit: {
    seriesIndex?: number;
    dataIndex?: number;
  }): { row: NodeRow; c: number } | null => {
    const b = hit.seriesIndex ?? 0;
    const d = bandData[b]?.[hit.dataIndex ?? -1];
    const c = d ? bands[b]?.[d[0]] : undefined;
    const row = d ? rows[d[1]] : undefined;
    return row && c !== undefined ? { row, c } : null;
  };
  const ax = axisStyle(theme);

  const cellColor = (t: number): string =>
    mix(theme.background, metricColor(theme, 'heat'), 0.08 + 0.92 * t);

  const renderBand =
    (b: number): CustomSeriesRenderItem =>
    (params, api): CustomSeriesRenderItemReturn => {
      const d = bandData[b]?.[params.dataIndex];
      if (!d) return null;
      const [bc, r] = d;
      const c = bands[b]?.[bc] ?? 0;
      const row = rows[r] as NodeRow;
      const col = HEATMAP_COLUMNS[c] as Column;
      const v = row.metrics[col.metric];
      const p = api.coord([bc, r]);
      const size = (api.size?.([1, 1]) as number[] | undefined) ?? [colW, ROW_PX];
      const w = (size[0] ?? colW) - 2;
      const h = (size[1] ?? ROW_PX) - 2;
      const x = (p[0] as number) - w / 2;
      const y = (p[1] as number) - h / 2;
      const font = `${fs - 1}px ${theme.fontFamily}`;
      if (v === null) {
        return {
          type: 'group',
          children: [
            {
              type: 'rect',
              shape: { x: x + 0.5, y: y + 0.5, width: w - 1, height: h - 1 },
              style: {
                fill: 'transparent',
                stroke: withAlpha(theme.muted, 0.5),
                lineWidth: 1,
                lineDash: [2, 2],
              },
            },
            ...(w >= 30
              ? [
                  {
                    type: 'text' as const,
                    x: x + w / 2,
                    y: y + h / 2,
                    silent: true,
                    style: {
                      text: 'n/a',
                      fill: theme.muted,
                      font: `italic ${font}`,
                      align: 'center' as const,
                      verticalAlign: 'middle' as const,
                    },
                  },
                ]
              : []),
          ],
        };
      }
      const fill = cellColor(normalise(v, ranges[c] as [number, number]));
      const fits = (t: string): boolean => textWidth(t, fs - 1) + 6 <= w && h >= 12;
      // The axis-style value, or three figures when that does not fit the cell.
      const text = [col.short(v), col.compact(v)].find(fits);
      const children: NonNullable<CustomSeriesRenderItemReturn>[] = [
        { type: 'rect', shape: { x, y, width: w, height: h, r: 1 }, style: { fill } },
      ];
      if (text !== undefined) {
        children.push({
          type: 'text',
          x: x + w / 2,
          y: y + h / 2,
          silent: true,
          style: { text, fill: textOn(fill), font, align: 'center', verticalAlign: 'middle' },
        });
      }
      return { type: 'group', children };
    };

  const option = {
    ...baseOption(theme),
    grid: bands.map((_, b) => ({
      ...FIXED_GRID,
      left,
      right: 12,
      top: tops[b] ?? 0,
      height: bodyH,
    })),
    tooltip: itemTooltip(theme, (hit) => {
      const cell = cellAt(hit);
      if (!cell) return '';
      const { row } = cell;
      const col = HEATMAP_COLUMNS[cell.c] as Column;
      const v = row.metrics[col.metric];
      const range = ranges[cell.c] as [number, number];
      return tooltipLines(nodeTitle(row), [
        [col.label, v === null ? 'n/a (not measured)' : col.exact(v)],
        ...(v === null
          ? []
          : ([
              ['place on this column’s scale', `${Math.round(normalise(v, range) * 100)}%`],
              ['column range', `${col.exact(range[0])} to ${col.exact(range[1])}`],
            ] as [string, string][])),
      ]);
    }),
    xAxis: bands.map((b, i) => ({
      type: 'category' as const,
      gridIndex: i,
      position: 'top' as const,
      data: b.map((c) => HEATMAP_COLUMNS[c]?.label ?? ''),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        ...ax.axisLabel,
        color: theme.foreground,
        interval: 0,
        width: colW - 4,
        overflow: 'break' as const,
        lineHeight: lineH,
      },
      splitLine: { show: false },
    })),
    yAxis: bands.map((_, i) => ({
      ...nodeRowsAxis(theme, ids, labels, left - 10, theme.foreground),
      gridIndex: i,
      axisLine: { show: false },
    })),
    series: bands.map((_, b) => ({
      type: 'custom' as const,
      xAxisIndex: b,
      yAxisIndex: b,
      renderItem: groupRoot(renderBand(b)),
      encode: { x: 0, y: 1 },
      data: bandData[b],
      clip: false,
    })),
  };

  const notes: string[] = [];
  if (all.length === 0) notes.push('No node has run yet.');
  if (ranked.length > rows.length) {
    notes.push(
      `The ${count(rows.length)} longest of ${count(ranked.length)} nodes; every node is in the table below.`,
    );
  }
  notes.push(
    'Each column has its own scale, from 0 (or its lowest value when negative) to its largest value over all nodes.',
  );
  return {
    id: 'heatmap',
    option,
    height,
    notes,
    legend: [
      { label: 'low for its metric', color: cellColor(0), shape: 'bar' },
      { label: 'high for its metric', color: cellColor(1), shape: 'bar' },
      { label: 'n/a', color: withAlpha(theme.muted, 0.7), shape: 'outline' },
    ],
    empty: all.length === 0,
    nodeAt: (hit) => rowNodeAt(hit, (h) => cellAt(h)?.row.nodeId ?? null),
  };
}
