/**
 * Series ids: `series-` and a run id made when the series starts, so a series id is told from a
 * run id at a glance and says when its first run can have started (a reader loads only the runs
 * started since, not the whole store).
 */
import { newRunId, runIdTime } from './runId';

export const SERIES_PREFIX = 'series-';

export function newSeriesId(date: Date = new Date()): string {
  return `${SERIES_PREFIX}${newRunId(date)}`;
}

export function isSeriesId(value: string): boolean {
  return value.startsWith(SERIES_PREFIX);
}

/** When the series started, or null for an id not made by newSeriesId. */
export function seriesIdTime(id: string): Date | null {
  return isSeriesId(id) ? runIdTime(id.slice(SERIES_PREFIX.length)) : null;
}
