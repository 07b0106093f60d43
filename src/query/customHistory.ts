/** The custom-metric trend of a run: its workflow's last runs up to it, as chart points. */
import type { RunRecord } from '../model/run';
import type { CustomTrendPoint } from '../protocol/dashboard';
import { CUSTOM_HISTORY_RUNS, customTrendPoints } from '../report/panelSnapshots';
import { lastRunsUpTo } from './runHistory';
import type { RunSource } from './runSource';

/**
 * Custom metrics of the last CUSTOM_HISTORY_RUNS runs of `run`'s workflow up to and including
 * `run` (see lastRunsUpTo), oldest first. `run` is used as given (it may be live); a run that
 * cannot be read only leaves a gap in the trend.
 */
export async function customHistory(
  source: RunSource,
  run: RunRecord,
  count = CUSTOM_HISTORY_RUNS,
): Promise<CustomTrendPoint[]> {
  const summaries = await source.list();
  const history = lastRunsUpTo(summaries, run, count);
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
