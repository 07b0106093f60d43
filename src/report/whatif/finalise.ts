/**
 * Fills each node's slack and potential saving into a finished run, from the simulator, so
 * run.json carries them. The runner's entry injects this into runWorkflow (runtime may not
 * import report).
 */
import type { RunRecord, TaskRun } from '../../model/run';
import { simModelOf } from './simModel';
import { simulate } from './simulate';
import { potentialSavings, slackOf } from './whatIf';

export function finaliseRun(run: RunRecord): void {
  const model = simModelOf(run);
  const slack = slackOf(model, simulate(model));
  const saving = potentialSavings(model);
  for (const t of finalAttempts(run.tasks)) {
    t.slackMs = slack.get(t.nodeId) ?? null;
    t.potentialSavingMs = saving.get(t.nodeId) ?? null;
  }
}

/** A node's values belong to its last attempt, which stands for all of them. */
function finalAttempts(tasks: readonly TaskRun[]): TaskRun[] {
  const last = new Map<string, TaskRun>();
  for (const t of tasks) {
    const prev = last.get(t.nodeId);
    if (!prev || t.attempt >= prev.attempt) last.set(t.nodeId, t);
  }
  return [...last.values()];
}
