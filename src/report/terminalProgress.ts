/** What the terminal shows while a run goes on: one line per finished task, then a summary. */
import type { RunnerEvent } from '../protocol/runner';
import type { TaskRun } from '../model/run';
import { formatBytes, formatMs, formatPercent } from '../model/format';

const MARK: Record<string, string> = {
  completed: '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '⊘',
  retried: '↻',
  running: '▶',
};

export function taskLine(task: TaskRun): string {
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
  if (task.waitMs !== null && task.waitMs >= 1) parts.push(`waited ${formatMs(task.waitMs)}`);
  if (task.http) parts.push(`HTTP ${task.http.status ?? '-'}`);
  const why =
    task.status === 'completed' ? '' : `  (${task.status}${task.reason ? `: ${task.reason}` : ''})`;
  return `  ${mark} ${name} ${type} ${parts.join('  ')}${why}`;
}

export function progressPrinter(write: (line: string) => void): (e: RunnerEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'run-started':
        write(
          `▶ ${e.run.workflow.name}: run ${e.runId} (${e.run.runtime}, ${e.run.maxParallel} slot${e.run.maxParallel === 1 ? '' : 's'}, sampling every ${e.run.collector.intervalMs} ms)`,
        );
        break;
      case 'task-finished':
        write(taskLine(e.task));
        break;
      default:
        break;
    }
  };
}
