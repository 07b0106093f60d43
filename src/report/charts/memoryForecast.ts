/**
 * Forecast against actual, after a run that was started with a memory forecast: one line for the
 * dashboard header and the report, e.g. "Memory: forecast 1.2 GiB (from run …), actual 1.1 GiB".
 * Actual is the run's peak concurrent memory as the analysis measures it (the sum over time of
 * every running node's sampled RSS, never below the largest node's exact peak), the quantity the
 * forecast predicts.
 */
import { formatBytes, NA } from '../../model/format';
import { isMemoryForecast } from '../../model/memoryForecast';
import { runFigureDef } from '../../model/metrics';
import type { RunRecord } from '../../model/run';
import type { RunAnalysis } from '../analysisTypes';

export interface ForecastFigure {
  /** The line as shown. */
  text: string;
  /** How both figures were obtained, for the hover and the report's definition column. */
  detail: string;
  /** The forecast and the actual value as they print (the report's table cells). */
  forecast: string;
  actual: string;
}

type Actual = Pick<RunAnalysis, 'peakConcurrentMemoryBytes' | 'peakConcurrentMemoryMethod'>;

/** Null when the run was started without a forecast (no earlier completed run, or an old run). */
export function memoryForecastFigure(
  run: RunRecord,
  a: Actual,
  live: boolean,
): ForecastFigure | null {
  const f = run.memoryForecast;
  if (!isMemoryForecast(f)) return null;
  const forecast =
    f.peakRssBytes === null
      ? `${NA} (run ${f.basedOnRunId} measured no memory)`
      : `${formatBytes(f.peakRssBytes)} (from run ${f.basedOnRunId}, maxParallel ${f.maxParallel})`;
  const actual =
    a.peakConcurrentMemoryBytes === null
      ? `${NA} (not measured)`
      : a.peakConcurrentMemoryMethod === 'max-single-node'
        ? `≥ ${formatBytes(a.peakConcurrentMemoryBytes)}`
        : formatBytes(a.peakConcurrentMemoryBytes);
  const over =
    f.peakRssBytes !== null && f.limitBytes !== null && f.peakRssBytes > f.limitBytes
      ? ` (over the limit of ${formatBytes(f.limitBytes)})`
      : '';
  const actualHow =
    a.peakConcurrentMemoryMethod === 'samples'
      ? "actual: the most memory all nodes held at once, from the samples (never below the largest node's exact peak)"
      : a.peakConcurrentMemoryMethod === 'max-single-node'
        ? 'actual: no samples, so only the largest single node (a lower bound)'
        : 'actual: no node measured its memory';
  return {
    text: `Memory: forecast ${forecast}${over}, actual${live ? ' so far' : ''} ${actual}`,
    detail: `forecast: ${runFigureDef('memoryForecast').how}; limit then ${formatBytes(f.limitBytes)}. ${actualHow}`,
    forecast: `${forecast}${over}`,
    actual,
  };
}
