/** The failed nodes of a run, and their one-line reasons: what every view names first. */
import type { TaskRun } from './run';
import { errorHeadline, type TaskError } from './taskError';

/** Tasks whose node failed for good (not attempts that were retried), in run order. */
export function failedTasks(tasks: readonly TaskRun[]): TaskRun[] {
  return tasks.filter((t) => t.status === 'failed');
}

const KINDS: readonly string[] = ['exit', 'signal', 'timeout', 'spawn', 'output', 'limit'];

/**
 * `task.error` when it has its shape, else null: a run.json may come from an older version (no
 * `error` at all) or be hand-edited, and no view should throw on it.
 */
export function taskError(task: TaskRun): TaskError | null {
  const e = (task as { error?: unknown }).error;
  if (typeof e !== 'object' || e === null) return null;
  const r = e as Record<string, unknown>;
  const ok =
    typeof r['kind'] === 'string' &&
    KINDS.includes(r['kind']) &&
    typeof r['message'] === 'string' &&
    typeof r['stderrTail'] === 'string' &&
    (r['exitCode'] === null || typeof r['exitCode'] === 'number') &&
    (r['signal'] === null || typeof r['signal'] === 'string');
  return ok ? (e as TaskError) : null;
}

/** Why `task` failed in one line: its first error line, else its reason, else null. */
export function failureLine(task: TaskRun): string | null {
  const error = taskError(task);
  if (error) return errorHeadline(error);
  return task.status === 'failed' || task.status === 'retried' ? task.reason : null;
}

/**
 * Text from a node made safe to print as one line in a terminal or a notification: control
 * characters (escape sequences, bidi overrides) become spaces or go.
 */
export function plainLine(text: string): string {
  return (
    text
      // Control characters are what this strips, so the pattern must name them.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
      .trim()
  );
}
