/** The custom-metric trend of a run: its workflow's last runs up to it, as chart points. */
import type { RunRecord } from '../model/run';
import type { CustomTrendPoint } from '../protocol/dashboard';
import { CUSTOM_HISTORY_RUNS, customTrendPoints } from '../report/panelSnapshots';
import { lastFinishedRuns, previousRun } from './runHistory';
import type { RunSource } from './runSource';

/**
 * Custom metrics of `count` runs of `run`'s workflow, oldest first: `run` itself and the newest
 * `count - 1` other finished runs (see lastFinishedRuns). The trend is the workflow's recent
 * history with this run marked in it, so an older run still sees the runs after it. `run` is
 * used as given (it may be live); a run that cannot be read only leaves a gap in the trend.
 */
export async function customHistory(
  source: RunSource,
  run: RunRecord,
  count = CUSTOM_HISTORY_RUNS,
): Promise<CustomTrendPoint[]> {
  const summaries = await source.list();
  if (count <= 0) return [];
  const others = lastFinishedRuns(summaries, run.workflow.file, count).filter(
    (r) => r.id !== run.id,
  );
  const history = [...others.slice(Math.max(0, others.length - (count - 1))), run];
  const records: RunRecord[] = [];
  for (const r of history) {
    if (r.id === run.id) {
      records.push(run);
      continue;
    }
    try {
      records.push(await source.load(r.id));
    } catch {
      // A gap, not a failure: the other runs still make a trend.
    }
  }
  return customTrendPoints(records);
}

/**
 * Custom metrics of the run before `run` (see previousRun): what the dashboard compares `run`
 * against. Empty when there is none or it cannot be read.
 */
export async function customPrevious(
  source: RunSource,
  run: RunRecord,
): Promise<CustomTrendPoint[]> {
  const prev = previousRun(await source.list(), run);
  if (!prev) return [];
  try {
    return customTrendPoints([await source.load(prev.id)]);
  } catch {
    return [];
  }
}
