/**
 * Custom metrics (a node's `_metrics`): a table of this run's values against the previous run
 * that recorded each one, and small trend charts for every metric recorded by at least two runs
 * of the workflow (DashboardSnapshot.customHistory, oldest first).
 */
import type { CustomTrendPoint } from '../../protocol/dashboard';
import { formatNumber, formatRatio } from '../../model/format';
import { axisTitle, runsAxis, valueAxis } from './axes';
import { baseOption, count, type ChartSize, type ChartSpec, FIXED_GRID } from './chartSpec';
import type { DashboardModel } from './dashboardModel';
import { withAlpha, type ChartTheme } from './theme';
import { metricColor } from './colors';
import { middleEllipsis, richText, tooltipLines } from './text';
import { axisCount } from './units';
import { itemTooltip } from './tooltips';

export interface CustomMetricRow {
  nodeId: string;
  metric: string;
  value: number;
  /** The same metric of the same node in the previous run (null where it did not record it). */
  previous: number | null;
  change: number | null;
  /** Relative change (0.1 = +10%); null without a previous value or from 0. */
  ratio: number | null;
  /** Runs in the history that recorded it, this one included. */
  runs: number;
}

export function customMetricRows(model: DashboardModel): CustomMetricRow[] {
  const history = model.snapshot.customHistory;
  const runId = model.run.id;
  const before = model.snapshot.customPrevious ?? pointsBefore(history, runId);
  const out: CustomMetricRow[] = [];
  for (const row of model.rows) {
    const custom = row.final?.custom ?? {};
    for (const [metric, value] of Object.entries(custom)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const points = history.filter((p) => p.nodeId === row.nodeId && p.metric === metric);
      const earlier = before.filter((p) => p.nodeId === row.nodeId && p.metric === metric);
      const prev =
        earlier.length > 0 ? (earlier[earlier.length - 1] as CustomTrendPoint).value : null;
      const change = prev === null ? null : value - prev;
      out.push({
        nodeId: row.nodeId,
        metric,
        value,
        previous: prev,
        change,
        ratio: prev === null || prev === 0 || change === null ? null : change / Math.abs(prev),
        runs: new Set([...points.map((p) => p.runId), runId]).size,
      });
    }
  }
  return out;
}

/**
 * The points of runs that started before `runId` (history is oldest first): never a later run,
 * which the trend shows too when the run shown is not the newest.
 */
function pointsBefore(history: readonly CustomTrendPoint[], runId: string): CustomTrendPoint[] {
  const at = history.findIndex((p) => p.runId === runId);
  return (at < 0 ? history : history.slice(0, at)).filter((p) => p.runId !== runId);
}

export interface TrendCell {
  nodeId: string;
  metric: string;
  /** One value per run of `runs` (null where that run did not record it). */
  values: (number | null)[];
}

/**
 * Runs of the history in order, every (node, metric) recorded by at least two of them (`cells`),
 * and every one recorded at all (`recorded`).
 */
export function customTrends(history: readonly CustomTrendPoint[]): {
  runs: { runId: string; startedAt: string }[];
  cells: TrendCell[];
  recorded: TrendCell[];
} {
  const runs: { runId: string; startedAt: string }[] = [];
  const runIdx = new Map<string, number>();
  for (const p of history) {
    if (!runIdx.has(p.runId)) {
      runIdx.set(p.runId, runs.length);
      runs.push({ runId: p.runId, startedAt: p.startedAt });
    }
  }
  const cells = new Map<string, TrendCell>();
  for (const p of history) {
    if (!Number.isFinite(p.value)) continue;
    const key = `${p.nodeId}\u0000${p.metric}`;
    let c = cells.get(key);
    if (!c) {
      c = { nodeId: p.nodeId, metric: p.metric, values: runs.map(() => null) };
      cells.set(key, c);
    }
    c.values[runIdx.get(p.runId) as number] = p.value;
  }
  // History arrives oldest first, but cells made early need slots for runs seen later.
  const list = [...cells.values()].map((c) => ({
    ...c,
    values: runs.map((_, i) => c.values[i] ?? null),
  }));
  return {
    runs,
    cells: list.filter((c) => c.values.filter((v) => v !== null).length >= 2),
    recorded: list,
  };
}

export interface CustomTrendOptions extends ChartSize {
  maxCells?: number;
}

export const CUSTOM_TREND_MAX_CELLS = 24;
const CELL_H = 118;
const CELL_MIN_W = 230;

