/**
 * The series of a workflow: which one came before a given series, and the Markdown comparison
 * of two series with the statistics `compare` uses (src/report/stats), for the editor's
 * "Compare with Previous Series".
 */
import type { CompareMetric } from '../model/comparison';
import { compareSeries } from '../report/stats/compareSeries';
import { renderSeriesMarkdown } from '../report/stats/renderSeries';
import { resolveRunSet } from './runSet';
import type { RunSource } from './runSource';

/** The metrics every workflow has, the ones `compare` watches by default. */
const SERIES_METRICS: readonly CompareMetric[] = ['durationMs', 'cpuTimeMs', 'peakRssBytes'];

/**
 * The newest series of the workflow in `file` other than `exceptId`, or null. Reads run.json of
 * the workflow's finished runs newest first (summaries do not carry the series) and stops at the
 * first run of another series.
 */
export async function previousSeriesId(
  source: RunSource,
  file: string,
  exceptId: string,
): Promise<string | null> {
  const runs = (await source.list()).filter(
    (r) => r.workflow.file === file && r.status !== 'running',
  );
  for (const summary of runs) {
    const series = (await source.load(summary.id)).series;
    if (series && series.id !== exceptId && !series.warmup) return series.id;
  }
  return null;
}

/** Baseline series against candidate series, as Markdown (the compare panel's report form). */
export async function seriesComparisonMarkdown(
  source: RunSource,
  baselineId: string,
  candidateId: string,
): Promise<string> {
  const baseline = await resolveRunSet(source, baselineId);
  const candidate = await resolveRunSet(source, candidateId);
  return renderSeriesMarkdown(compareSeries(baseline, candidate, SERIES_METRICS));
}
