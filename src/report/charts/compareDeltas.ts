/**
 * Per-node change between the baseline and the candidate for one metric, from the series
 * statistics (src/report/stats/compareSeries.ts, the same result `compare` prints): a bar per
 * node of the relative change of the median coloured by its verdict, the confidence interval of
 * that change as an error bar, and the noise band (the smallest change ever called one) as a grey
 * band. A row too thin to decide says so, with how many more runs would decide it.
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
} from '../../model/comparison';
import type { MetricStats, NodeStats, SeriesVerdict } from '../../model/seriesComparison';
import { formatPercent, NA } from '../../model/format';
import { nodeCategoryAxis, nodeLabelColumn, scaleAxis } from './axes';
import type { ChartSize, ChartSpec } from './chartSpec';
import { baseOption, count, textWidth, FIXED_GRID } from './chartSpec';
import { insufficientText, verdictBadge, verdictColor } from './compareVerdicts';
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

export interface CompareDeltaOptions extends ChartSize {
  metric: CompareMetric;
  maxRows?: number;
}

export const COMPARE_MAX_ROWS = 30;
const ROW_PX = 24;

export function statsOf(n: NodeStats, m: CompareMetric): MetricStats | null {
  return n.metrics[m] ?? null;
}

/** A relative change as the CLI prints it: `+30.0%`. */
export function signedPct(x: number | null): string {
  return x === null ? NA : `${x > 0 ? '+' : ''}${formatPercent(x * 100)}`;
}

const RANK: Readonly<Record<SeriesVerdict, number>> = {
  regressed: 0,
  improved: 1,
  insufficient: 2,
  unchanged: 3,
};

