/** The dashboard page: its header, its tables, and the declarative list of its chart sections. */
import type { CustomMetricRow } from '../../src/report/charts/customMetrics';
import type { NodeRow, SortKey } from '../../src/report/charts/dashboardModel';
import type { ChartBoard } from '../shared/chartBoard';
import { h } from '../shared/dom';
import { pageSkeleton, type PageSkeleton, type SectionSpec } from '../shared/sections';
import type { DataTable } from '../shared/table';
import type { DashboardControls } from './controls';
import { customMetricsTable } from './customTable';
import { slurmEfficiencyTable } from './slurmTable';
import type { EfficiencyRow } from '../../src/report/charts/slurmEfficiency';
import type { DashboardHeader } from './header';
import { nodeTable } from './nodeTable';
import type { WhatIfView } from './whatIfView';

export interface DashboardView {
  skeleton: PageSkeleton;
  header: DashboardHeader;
  controls: DashboardControls;
  nodes: DataTable<NodeRow>;
  custom: DataTable<CustomMetricRow>;
  /** Shown instead of the custom metrics table when no node reported any. */
  customEmpty: HTMLElement;
  radarTable: HTMLElement;
  whatIf: WhatIfView;
  slurm: DataTable<EfficiencyRow>;
  /** Shown instead of the Slurm table when no node ran as a Slurm job. */
  slurmEmpty: HTMLElement;
}

export function dashboardView(
  board: ChartBoard,
  header: DashboardHeader,
  controls: DashboardControls,
  on: { reveal: (nodeId: string) => void; headerSort: (key: SortKey) => void },
  whatIf: WhatIfView,
): DashboardView {
  const nodes = nodeTable(on.headerSort, on.reveal);
  const custom = customMetricsTable(on.reveal);
  const radarTable = h('div', { class: 'wp-table-wrap wp-radar-table' });
  const customEmpty = h('p', {
    class: 'wp-notes',
    text: 'No node reported custom metrics (a `_metrics` object in its output).',
  });
  const slurm = slurmEfficiencyTable(on.reveal);
  const slurmEmpty = h('p', {
    class: 'wp-notes',
    text: 'No node ran as a Slurm job (runtime: slurm).',
  });
  const sections: SectionSpec[] = [
    {
      id: 'timeline',
      heading: 'Execution timeline',
      about:
        'One row per node in execution order: each attempt a bar coloured by status, the time it queued for a slot a thin line before it, the critical path outlined in purple and linked. A bar’s label gives its duration, and its CPU where there is room; the gauge along its bottom gives the CPU (full width = one core).',
      body: [board.mount('timeline', 'Execution timeline: one row per node')],
    },
    whatIf.section,
    {
      id: 'resources',
      heading: 'Resource usage',
      about:
        'Duration, CPU (% of one core), peak resident memory and memory change per node, each on its own scale.',
      body: [controls.sort, board.mount('resources', 'Resource usage per node'), nodes.root],
    },
    {
      id: 'radar',
      heading: 'Performance by group',
      about:
        'Mean duration, queueing, CPU, memory and I/O per node of each group; each axis scaled to its largest group, the raw means beside it.',
      body: [
        controls.radar,
        h(
          'div',
          { class: 'wp-split' },
          board.mount('radar', 'Radar chart of metrics by node group'),
          radarTable,
        ),
      ],
    },
    {
      id: 'io',
      heading: 'I/O',
      about:
        'Bytes at the storage layer and read/write system calls per node: reads to the left, writes to the right.',
      body: [board.mount('io', 'I/O per node, read against write')],
    },
    {
      id: 'heatmap',
      heading: 'Heatmap',
      about:
        'Nodes × metrics; the colour is a node’s place on that metric’s own scale, the exact value on hover.',
      body: [board.mount('heatmap', 'Heatmap of nodes by metric')],
    },
    {
      id: 'overTime',
      heading: 'Resources over time',
      about:
        'CPU and resident memory from the samples, for the busiest nodes and for all nodes together.',
      body: [board.mount('overTime', 'CPU and memory over time')],
    },
    {
      id: 'custom',
      heading: 'Custom metrics',
      about:
        'The `_metrics` each node reported, against the previous run of this workflow, and their trend over the recent runs.',
      body: [
        customEmpty,
        custom.root,
        board.mount('customTrend', 'Trends of custom metrics across runs'),
      ],
    },
    {
      id: 'slurm',
      heading: 'Requested against used (Slurm)',
      about:
        'Per Slurm job: what Slurm granted against what the node used on its compute node, flagged under 25 % of a request or within 10 % of a limit; the queue is Slurm’s, apart from the run time.',
      body: [slurmEmpty, slurm.root],
    },
  ];
  const skeleton = pageSkeleton(header.root, 'Waiting for the run…', sections);
  return {
    skeleton,
    header,
    controls,
    nodes,
    custom,
    customEmpty,
    radarTable,
    whatIf,
    slurm,
    slurmEmpty,
  };
}