export function customTrendChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: CustomTrendOptions,
): ChartSpec {
  const trends = customTrends(model.snapshot.customHistory);
  const { runs } = trends;
  // The first run of a workflow has no trend yet: its values start one.
  const firstRun = trends.cells.length === 0 && trends.recorded.length > 0;
  const all = firstRun ? trends.recorded : trends.cells;
  const cells = all.slice(0, opts.maxCells ?? CUSTOM_TREND_MAX_CELLS);
  const cols = Math.max(1, Math.min(cells.length, Math.floor(opts.width / CELL_MIN_W)));
  const cellW = opts.width / cols;
  const rowsN = Math.ceil(cells.length / cols);
  const current = runs.findIndex((r) => r.runId === model.run.id);
  const grids = cells.map((_, i) => ({
    ...FIXED_GRID,
    left: (i % cols) * cellW + 52,
    width: cellW - 52 - 18,
    top: Math.floor(i / cols) * CELL_H + 30,
    height: CELL_H - 52,
  }));
  const option = {
    ...baseOption(theme),
    tooltip: itemTooltip(theme, (hit) => {
      const c = cells[hit.seriesIndex ?? -1];
      const r = runs[hit.dataIndex ?? -1];
      if (!c || !r) return '';
      const v = c.values[hit.dataIndex ?? -1] ?? null;
      return tooltipLines(`${c.nodeId} · ${c.metric}`, [
        ['run', `${r.runId}${r.runId === model.run.id ? ' (this run)' : ''}`],
        ['started', r.startedAt],
        ['value', formatNumber(v)],
      ]);
    }),
    grid: grids,
    xAxis: cells.map((_, i) => ({
      ...runsAxis(
        theme,
        runs.map((_, k) => String(k + 1)),
        false,
      ),
      gridIndex: i,
    })),
    yAxis: cells.map((c, i) => ({
      type: 'value' as const,
      gridIndex: i,
      scale: true,
      splitNumber: 2,
      ...axisTitle(
        theme,
        richText(
          middleEllipsis(
            `${c.nodeId} · ${c.metric}`,
            Math.floor((cellW - 40) / (theme.fontSize * 0.6)),
          ),
        ),
        10,
      ),
      ...valueAxis(theme, axisCount),
    })),
    series: cells.map((c, i) => ({
      type: 'line' as const,
      xAxisIndex: i,
      yAxisIndex: i,
      name: richText(`${c.nodeId} · ${c.metric}`),
      connectNulls: true,
      symbolSize: 5,
      lineStyle: { width: 1.5, color: metricColor(theme, 'custom') },
      itemStyle: { color: metricColor(theme, 'custom') },
      areaStyle: { color: withAlpha(metricColor(theme, 'custom'), 0.1) },
      data: c.values.map((v, k) =>
        k === current && v !== null
          ? {
              value: v,
              symbolSize: 9,
              itemStyle: {
                color: metricColor(theme, 'customMark'),
                borderColor: theme.background,
                borderWidth: 1,
              },
            }
          : (v ?? '-'),
      ),
    })),
  };
  const notes: string[] = [];
  if (cells.length === 0)
    notes.push('Trends appear once at least two runs of this workflow have recorded a metric.');
  else if (firstRun) {
    notes.push('The first run of this workflow to record these metrics: each trend starts here.');
  } else {
    notes.push(
      `Oldest run on the left; this run in ${theme.kind.startsWith('high') ? 'the larger dot' : 'orange'}. ${count(runs.length)} runs of this workflow.`,
    );
    if (all.length > cells.length)
      notes.push(`The first ${count(cells.length)} of ${count(all.length)} metrics with a trend.`);
  }
  return {
    id: 'customTrend',
    option,
    height: Math.max(1, rowsN) * CELL_H + 6,
    notes,
    legend: [],
    empty: cells.length === 0,
    nodeAt: (hit) =>
      hit.componentType === 'series' ? (cells[hit.seriesIndex ?? -1]?.nodeId ?? null) : null,
  };
}

/** `+12.0%` for the table; n/a without a previous value. */
export function formatChange(r: CustomMetricRow): string {
  if (r.change === null) return 'n/a';
  const sign = r.change > 0 ? '+' : '';
  return `${sign}${formatNumber(r.change)}${r.ratio !== null ? ` (${r.ratio > 0 ? '+' : ''}${formatRatio(r.ratio)})` : ''}`;
}