/** Nodes ordered for the chart: regressed, improved, undecided, unchanged, each by size; none last. */
export function rankedNodes(s: CompareSnapshot, m: CompareMetric): NodeStats[] {
  const rank = (n: NodeStats): [number, number] => {
    const d = statsOf(n, m);
    if (!d) return [4, 0];
    return [RANK[d.verdict], -Math.abs(d.change ?? 0)];
  };
  return s.stats.nodes
    .map((n, i) => ({ n, i, k: rank(n) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.n);
}

export function intervalText(d: MetricStats): string {
  return d.low === null || d.high === null ? NA : `[${signedPct(d.low)}, ${signedPct(d.high)}]`;
}

export function deltaTooltip(
  nodeId: string,
  type: string,
  d: MetricStats,
  m: CompareMetric,
  minRuns: number,
): string {
  const side = (k: 'baseline' | 'candidate'): string =>
    `${formatMetric(m, d[k].median)} (median of ${d[k].n})${d[k].outliers.length > 0 ? `, outliers: ${d[k].outliers.join(', ')}` : ''}`;
  return tooltipLines(`${nodeId}  (${type})`, [
    ['metric', METRIC_LABELS[m]],
    ['baseline', side('baseline')],
    ['candidate', side('candidate')],
    ['change', signedPct(d.change)],
    ['95 % interval', intervalText(d)],
    ['noise band', `±${formatPercent(d.noiseBand * 100)}`],
    ['p (adjusted)', d.pAdjusted === null ? NA : d.pAdjusted.toPrecision(2)],
    [
      'verdict',
      d.verdict === 'insufficient' ? insufficientText(d, minRuns) : verdictBadge(d.verdict).text,
    ],
    ...(d.note !== null && d.verdict !== 'insufficient'
      ? [['note', d.note] as [string, string]]
      : []),
  ]);
}

/** Percent of the axis, or null: the chart's numbers for one row. */
export interface DeltaRow {
  change: number | null;
  low: number | null;
  high: number | null;
  band: number;
}

export function deltaRow(d: MetricStats | null): DeltaRow | null {
  if (!d) return null;
  const pct = (x: number | null): number | null => (x === null ? null : x * 100);
  return { change: pct(d.change), low: pct(d.low), high: pct(d.high), band: d.noiseBand * 100 };
}

export function compareDeltaChart(
  s: CompareSnapshot,
  theme: ChartTheme,
  opts: CompareDeltaOptions,
): ChartSpec {
  const m = opts.metric;
  const ranked = rankedNodes(s, m);
  const rows = ranked.slice(0, opts.maxRows ?? COMPARE_MAX_ROWS);
  const stats = rows.map((n) => statsOf(n, m));
  const nums = stats.map(deltaRow);
  const minRuns = s.stats.settings.minRuns;
  const fs = theme.fontSize;
  const ids = rows.map((n) => n.nodeId);
  const { labels, width: left } = nodeLabelColumn(ids, theme);
  let extent = 10;
  for (const r of nums) {
    if (!r) continue;
    for (const v of [r.change, r.low, r.high, r.band]) extent = Math.max(extent, Math.abs(v ?? 0));
  }
  // Room for the labels beside the longest bar, on a round symmetric scale.
  const scale = niceScale(-extent * 1.15, extent * 1.15, 4);
  extent = Math.max(-scale.min, scale.max);
  const font = `${fs - 1}px ${theme.fontFamily}`;

  const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const i = params.dataIndex;
    const d = stats[i];
    const r = nums[i];
    const o = api.coord([0, i]);
    const ox = o[0] as number;
    const y = o[1] as number;
    const bh = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? ROW_PX;
    const h = Math.max(4, Math.min(14, bh * 0.55));
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [];
    if (r) {
      const l = api.coord([-r.band, i])[0] as number;
      const rr = api.coord([r.band, i])[0] as number;
      children.push({
        type: 'rect',
        name: 'noise',
        shape: { x: l, y: y - h / 2 - 3, width: rr - l, height: h + 6 },
        style: {
          fill: withAlpha(theme.muted, 0.12),
          stroke: withAlpha(theme.muted, 0.35),
          lineWidth: 1,
        },
        silent: true,
      });
    }
    const grid = { l: left, r: opts.width - 16 };
    // The longest wording that fits the room it has (a narrow chart gets the short ones; the
    // tooltip says it all).
    const fitting = (words: string[], room: number): string =>
      words.find((t) => textWidth(t, fs - 1) + 8 <= room) ?? (words[words.length - 1] as string);
    if (!d || !r || r.change === null) {
      const why = !d
        ? [NA]
        : d.verdict === 'insufficient'
          ? [insufficientText(d, minRuns), 'insufficient']
          : [`${NA}: baseline median is 0`, NA];
      children.push({
        type: 'text',
        x: ox + 6,
        y,
        style: {
          text: richText(fitting(why, grid.r - ox)),
          fill: theme.muted,
          font: `italic ${font}`,
          verticalAlign: 'middle',
        },
      });
      return { type: 'group', children };
    }
    const end = api.coord([r.change, i])[0] as number;
    const x = Math.min(ox, end);
    const w = Math.max(1.5, Math.abs(end - ox));
    const undecided = d.verdict === 'insufficient';
    const fill = verdictColor(theme, d.verdict);
    children.push({
      type: 'rect',
      name: 'bar',
      shape: { x, y: y - h / 2, width: w, height: h, r: 1.5 },
      // An undecided change is drawn hollow: its size is known, its meaning is not.
      style: undecided ? { fill, stroke: theme.muted, lineWidth: 1, lineDash: [3, 2] } : { fill },
    });
    const pct = signedPct(d.change);
    const words = undecided
      ? [`${pct}  ${insufficientText(d, minRuns)}`, `${pct}  insufficient`, pct]
      : [`${pct} ${intervalText(d)}`, pct];
    const right = end >= ox;
    const edge = (v: number | null, fallback: number): number =>
      v === null ? fallback : (api.coord([v, i])[0] as number);
    // Beside the farther of the bar's end and the interval's, so the whisker is never covered.
    const outer = right ? Math.max(x + w, edge(r.high, x + w)) : Math.min(x, edge(r.low, x));
    const room = right ? grid.r - outer : outer - grid.l;
    // Outside when some wording fits there; else inside, on the origin's other side.
    const outside = words.some((t) => textWidth(t, fs - 1) + 8 <= room);
    const text = richText(fitting(words, outside ? room : right ? ox - grid.l : grid.r - ox));
    children.push(
      outside
        ? {
            type: 'text',
            x: right ? outer + 6 : outer - 6,
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
            x: right ? ox - 6 : ox + 6,
            y,
            silent: true,
            style: {
              text,
              fill: undecided ? theme.foreground : textOn(fill),
              font,
              verticalAlign: 'middle',
              align: right ? 'right' : 'left',
            },
          },
    );
    return { type: 'group', children };
  };

  /** The interval of the change: a whisker from low to high with caps, over the bar. */
  const whisker: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const i = params.dataIndex;
    const r = nums[i];
    if (!r || r.low === null || r.high === null) return null;
    const y = api.coord([0, i])[1] as number;
    const x1 = api.coord([r.low, i])[0] as number;
    const x2 = api.coord([r.high, i])[0] as number;
    const cap = 5;
    const stroke = theme.foreground;
    const line = (a: number, b: number, c: number, d: number, name: string) => ({
      type: 'line' as const,
      name,
      shape: { x1: a, y1: b, x2: c, y2: d },
      style: { stroke, lineWidth: 1.5 },
      silent: true,
    });
    return {
      type: 'group',
      children: [
        line(x1, y, x2, y, 'interval'),
        line(x1, y - cap, x1, y + cap, 'low'),
        line(x2, y - cap, x2, y + cap, 'high'),
      ],
    };
  };

  const tooltipFor = (i: number): string => {
    const n = rows[i];
    const d = stats[i];
    if (!n) return '';
    return d
      ? deltaTooltip(n.nodeId, s.nodeTypes[n.nodeId] ?? '?', d, m, minRuns)
      : richText(`${n.nodeId}: ${NA}`);
  };
  const option = {
    ...baseOption(theme),
    grid: { ...FIXED_GRID, left, right: 16, top: 28, bottom: 8 },
    tooltip: itemTooltip(theme, (hit) => tooltipFor(hit.dataIndex ?? -1)),
    xAxis: {
      type: 'value' as const,
      position: 'top' as const,
      min: -extent,
      max: extent,
      interval: scale.interval,
      ...scaleAxis(theme, { formatter: (v: number) => `${v > 0 ? '+' : ''}${v}%` }),
    },
    yAxis: nodeCategoryAxis(theme, ids, labels, left - 10),
    series: [
      rowSeries(render, rows.length),
      {
        ...rowSeries(whisker, rows.length),
        name: 'interval',
        // Each item carries its row, the change and the interval's bounds, in percent.
        data: nums.map((r, i) => [i, r?.change ?? null, r?.low ?? null, r?.high ?? null]),
        z: 3,
      },
    ],
  };
  const notes: string[] = [];
  if (ranked.length > rows.length)
    notes.push(
      `The ${count(rows.length)} largest changes of ${count(ranked.length)} nodes; every node is in the table below.`,
    );
  notes.push(
    `Bars: the change of the median; whiskers: its ${Math.round(s.stats.settings.level * 100)} % interval; grey band: the noise band, within which no change is called.`,
  );
  return {
    id: 'deltas',
    option,
    height: 28 + 8 + Math.max(1, rows.length) * ROW_PX,
    notes,
    legend: [
      { label: 'regressed', color: verdictColor(theme, 'regressed'), shape: 'bar' },
      { label: 'improved', color: verdictColor(theme, 'improved'), shape: 'bar' },
      { label: 'unchanged', color: verdictColor(theme, 'unchanged'), shape: 'bar' },
      { label: 'insufficient', color: theme.muted, shape: 'outline' },
    ],
    empty: rows.length === 0,
    nodeAt: nodeAtRows(ids),
  };
}
