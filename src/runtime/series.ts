/**
 * A series: K warm-up runs and N measured runs of one workflow in sequence, sharing a series id
 * in run.json. One definition for the CLI's `run --repeat N` and the editor's "Profile
 * Repeatedly…": the front end starts each run its own way (a runner each), this decides the ids,
 * the order, when to stop and what the series' status is.
 */
import type { RunResult } from '../protocol/runner';
import type { RunSeries } from '../model/run';
import { newSeriesId } from '../store/seriesId';

export interface SeriesRun {
  runId: string | null;
  runDir: string | null;
  status: RunResult['status'];
  warmup: boolean;
}

export interface SeriesPlan {
  /** Measured runs. */
  repeat: number;
  /** Runs before them, stored and marked, never in statistics. */
  warmup: number;
}

export interface SeriesOutcome {
  id: string;
  runs: SeriesRun[];
  /** `completed` when every measured run completed; `invalid` when the workflow did not parse. */
  status: string;
  /** The result that ended the series as invalid (its problems), else null. */
  invalid: RunResult | null;
}

/** Every measured run completed: `completed`; else the first measured run's other status. */
export function seriesStatus(runs: readonly SeriesRun[], repeat: number): string {
  const measured = runs.filter((r) => !r.warmup);
  const bad = measured.find((r) => r.status !== 'completed');
  if (bad) return bad.status;
  return measured.length === repeat ? 'completed' : 'cancelled';
}

/**
 * Runs the series: `startOne` starts one run with its place in the series and resolves with its
 * result; `stopped` is asked before each run (a cancel from the user). A cancelled or interrupted
 * run stops the series: the user wants to stop; a failed one does not: it still tells something.
 */
export async function runSeries(
  plan: SeriesPlan,
  startOne: (series: RunSeries, total: number) => Promise<RunResult>,
  stopped: () => boolean,
  id: string = newSeriesId(),
): Promise<SeriesOutcome> {
  const total = plan.warmup + plan.repeat;
  const runs: SeriesRun[] = [];
  for (let index = 0; index < total && !stopped(); index++) {
    const warmup = index < plan.warmup;
    const result = await startOne({ id, index, warmup }, total);
    if (result.status === 'invalid') return { id, runs, status: 'invalid', invalid: result };
    runs.push({ runId: result.runId, runDir: result.runDir, status: result.status, warmup });
    if (result.status === 'cancelled' || result.status === 'interrupted') break;
  }
  return { id, runs, status: seriesStatus(runs, plan.repeat), invalid: null };
}
