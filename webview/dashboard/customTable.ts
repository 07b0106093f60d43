/** The table of the nodes' custom metrics (`_metrics`): this run against the previous one. */
import type { CustomMetricRow } from '../../src/report/charts/customMetrics';
import { formatChange } from '../../src/report/charts/customMetrics';
import { formatNumber } from '../../src/model/format';
import { nodeRowsTable, type Column, type DataTable } from '../shared/table';

const COLUMNS: Column<CustomMetricRow>[] = [
  { key: 'metric', label: 'Metric', text: (r) => r.metric },
  {
    key: 'value',
    label: 'This run',
    numeric: true,
    text: (r) => formatNumber(r.value),
    exact: (r) => String(r.value),
  },
  {
    key: 'previous',
    label: 'Previous run',
    numeric: true,
    text: (r) => formatNumber(r.previous),
    exact: (r) => (r.previous === null ? 'n/a: no earlier run recorded it' : String(r.previous)),
    cellClass: (r) => (r.previous === null ? 'na' : null),
  },
  {
    key: 'change',
    label: 'Change',
    numeric: true,
    text: formatChange,
    cellClass: (r) => (r.change === null ? 'na' : null),
  },
  {
    key: 'runs',
    label: 'Runs',
    title: 'Runs of this workflow that recorded it',
    numeric: true,
    text: (r) => String(r.runs),
  },
];

export function customMetricsTable(onNode: (nodeId: string) => void): DataTable<CustomMetricRow> {
  return nodeRowsTable({
    columns: COLUMNS,
    cap: 60,
    caption: "The nodes' custom metrics (_metrics) in this run and the previous one.",
    onNode,
  });
}
