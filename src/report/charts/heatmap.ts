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
import { axisBytes, axisCount, axisMs, exactMs } from './units';

export interface HeatmapOptions extends ChartSize {
  maxRows?: number;
}

interface Column {
  metric: NodeMetric;
  label: string;
  exact: (v: number) => string;
  short: (v: number) => string;
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
  };
});

export const HEATMAP_MAX_ROWS = 40;
const ROW_PX = 22;
const TOP = 40;

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
  const { labels, width: left } = nodeLabelColumn(ids, theme);
  const colW = Math.max(24, (opts.width - left - 12) / HEATMAP_COLUMNS.length);
  const data: [number, number][] = [];
  rows.forEach((_, r) => HEATMAP_COLUMNS.forEach((_, c) => data.push([c, r])));
  const ax = axisStyle(theme);

  const cellColor = (t: number): string =>
    mix(theme.background, metricColor(theme, 'heat'), 0.08 + 0.92 * t);

  const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const d = data[params.dataIndex];
    if (!d) return null;
    const [c, r] = d;
    const row = rows[r] as NodeRow;
    const col = HEATMAP_COLUMNS[c] as Column;
    const v = row.metrics[col.metric];
    const p = api.coord([c, r]);
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
    const text = col.short(v);
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [
      { type: 'rect', shape: { x, y, width: w, height: h, r: 1 }, style: { fill } },
    ];
    if (textWidth(text, fs - 1) + 6 <= w && h >= 12) {
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
    grid: { ...FIXED_GRID, left, right: 12, top: TOP, bottom: 6 },
    tooltip: itemTooltip(theme, (hit) => {
      const d = data[hit.dataIndex ?? -1];
      if (!d) return '';
      const row = rows[d[1]] as NodeRow;
      const col = HEATMAP_COLUMNS[d[0]] as Column;
      const v = row.metrics[col.metric];
      const range = ranges[d[0]] as [number, number];
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
    xAxis: {
      type: 'category' as const,
      position: 'top' as const,
      data: HEATMAP_COLUMNS.map((c) => c.label),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        ...ax.axisLabel,
        color: theme.foreground,
        interval: 0,
        width: colW - 4,
        overflow: 'break' as const,
        lineHeight: fs + 2,
      },
      splitLine: { show: false },
    },
    yAxis: {
      ...nodeRowsAxis(theme, ids, labels, left - 10, theme.foreground),
      axisLine: { show: false },
    },
    series: [
      {
        type: 'custom' as const,
        renderItem: groupRoot(render),
        encode: { x: 0, y: 1 },
        data,
        clip: false,
      },
    ],
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
    height: TOP + 6 + Math.max(1, rows.length) * ROW_PX,
    notes,
    legend: [
      { label: 'low for its metric', color: cellColor(0), shape: 'bar' },
      { label: 'high for its metric', color: cellColor(1), shape: 'bar' },
      { label: 'n/a', color: withAlpha(theme.muted, 0.7), shape: 'outline' },
    ],
    empty: all.length === 0,
    nodeAt: (hit) =>
      rowNodeAt(hit, (h) => {
        const d = data[h.dataIndex ?? -1];
        return d ? (rows[d[1]]?.nodeId ?? null) : null;
      }),
  };
}
