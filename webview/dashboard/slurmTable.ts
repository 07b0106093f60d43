/** Requested against used per Slurm job (runtime slurm): the report's table, sortable. */
import type { EfficiencyRow } from '../../src/report/charts/slurmEfficiency';
import { formatMs } from '../../src/model/format';
import { nodeRowsTable, type Column, type DataTable } from '../shared/table';

const share = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 100)} %`);
const na = (v: number | null): string | null => (v === null ? 'na' : null);

const COLUMNS: Column<EfficiencyRow>[] = [
  { key: 'jobId', label: 'Job', text: (r) => r.jobId },
  { key: 'host', label: 'Host', text: (r) => r.host ?? 'n/a' },
  {
    key: 'queueMs',
    label: 'Queue',
    title: "Slurm's queue: submitted to started",
    numeric: true,
    text: (r) => formatMs(r.queueMs),
    cellClass: (r) => na(r.queueMs),
  },
  {
    key: 'cpuEfficiency',
    label: 'CPU eff.',
    title: 'CPU time ÷ (cpus granted × duration)',
    numeric: true,
    text: (r) => share(r.cpuEfficiency),
    cellClass: (r) => na(r.cpuEfficiency),
  },
  {
    key: 'memoryEfficiency',
    label: 'Memory eff.',
    title: 'Peak memory ÷ memory granted',
    numeric: true,
    text: (r) => share(r.memoryEfficiency),
    cellClass: (r) => na(r.memoryEfficiency),
  },
  {
    key: 'timeUsed',
    label: 'Time used',
    title: 'Duration ÷ time limit',
    numeric: true,
    text: (r) => share(r.timeUsed),
    cellClass: (r) => na(r.timeUsed),
  },
  {
    key: 'flags',
    label: 'Flags',
    title: 'Under 25 % of a request, or within 10 % of a limit',
    text: (r) => r.flags.join('; ') || 'none',
  },
];

export function slurmEfficiencyTable(onNode: (nodeId: string) => void): DataTable<EfficiencyRow> {
  return nodeRowsTable({
    columns: COLUMNS,
    cap: 60,
    caption: 'Requested against used, per Slurm job.',
    onNode,
  });
}
