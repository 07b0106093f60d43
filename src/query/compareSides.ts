/**
 * A comparison of two sides as the `compare` command and the Compare panel both make it: each
 * side resolved by resolveRunSetDetailed (warm-ups out), then compareSeries over the same metrics,
 * so the editor and the terminal can never give different verdicts for the same runs.
 */
import type { CompareMetric } from '../model/comparison';
import type { SeriesComparison } from '../model/seriesComparison';
import type { CompareChoice } from '../protocol/compare';
import { compareSeries } from '../report/stats/compareSeries';
import { resolveRunSetDetailed, type ResolvedRunSet } from './runSet';
import type { RunSource } from './runSource';

/** Watched unless told otherwise: the three every workflow has. */
export const DEFAULT_COMPARE_METRICS: readonly CompareMetric[] = [
  'durationMs',
  'cpuTimeMs',
  'peakRssBytes',
];

export interface SidesComparison {
  baseline: ResolvedRunSet;
  candidate: ResolvedRunSet;
  result: SeriesComparison;
}

export async function compareSides(
  source: RunSource,
  baselineSpec: string,
  candidateSpec: string,
  metrics: readonly CompareMetric[] = DEFAULT_COMPARE_METRICS,
): Promise<SidesComparison> {
  const baseline = await resolveRunSetDetailed(source, baselineSpec);
  const candidate = await resolveRunSetDetailed(source, candidateSpec);
  return { baseline, candidate, result: compareSeries(baseline.runs, candidate.runs, metrics) };
}

/** How many of the newest finished runs the choosers look through for series and runs. */
export const CHOICE_WINDOW = 100;

/**
 * What a chooser offers, newest first: every series among the last CHOICE_WINDOW finished runs of
 * the workflow (null: of every workflow), then each of those runs on its own. A series counts
 * only the runs inside the window.
 */
export async function compareChoices(
  source: RunSource,
  workflowFile: string | null,
  window = CHOICE_WINDOW,
): Promise<CompareChoice[]> {
  const summaries = (await source.list())
    .filter(
      (r) => r.status !== 'running' && (workflowFile === null || r.workflow.file === workflowFile),
    )
    .slice(0, window);
  const series = new Map<string, Extract<CompareChoice, { kind: 'series' }>>();
  const runs: CompareChoice[] = [];
  for (const s of summaries) {
    const run = await source.load(s.id);
    const sid = run.series?.id;
    if (sid) {
      const entry = series.get(sid) ?? {
        kind: 'series' as const,
        spec: sid,
        measuredRuns: 0,
        warmups: 0,
        startedAt: run.startedAt,
        workflowName: run.workflow.name,
      };
      if (run.series?.warmup) entry.warmups++;
      else entry.measuredRuns++;
      // Newest first: the last seen is the series' first run.
      entry.startedAt = run.startedAt;
      series.set(sid, entry);
    }
    runs.push({
      kind: 'run',
      spec: run.id,
      startedAt: run.startedAt,
      status: run.status,
      wallMs: run.wallMs,
      workflowName: run.workflow.name,
    });
  }
  const measured = [...series.values()].filter((c) => c.measuredRuns > 0);
  return [...measured, ...runs];
}
