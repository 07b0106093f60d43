/**
 * The dashboard header in words: the live status line (done and left) and the run's headline
 * figures, each with its exact value and definition for the hover.
 */
import { formatBytes, formatFactor, formatMs, formatRatio, NA } from '../../model/format';
import type { DashboardModel } from './dashboardModel';
import { runFigures } from './liveFigures';
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
  // Live: running nodes count with their time and CPU so far (liveFigures.ts).
  const f = runFigures(model);
  const cp = f.criticalPath;
  const soFar = f.soFar ? ' so far' : '';
  const runningCpu =
    f.running === 0
      ? ''
      : `; ${f.runningWithCpu} of ${f.running} running node${f.running === 1 ? '' : 's'} counted with their CPU so far, from samples`;
  return [
    {
      label: 'Wall time',
      value: formatMs(f.wallMs),
      detail: f.soFar
        ? `${exactMs(f.wallMs)} since the run started: it is still running`
        : `${exactMs(f.wallMs)} from the run's start to its end${a.wallSource === 'tasks' ? ' (span of its tasks: the run has no recorded end)' : ''}`,
    },
    {
      label: 'CPU time',
      value: formatMs(f.cpuTimeMs),
      detail: `${exactMs(f.cpuTimeMs)}${soFar}: user + system time of every node's process tree, summed (${f.cpuMeasuredTasks} of ${f.executedLeafTasks} tasks measured${runningCpu})`,
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
      value: formatFactor(f.parallelism),
      detail: `${formatFactor(f.parallelism)} nodes at once on average${soFar} (sum of durations ${exactMs(f.sumDurationMs)} / wall time${f.running > 0 ? ', running nodes up to now' : ''}); ${formatRatio(f.parallelEfficiency)} of ${a.slots} slot${a.slots === 1 ? '' : 's'} kept busy`,
    },
    {
      // Until the run ends the chain is only the longest so far: a node still running may grow it.
      label: f.soFar ? 'Critical path so far' : 'Critical path',
      value: `${formatMs(cp.totalMs)}${cp.shareOfWall !== null ? ` · ${formatRatio(cp.shareOfWall, 0)}` : ''}`,
      detail: `${cp.nodeIds.join(' → ') || 'none'}: ${exactMs(cp.totalMs)}${cp.shareOfWall !== null ? `, ${formatRatio(cp.shareOfWall)} of the wall time` : ''}${f.soFar ? '; so far: running nodes count with the time they have run, and the path may change until the run ends' : ''}`,
    },
  ];
}
