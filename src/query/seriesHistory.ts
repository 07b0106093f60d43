/**
 * The series of a workflow: which one came before a given series, for the editor's
 * "Compare with Previous Series" (which opens the Compare panel on the two).
 */
import type { RunSource } from './runSource';

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
