/** The compare page's tables: every node with each metric's change, and the compared runs. */
import type { CompareSnapshot } from '../../src/protocol/compare';
import {
  COMPARE_METRICS,
  type CompareMetric,
  type NodeComparison,
} from '../../src/model/comparison';
import { deltaOf, formatMetric, METRIC_LABELS } from '../../src/report/charts/compareDeltas';
import { runLabel } from '../../src/report/charts/compareTrend';
import { formatMs, formatRatio } from '../../src/model/format';
import { DataTable, nodeRowsTable, statusColumn, type Column } from '../shared/table';

export type RunRow = CompareSnapshot['runs'][number] & { index: number };

function changeText(n: NodeComparison, m: CompareMetric): string {
  const d = deltaOf(n, m);
  if (!d || d.delta === null) return 'n/a';
  return `${formatMetric(m, d.delta, true)}${d.ratio !== null ? ` (${d.ratio > 0 ? '+' : ''}${formatRatio(d.ratio)})` : ''}`;
}

/** Baseline, candidate and change of one metric. */
function metricColumns(m: CompareMetric): Column<NodeComparison>[] {
  return [
    {
      key: `${m}:baseline`,
      label: `${METRIC_LABELS[m]}: baseline`,
      numeric: true,
      text: (n) => formatMetric(m, deltaOf(n, m)?.baseline ?? null),
      exact: (n) => {
        const d = deltaOf(n, m);
        return d?.spread !== null && d?.spread !== undefined
          ? `± ${formatMetric(m, d.spread)} (1σ over the baseline runs)`
          : 'one baseline run: no spread';
      },
      cellClass: (n) => (deltaOf(n, m)?.baseline === null ? 'na' : null),
    },
    {
      key: `${m}:candidate`,
      label: 'candidate',
      numeric: true,
      text: (n) => formatMetric(m, deltaOf(n, m)?.candidate ?? null),
      cellClass: (n) => (deltaOf(n, m)?.candidate === null ? 'na' : null),
    },
    {
      key: `${m}:change`,
      label: 'change',
      numeric: true,
      text: (n) => changeText(n, m),
      exact: (n) => {
        const v = deltaOf(n, m)?.verdict ?? 'n/a';
        return v === 'same' ? 'within noise' : v;
      },
      cellClass: (n) => {
        const v = deltaOf(n, m)?.verdict;
        return v === 'regression' || v === 'improvement' ? v : v === 'n/a' ? 'na' : null;
      },
    },
  ];
}

export function nodeComparisonTable(onNode: (nodeId: string) => void): DataTable<NodeComparison> {
  return nodeRowsTable({
    columns: [
      { key: 'type', label: 'Type', text: (n: NodeComparison) => n.type },
      {
        key: 'status',
        label: 'Status',
        text: (n) => `${n.status.baseline ?? 'absent'} → ${n.status.candidate ?? 'absent'}`,
      },
      ...COMPARE_METRICS.flatMap(metricColumns),
    ],
    cap: 100,
    caption: 'Every node: baseline mean, candidate and change for each metric.',
    onNode,
  });
}

export function runsTable(): DataTable<RunRow> {
  return new DataTable<RunRow>({
    columns: [
      { key: 'index', label: 'Run', text: (r) => runLabel(r.startedAt, r.index) },
      { key: 'id', label: 'Id', text: (r) => r.id },
      statusColumn((r) => r.status),
      {
        key: 'wall',
        label: 'Wall time',
        numeric: true,
        text: (r) => formatMs(r.wallMs),
        cellClass: (r) => (r.wallMs === null ? 'na' : null),
      },
    ],
    cap: 50,
    caption: 'The compared runs, oldest first; the last is the candidate.',
  });
}
