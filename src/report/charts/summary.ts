/**
 * The dashboard header in words: the live status line (done and left) and the run's headline
 * figures, each with its exact value and definition for the hover.
 */
import { formatBytes, formatFactor, formatMs, formatRatio, NA } from '../../model/format';
import type { DashboardModel } from './dashboardModel';
import { exactMs } from './units';

export function statusLine(model: DashboardModel): string {
  const p = model.progress;
  const parts: string[] = [model.live ? 'running' : model.run.status];
  parts.push(`${p.done} of ${p.total} node${p.total === 1 ? '' : 's'} done`);
  if (p.running > 0) parts.push(`${p.running} running`);
  if (p.left - p.running > 0 || model.live) parts.push(`${p.left} left`);
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  if (p.skipped > 0) parts.push(`${p.skipped} skipped`);
  parts.push(
    model.live ? `${formatMs(model.nowMs)} elapsed` : `wall ${formatMs(model.analysis.wallMs)}`,
  );
  return parts.join(' · ');
}

export interface Figure {
  label: string;
  value: string;
  /** The exact value and what it means, for the hover. */
  detail: string;
}

export function headlineFigures(model: DashboardModel): Figure[] {
  const a = model.analysis;
  const cp = a.criticalPath;
  return [
    {
      label: 'Wall time',
      value: formatMs(model.live ? model.nowMs : a.wallMs),
      detail: `${exactMs(model.live ? model.nowMs : a.wallMs)} from the run's start to its end${a.wallSource === 'tasks' ? ' (span of its tasks: the run has no recorded end)' : ''}`,
    },
    {
      label: 'CPU time',
      value: formatMs(a.totalCpuTimeMs),
      detail: `${exactMs(a.totalCpuTimeMs)}: user + system time of every node's process tree, summed (${a.cpuMeasuredTasks} of ${a.executedLeafTasks} tasks measured)`,
    },
    {
      label: 'Peak memory',
      value: formatBytes(a.peakConcurrentMemoryBytes),
      detail:
        a.peakConcurrentMemoryMethod === 'samples'
          ? `${formatBytes(a.peakConcurrentMemoryBytes)}: the most memory all nodes held at once, from the samples`
          : a.peakConcurrentMemoryMethod === 'max-single-node'
            ? `${formatBytes(a.peakConcurrentMemoryBytes)}: the largest single node (no samples, so a lower bound of the concurrent peak)`
            : `${NA}: not measured`,
    },
    {
      label: 'Parallelism',
      value: formatFactor(a.parallelism),
      detail: `${formatFactor(a.parallelism)} nodes at once on average (sum of durations ${exactMs(a.sumDurationMs)} / wall time); ${formatRatio(a.parallelEfficiency)} of ${a.slots} slot${a.slots === 1 ? '' : 's'} kept busy`,
    },
    {
      label: 'Critical path',
      value: `${formatMs(cp.totalMs)}${cp.shareOfWall !== null ? ` · ${formatRatio(cp.shareOfWall, 0)}` : ''}`,
      detail: `${cp.nodeIds.join(' → ') || 'none'}: ${exactMs(cp.totalMs)}${cp.shareOfWall !== null ? `, ${formatRatio(cp.shareOfWall)} of the wall time` : ''}`,
    },
  ];
}
