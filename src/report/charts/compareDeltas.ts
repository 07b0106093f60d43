/**
 * Per-node change between the baseline runs (their mean) and the candidate, for one metric: a
 * bar per node of the relative change, coloured by the comparison's verdict (regression,
 * improvement, within noise), with the baseline's spread (±2σ, the noise band the verdict used)
 * as a whisker when there were repeats.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import type { CompareSnapshot } from '../../protocol/compare';
import {
  COMPARE_METRICS,
  compareMetricDef,
  formatCompareValue,
  type CompareMetric,
  type MetricDelta,
  type NodeComparison,
} from '../../model/comparison';
import { formatRatio, NA } from '../../model/format';
import { nodeCategoryAxis, nodeLabelColumn, scaleAxis } from './axes';
import type { ChartSize, ChartSpec } from './chartSpec';
import { baseOption, count, textWidth, FIXED_GRID } from './chartSpec';
import { textOn, withAlpha, type ChartTheme } from './theme';
import { niceScale } from './units';
import { richText, tooltipLines } from './text';
import { nodeAtRows } from './rowHits';
import { rowSeries } from './rowSeries';
import { itemTooltip } from './tooltips';

export const METRIC_LABELS: Readonly<Record<CompareMetric, string>> = Object.fromEntries(
  COMPARE_METRICS.map((m) => [m, compareMetricDef(m).label]),
) as Record<CompareMetric, string>;

export const formatMetric = formatCompareValue;

export function verdictColor(theme: ChartTheme, v: MetricDelta['verdict']): string {
  if (v === 'regression') return theme.red;
  if (v === 'improvement') return theme.green;
  return withAlpha(theme.muted, 0.6);
}

export interface CompareDeltaOptions extends ChartSize {
  metric: CompareMetric;
  maxRows?: number;
}

export const COMPARE_MAX_ROWS = 30;
const ROW_PX = 22;

export function deltaOf(n: NodeComparison, m: CompareMetric): MetricDelta | null {
  return n.metrics.find((d) => d.metric === m) ?? null;
}

/** Nodes ordered for the chart: flagged first, then by size of the change; n/a last. */
export function rankedNodes(s: CompareSnapshot, m: CompareMetric): NodeComparison[] {
  const rank = (n: NodeComparison): [number, number] => {
    const d = deltaOf(n, m);
    if (!d || d.verdict === 'n/a') return [3, 0];
    const flagged = d.verdict === 'regression' ? 0 : d.verdict === 'improvement' ? 1 : 2;
    return [flagged, -Math.abs(d.ratio ?? 0)];
  };
  return s.comparison.nodes
    .map((n, i) => ({ n, i, k: rank(n) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.n);
}

export function deltaTooltip(n: NodeComparison, d: MetricDelta, baselineRuns: number): string {
  const m = d.metric;
  return tooltipLines(`${n.nodeId}  (${n.type})`, [
    ['metric', METRIC_LABELS[m]],
    [
      `baseline (mean of ${baselineRuns} run${baselineRuns === 1 ? '' : 's'})`,
      `${formatMetric(m, d.baseline)}${d.spread !== null ? ` ± ${formatMetric(m, d.spread)}` : ''}`,
    ],
    ['candidate', formatMetric(m, d.candidate)],
    [
      'change',
      `${formatMetric(m, d.delta, true)}${d.ratio !== null ? ` (${d.ratio > 0 ? '+' : ''}${formatRatio(d.ratio)})` : ''}`,
    ],
    ['verdict', d.verdict === 'same' ? 'within noise' : d.verdict],
    ['status', `${n.status.baseline ?? 'absent'} → ${n.status.candidate ?? 'absent'}`],
  ]);
}

export function compareDeltaChart(
  s: CompareSnapshot,
  theme: ChartTheme,
  opts: CompareDeltaOptions,
): ChartSpec {
  const m = opts.metric;
  const ranked = rankedNodes(s, m);
  const rows = ranked.slice(0, opts.maxRows ?? COMPARE_MAX_ROWS);
  const deltas = rows.map((n) => deltaOf(n, m));
  const fs = theme.fontSize;
  const ids = rows.map((n) => n.nodeId);
  const { labels, width: left } = nodeLabelColumn(ids, theme);
  const baselineRuns = s.comparison.baselineIds.length;
  // Percent change; whiskers at ±2σ of the baseline, relative to it.
  const pct = deltas.map((d) => (d && d.ratio !== null ? d.ratio * 100 : null));
  const band = deltas.map((d) =>
    d && d.spread !== null && d.baseline !== null && d.baseline !== 0
      ? ((2 * d.spread) / Math.abs(d.baseline)) * 100
      : null,
  );
  let extent = 10;
  pct.forEach((v, i) => {
    extent = Math.max(extent, Math.abs(v ?? 0), band[i] ?? 0);
  });
  // Room for the labels beside the longest bar, on a round symmetric scale.
  const scale = niceScale(-extent * 1.15, extent * 1.15, 4);
  extent = Math.max(-scale.min, scale.max);

  const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const i = params.dataIndex;
    const d = deltas[i];
    const v = pct[i] ?? null;
    const o = api.coord([0, i]);
    const ox = o[0] as number;
    const y = o[1] as number;
    const bh = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? ROW_PX;
    const h = Math.max(4, Math.min(14, bh * 0.6));
    const font = `${fs - 1}px ${theme.fontFamily}`;
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [];
    const b = band[i];
    if (b !== null && b !== undefined) {
      const l = api.coord([-b, i])[0] as number;
      const r = api.coord([b, i])[0] as number;
      children.push({
        type: 'rect',
        shape: { x: l, y: y - h / 2 - 2, width: r - l, height: h + 4 },
        style: {
          fill: withAlpha(theme.muted, 0.14),
          stroke: withAlpha(theme.muted, 0.4),
          lineWidth: 1,
        },
        silent: true,
      });
    }
    if (!d || v === null) {
      const why = !d || d.verdict === 'n/a' ? NA : `${formatMetric(m, d.delta, true)} from 0`;
      children.push({
        type: 'text',
        x: ox + 4,
        y,
        style: { text: why, fill: theme.muted, font: `italic ${font}`, verticalAlign: 'middle' },
      });
      return { type: 'group', children };
    }
    const end = api.coord([v, i])[0] as number;
    const x = Math.min(ox, end);
    const w = Math.max(1.5, Math.abs(end - ox));
    const fill = verdictColor(theme, d.verdict);
    children.push({
      type: 'rect',
      shape: { x, y: y - h / 2, width: w, height: h, r: 1.5 },
      style: { fill },
    });
    const text = richText(
      `${v > 0 ? '+' : ''}${formatRatio(d.ratio)} (${formatMetric(m, d.delta, true)})`,
    );
    const tw = textWidth(text, fs - 1);
    const right = end >= ox;
    const grid = { l: left, r: opts.width - 16 };
    const room = right ? grid.r - (x + w) : x - grid.l;
    children.push(
      room >= tw + 6
        ? {
            type: 'text',
            x: right ? x + w + 4 : x - 4,
            y,
            silent: true,
            style: {
              text,
              fill: theme.foreground,
              font,
              verticalAlign: 'middle',
              align: right ? 'left' : 'right',
            },
          }
        : {
            type: 'text',
            x: right ? x + w - 4 : x + 4,
            y,
            silent: true,
            style: {
              text,
              fill: textOn(fill),
              font,
              verticalAlign: 'middle',
              align: right ? 'right' : 'left',
            },
          },
    );
    return { type: 'group', children };
  };

  const option = {
    ...baseOption(theme),
    grid: { ...FIXED_GRID, left, right: 16, top: 28, bottom: 8 },
    tooltip: itemTooltip(theme, (hit) => {
      const i = hit.dataIndex ?? -1;
      const n = rows[i];
      const d = deltas[i];
      return n && d ? deltaTooltip(n, d, baselineRuns) : n ? richText(`${n.nodeId}: n/a`) : '';
    }),
    xAxis: {
      type: 'value' as const,
      position: 'top' as const,
      min: -extent,
      max: extent,
      interval: scale.interval,
      ...scaleAxis(theme, { formatter: (v: number) => `${v > 0 ? '+' : ''}${v}%` }),
    },
    yAxis: nodeCategoryAxis(theme, ids, labels, left - 10),
    series: [rowSeries(render, rows.length)],
  };
  const notes: string[] = [];
  if (ranked.length > rows.length)
    notes.push(
      `The ${count(rows.length)} largest changes of ${count(ranked.length)} nodes; every node is in the table below.`,
    );
  notes.push(
    baselineRuns > 1
      ? `Baseline: the mean of ${baselineRuns} runs; the grey band is ±2σ of their spread. A change is flagged when it is beyond the noise and at least 10%.`
      : 'Baseline: one run. A change is flagged when it is beyond the metric’s noise floor and at least 10%.',
  );
  return {
    id: 'deltas',
    option,
    height: 28 + 8 + Math.max(1, rows.length) * ROW_PX,
    notes,
    legend: [
      { label: 'regression', color: verdictColor(theme, 'regression'), shape: 'bar' },
      { label: 'improvement', color: verdictColor(theme, 'improvement'), shape: 'bar' },
      { label: 'within noise', color: verdictColor(theme, 'same'), shape: 'bar' },
    ],
    empty: rows.length === 0,
    nodeAt: nodeAtRows(ids),
  };
}
