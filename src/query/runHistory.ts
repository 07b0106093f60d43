/**
 * The history of a workflow, defined once: a workflow is its file; its history is its finished
 * runs in start-time order (ids break ties, as they sort by time). Pure, over run summaries.
 */
import type { RunStatus } from '../model/run';

/** The fields of a run that history needs (a RunSummary or a RunRecord has them). */
export interface RunRef {
  id: string;
  status: RunStatus;
  startedAt: string;
  workflow: { file: string };
}

/** Older first: by start time, then by id. */
export function byStartTime(a: RunRef, b: RunRef): number {
  const ta = Date.parse(a.startedAt);
  const tb = Date.parse(b.startedAt);
  if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The last `n` runs of `anchor`'s workflow up to and including `anchor`, oldest first. Other
 * runs count only when finished (a running one has nothing settled to show); the anchor always
 * counts, finished or not.
 */
export function lastRunsUpTo<T extends RunRef, A extends RunRef>(
  runs: readonly T[],
  anchor: A,
  n: number,
): (T | A)[] {
  if (n <= 0) return [];
  const earlier = runs.filter(
    (r) =>
      r.id !== anchor.id &&
      r.workflow.file === anchor.workflow.file &&
      r.status !== 'running' &&
      byStartTime(r, anchor) < 0,
  );
  earlier.sort(byStartTime);
  const kept: (T | A)[] = earlier.slice(Math.max(0, earlier.length - (n - 1)));
  kept.push(anchor);
  return kept;
}

/** The finished run of the same workflow that started last before `anchor`, if any. */
export function previousRun<T extends RunRef>(runs: readonly T[], anchor: RunRef): T | undefined {
  const history = lastRunsUpTo(runs, anchor, 2);
  // With two, the first is never the anchor: it is one of `runs`.
  return history.length === 2 ? (history[0] as T) : undefined;
}

/** The newest finished run of the workflow in `file`, if any. */
export function latestFinishedRun<T extends RunRef>(
  runs: readonly T[],
  file: string,
): T | undefined {
  let latest: T | undefined;
  for (const r of runs) {
    if (r.workflow.file !== file || r.status === 'running') continue;
    if (!latest || byStartTime(r, latest) > 0) latest = r;
  }
  return latest;
}

/** The last `n` finished runs of the workflow in `file`, oldest first. */
export function lastFinishedRuns<T extends RunRef>(
  runs: readonly T[],
  file: string,
  n: number,
): T[] {
  const latest = latestFinishedRun(runs, file);
  return latest ? lastRunsUpTo<T, T>(runs, latest, n) : [];
}
