/** The failed nodes of a run, and their one-line reasons: what every view names first. */
import type { TaskRun } from './run';
import { errorHeadline } from './taskError';

/** Tasks whose node failed for good (not attempts that were retried), in run order. */
export function failedTasks(tasks: readonly TaskRun[]): TaskRun[] {
  return tasks.filter((t) => t.status === 'failed');
}

/** Why `task` failed in one line: its first error line, else its reason, else null. */
export function failureLine(task: TaskRun): string | null {
  if (task.error) return errorHeadline(task.error);
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
