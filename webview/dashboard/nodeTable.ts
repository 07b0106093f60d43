/** The table of every node under the resource chart: every metric, sortable, exact on hover. */
import type { NodeMetric, NodeRow, SortKey } from '../../src/report/charts/dashboardModel';
import { SORT_LABELS } from '../../src/report/charts/resources';
import { formatBytes, formatCount, formatMs, formatPercent } from '../../src/report/charts/units';
import { exactMs } from '../../src/report/charts/units';
import { DataTable, nodeColumn, statusColumn, type Column } from '../shared/table';

const NA_CLASS = (v: number | null): string | null => (v === null ? 'na' : null);

function metricColumn(
  key: NodeMetric,
  label: string,
  fmt: (v: number | null) => string,
  exact: (v: number | null) => string = fmt,
): Column<NodeRow> {
  return {
    key,
    label,
    title: `Sort by ${SORT_LABELS[key]}`,
    numeric: true,
    text: (r) => fmt(r.metrics[key]),
    exact: (r) => exact(r.metrics[key]),
    cellClass: (r) => NA_CLASS(r.metrics[key]),
  };
}

export function nodeTable(
  onSort: (key: SortKey) => void,
  onNode: (nodeId: string) => void,
): DataTable<NodeRow> {
  const bytes = (v: number | null): string => formatBytes(v);
  const exactBytes = (v: number | null): string => (v === null ? 'n/a' : `${formatCount(v)} bytes`);
  const columns: Column<NodeRow>[] = [
    nodeColumn(),
    { key: 'type', label: 'Type', text: (r) => r.type },
    statusColumn((r) => r.status),
    {
      key: 'attempts',
      label: 'Tries',
      title: 'Attempts made (retries included)',
      numeric: true,
      text: (r) => String(r.attempts.length),
    },
    metricColumn('waitMs', 'Queued', formatMs, exactMs),
    metricColumn('durationMs', 'Duration', formatMs, exactMs),
    metricColumn('cpuTimeMs', 'CPU time', formatMs, exactMs),
    metricColumn('cpuPercent', 'CPU %', (v) => formatPercent(v)),
    metricColumn('peakRssBytes', 'Peak memory', bytes, exactBytes),
    metricColumn(
      'memoryDeltaBytes',
      'Memory Δ',
      (v) => formatBytes(v, { signed: true }),
      exactBytes,
    ),
    metricColumn('ioReadBytes', 'Read', bytes, exactBytes),
    metricColumn('ioWriteBytes', 'Written', bytes, exactBytes),
    metricColumn('ioReadOps', 'Read calls', formatCount),
    metricColumn('ioWriteOps', 'Write calls', formatCount),
    metricColumn('peakThreads', 'Threads', formatCount),
    metricColumn('contextSwitches', 'Ctx switches', formatCount),
  ];
  return new DataTable<NodeRow>({
    columns,
    cap: 60,
    caption: 'Every node of the run with its measured metrics; n/a means not measured.',
    onSort: (k) => onSort(k as SortKey),
    nodeOf: (r) => r.nodeId,
    onNode,
  });
}
