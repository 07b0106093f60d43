/** What the terminal shows while a run goes on: one line per finished task, then a summary. */
import type { RunnerEvent } from '../protocol/runner';
import type { TaskRun } from '../model/run';
import { formatBytes, formatMs, formatPercent } from '../model/format';
import { nodeQueuedMs } from '../model/metrics';
import { failedTasks, failureLine, plainLine, taskError } from '../model/failures';

const MARK: Record<string, string> = {
  completed: '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '⊘',
  retried: '↻',
  running: '▶',
};

/**
 * `queuedMs`: what "waited" says. The final attempt of a retried node gives the node's queue
 * time over every attempt (src/model/metrics.ts), as the report and the dashboard do.
 */
export function taskLine(task: TaskRun, queuedMs: number | null = task.waitMs): string {
  const mark = MARK[task.status] ?? '?';
  const name = task.nodeId.padEnd(20);
  const type = task.type.padEnd(8);
  if (task.status === 'skipped' || (task.status === 'cancelled' && task.startMs === null)) {
    return `  ${mark} ${name} ${type} ${task.status}: ${task.reason ?? ''}`;
  }
  const parts = [
    formatMs(task.durationMs).padStart(10),
    `cpu ${formatPercent(task.cpuPercent)}`.padEnd(11),
    `peak ${formatBytes(task.peakRssBytes)}`,
  ];
  if (queuedMs !== null && queuedMs >= 1) {
    const all = task.attempt > 1 && task.status !== 'retried' ? ' over all attempts' : '';
    parts.push(`waited ${formatMs(queuedMs)}${all}`);
  }
  if (task.http) parts.push(`HTTP ${task.http.status ?? '-'}`);
  const why =
    task.status === 'completed' ? '' : `  (${task.status}${task.reason ? `: ${task.reason}` : ''})`;
  return `  ${mark} ${name} ${type} ${parts.join('  ')}${why}${errorLine(task)}`;
}

/** The node's own first error line, under its task line, when it says more than the reason. */
function errorLine(task: TaskRun): string {
  if (!taskError(task)) return '';
  const line = plainLine(failureLine(task) ?? '');
  return line.length > 0 && line !== task.reason ? `\n      ↳ ${line}` : '';
}

/**
 * `show`'s account of each failed node: kind and message, then the end of its stderr indented
 * (control characters removed, so a node cannot drive the terminal).
 */
export function failureDetails(tasks: readonly TaskRun[]): string[] {
  const failed = failedTasks(tasks);
  if (failed.length === 0) return [];
  const lines = ['failures:'];
  for (const t of failed) {
    const e = taskError(t);
    lines.push(`  ${t.nodeId}: ${e ? `${e.kind}: ${e.message}` : (t.reason ?? 'failed')}`);
    if (!e || e.stderrTail.length === 0) continue;
    for (const l of e.stderrTail.split('\n')) lines.push(`    | ${plainLine(l)}`);
  }
  return lines;
}

export function progressPrinter(write: (line: string) => void): (e: RunnerEvent) => void {
  /** Queue time of the attempts of each node so far, for its final attempt's line. */
  const queued = new Map<string, number | null>();
  return (e) => {
    switch (e.type) {
      case 'run-started':
        write(
          `▶ ${e.run.workflow.name}: run ${e.runId} (${e.run.runtime}, ${e.run.maxParallel} slot${e.run.maxParallel === 1 ? '' : 's'}, sampling every ${e.run.collector.intervalMs} ms)`,
        );
        break;
      case 'task-finished': {
        const t = e.task;
        const sum = nodeQueuedMs([{ waitMs: queued.get(t.nodeId) ?? null }, t]);
        if (t.status === 'retried') queued.set(t.nodeId, sum);
        else queued.delete(t.nodeId);
        write(taskLine(t, sum));
        break;
      }
      default:
        break;
    }
  };
}

/** Elapsed time in a progress line: tenths of a second, whole seconds past a minute. */
function elapsedText(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.floor(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/**
 * The one line a terminal shows while nodes run: each running node, oldest first, and how long it
 * has run. Cut to `width - 1` columns (a line as wide as the terminal wraps, and the next redraw
 * could then clear only its second half).
 */
export function runningLine(
  running: ReadonlyMap<string, number>,
  nowMs: number,
  width: number,
): string {
  const nodes = [...running].sort((a, b) => a[1] - b[1]);
  const line = `▶ ${nodes.length} running: ${nodes.map(([id, t0]) => `${id} ${elapsedText(nowMs - t0)}`).join(' · ')}`;
  const max = Math.max(10, width - 1);
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}
