/**
 * Resource usage per node: duration, CPU (% of one core), peak memory and the memory change over
 * the node's life, side by side, rows in the order the user sorts by. Large runs show the first
 * rows in that order; the table under the chart holds every node.
 */
import { formatBytes, formatMs, formatPercent } from '../../model/format';
import { count, type ChartSize, type ChartSpec } from './chartSpec';
import {
  hasStarted,
  NODE_METRICS,
  sortRows,
  type DashboardModel,
  type NodeMetric,
  type SortKey,
} from './dashboardModel';
import { metricDef } from '../../model/metrics';
import { hbarHeight, hbarLabelWidth, hbarNodeAt, hbarOption } from './hbarPanels';
import type { ChartTheme } from './theme';
import { metricColor } from './colors';
import { axisBytes, axisMs, axisPercent, compactBytes, compactMs, compactPercent } from './units';

export interface ResourceOptions extends ChartSize {
  sortBy: SortKey;
  descending: boolean;
  /** Most rows drawn; the rest are in the table. */
  maxRows?: number;
}

export const RESOURCE_MAX_ROWS = 25;
const ROW_PX = 22;

export const SORT_LABELS: Readonly<Record<SortKey, string>> = {
  order: 'execution order',
  nodeId: 'node',
  type: 'type',
  status: 'status',
  attempts: 'attempts',
  ...(Object.fromEntries(NODE_METRICS.map((k) => [k, metricDef(k).phrase])) as Record<
    NodeMetric,
    string
  >),
};

export function resourceChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: ResourceOptions,
): ChartSpec {
  // Planned nodes that have not started have nothing to show here.
  const started = model.rows.filter((r) => hasStarted(r) && !r.isContainer);
  const sorted = sortRows(started, opts.sortBy, opts.descending);
  const max = opts.maxRows ?? RESOURCE_MAX_ROWS;
  const rows = sorted.slice(0, max);
  const option = hbarOption(
    rows,
    [
      {
        title: 'Duration',
        values: rows.map((r) => r.metrics.durationMs),
        format: formatMs,
        short: compactMs,
        axis: axisMs,
        color: metricColor(theme, 'duration'),
      },
      {
        title: 'CPU (% of one core)',
        shortTitle: 'CPU %',
        values: rows.map((r) => r.metrics.cpuPercent),
        format: (v) => formatPercent(v),
        short: compactPercent,
        axis: axisPercent,
        color: metricColor(theme, 'cpu'),
      },
      {
        title: 'Peak memory',
        shortTitle: 'Peak mem.',
        values: rows.map((r) => r.metrics.peakRssBytes),
        format: (v) => formatBytes(v),
        short: (v) => compactBytes(v),
        axis: axisBytes,
        color: metricColor(theme, 'memory'),
        scale: 'bytes',
      },
      {
        title: 'Memory change',
        shortTitle: 'Mem. change',
        values: rows.map((r) => r.metrics.memoryDeltaBytes),
        format: (v) => formatBytes(v, { signed: true }),
        short: (v) => compactBytes(v, { signed: true }),
        axis: axisBytes,
        color: [metricColor(theme, 'memoryRelease'), metricColor(theme, 'memoryGrowth')],
        scale: 'bytes',
      },
    ],
    theme,
    { width: opts.width, labelWidth: hbarLabelWidth(rows, theme, opts.width), rowPx: ROW_PX },
  );
  const notes: string[] = [];
  if (started.length === 0) notes.push('No node has run yet.');
  if (sorted.length > rows.length) {
    notes.push(
      `The first ${count(rows.length)} of ${count(sorted.length)} nodes by ${SORT_LABELS[opts.sortBy]}; every node is in the table below.`,
    );
  }
  notes.push(
    'Memory change: last minus first sample of the node’s tree; n/a with fewer than two samples.',
  );
  return {
    id: 'resources',
    option,
    height: hbarHeight(rows.length, ROW_PX),
    notes,
    legend: [],
    empty: started.length === 0,
    nodeAt: hbarNodeAt(rows),
  };
}
