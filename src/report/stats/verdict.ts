/**
 * The verdict of one node × metric, from its statistics. A change is called only when it is
 * significant (adjusted p below alpha) and outside the noise band, relatively and in absolute
 * units (the metric's noise floor, so 2 ms → 3 ms is never "+50 %").
 */
import type { MetricKind, MetricBetter } from '../../model/metrics';
import type { SeriesVerdict } from '../../model/seriesComparison';

/** A change this large decides even a single pair of runs... */
export const FAR_CHANGE = 0.5;
/**
 * ...when it is also this large in absolute terms: 1 s for times. Not 100 ms: on a loaded 2-core
 * machine one unchanged run of a 50 ms sleep took 160 ms and one of a 35 ms CPU burner 245 ms,
 * so a tenth of a second is plausible noise for a single run; a second is 4× the worst seen.
 */
export const FAR_TIME_MS = 1000;
/** ...and this many noise floors for other kinds. */
export const FAR_FLOORS = 5;

export interface VerdictInput {
  nBaseline: number;
  nCandidate: number;
  baselineMedian: number;
  candidateMedian: number;
  change: number | null;
  pAdjusted: number | null;
  noiseBand: number;
  /** Absolute noise floor of the metric, in its unit. */
  absFloor: number;
  kind: MetricKind;
  better: MetricBetter;
  alpha: number;
  minRuns: number;
}

export interface Verdict {
  verdict: SeriesVerdict;
  note: string | null;
}

function direction(delta: number, better: MetricBetter): SeriesVerdict {
  // Metrics with no better direction are flagged as if lower were better: a change is news.
  const worse = better === 'higher' ? delta < 0 : delta > 0;
  return worse ? 'regressed' : 'improved';
}

export function farThreshold(kind: MetricKind, absFloor: number): number {
  return kind === 'time' ? Math.max(FAR_TIME_MS, absFloor) : FAR_FLOORS * absFloor;
}

export function decide(v: VerdictInput): Verdict {
  const delta = v.candidateMedian - v.baselineMedian;
  if (Math.min(v.nBaseline, v.nCandidate) < v.minRuns) {
    const far = farThreshold(v.kind, v.absFloor);
    if (v.change !== null && Math.abs(v.change) > FAR_CHANGE && Math.abs(delta) > far) {
      return {
        verdict: direction(delta, v.better),
        note: `decided on fewer than ${v.minRuns} runs a side: the change is beyond ${FAR_CHANGE * 100} % and ${far} ${v.kind === 'time' ? 'ms' : 'units'}, far outside plausible noise`,
      };
    }
    return { verdict: 'insufficient', note: `fewer than ${v.minRuns} runs on a side` };
  }
  const outside =
    Math.abs(delta) > v.absFloor && (v.change === null || Math.abs(v.change) > v.noiseBand);
  const significant = v.pAdjusted !== null && v.pAdjusted < v.alpha;
  if (outside && significant) return { verdict: direction(delta, v.better), note: null };
  if (outside) return { verdict: 'unchanged', note: 'beyond the noise band but not significant' };
  return { verdict: 'unchanged', note: null };
}
