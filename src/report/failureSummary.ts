/** One sentence naming the failed nodes of a run and why: for notifications and status lines. */
import type { RunRecord, TaskRun } from '../model/run';
import { failedTasks, failureLine, plainLine } from '../model/failures';

/** The first failed node (the one whose log "Show Log" opens), or null. */
export function firstFailure(run: RunRecord): TaskRun | null {
  return failedTasks(run.tasks)[0] ?? null;
}

/** `broken failed: <its first error line>` (and how many others), or null when none failed. */
export function failureSentence(run: RunRecord): string | null {
  const failed = failedTasks(run.tasks);
  const first = failed[0];
  if (!first) return null;
  const why = plainLine(failureLine(first) ?? '');
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more failed)` : '';
  return `${first.nodeId} failed${why ? `: ${why}` : ''}${more}`;
}
