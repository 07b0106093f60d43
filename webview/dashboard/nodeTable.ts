/** The table of every node under the resource chart: every metric, sortable, exact on hover. */
import {
  TABLE_METRICS,
  type NodeMetric,
  type NodeRow,
  type SortKey,
} from '../../src/report/charts/dashboardModel';
import { metricDef } from '../../src/model/metrics';
import { SORT_LABELS } from '../../src/report/charts/resources';
import { formatCount } from '../../src/model/format';
import { exactMs } from '../../src/report/charts/units';
import { LOWER_BOUND_MARK } from '../../src/model/run';
import { DataTable, nodeColumn, statusColumn, type Column } from '../shared/table';

const NA_CLASS = (v: number | null): string | null => (v === null ? 'na' : null);

const exactBytes = (v: number | null): string => (v === null ? 'n/a' : `${formatCount(v)} bytes`);

/** A sortable column of one table metric: its short label and format, exact value on hover. */
export function metricColumn(key: NodeMetric): Column<NodeRow> {
  const m = metricDef(key);
  const exact = m.kind === 'time' ? exactMs : m.kind === 'bytes' ? exactBytes : m.format;
  return {
    key,
    label: m.short,
    title: `Sort by ${SORT_LABELS[key]}`,
    numeric: true,
    // "≥" before a figure that is only a lower bound; why, on hover.
    text: (r) => `${r.lowerBounds[key] ? `${LOWER_BOUND_MARK} ` : ''}${m.format(r.metrics[key])}`,
    exact: (r) => {
      const why = r.lowerBounds[key];
      return why ? `${LOWER_BOUND_MARK} ${exact(r.metrics[key])}: ${why}` : exact(r.metrics[key]);
    },
    cellClass: (r) => NA_CLASS(r.metrics[key]),
  };
}

export function nodeTable(
  onSort: (key: SortKey) => void,
  onNode: (nodeId: string) => void,
): DataTable<NodeRow> {
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
    ...TABLE_METRICS.map(metricColumn),
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
