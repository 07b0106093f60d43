/**
 * One side of a comparison, named on a command line or in a panel: a run id or unique prefix, a
 * series id (its measured runs), or a comma-separated list of runs. Warm-up runs never count:
 * they are dropped (and named, so a front end can say so), and a side left with none is an error
 * that says so.
 */
import type { RunRecord } from '../model/run';
import { isSeriesId, seriesIdTime } from '../store/seriesId';
import type { RunSource } from './runSource';

export class RunSetError extends Error {}

/** Runs of a series start after its id was made; this much slack covers clock steps. */
const SERIES_SLACK_MS = 60_000;

async function seriesRuns(source: RunSource, id: string): Promise<RunRecord[]> {
  const since = seriesIdTime(id)?.getTime() ?? Number.NEGATIVE_INFINITY;
  const candidates = (await source.list()).filter(
    (r) => !(Date.parse(r.startedAt) < since - SERIES_SLACK_MS),
  );
  const runs: RunRecord[] = [];
  for (const summary of candidates) {
    const run = await source.load(summary.id);
    if (run.series?.id === id) runs.push(run);
  }
  if (runs.length === 0) throw new RunSetError(`no runs of series ${id}`);
  return runs;
}

const byStart = (a: RunRecord, b: RunRecord): number =>
  a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);

/** The measured runs a spec names, oldest first, and the warm-up runs it left out. */
export interface ResolvedRunSet {
  spec: string;
  runs: RunRecord[];
  /** Ids of the warm-up runs the spec named (directly or through its series), oldest first. */
  warmups: string[];
}

export async function resolveRunSetDetailed(
  source: RunSource,
  spec: string,
): Promise<ResolvedRunSet> {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new RunSetError('no run or series named');
  const runs: RunRecord[] = [];
  for (const part of parts) {
    if (isSeriesId(part)) runs.push(...(await seriesRuns(source, part)));
    else runs.push(await source.load(part));
  }
  const unique = [...new Map(runs.map((r) => [r.id, r])).values()].sort(byStart);
  const measured = unique.filter((r) => r.series?.warmup !== true);
  if (measured.length === 0) throw new RunSetError(`${spec} names only warm-up runs`);
  const warmups = unique.filter((r) => r.series?.warmup === true).map((r) => r.id);
  return { spec, runs: measured, warmups };
}

/** The measured runs `spec` names, oldest first. */
export async function resolveRunSet(source: RunSource, spec: string): Promise<RunRecord[]> {
  return (await resolveRunSetDetailed(source, spec)).runs;
}
