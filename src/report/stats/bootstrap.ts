/**
 * The relative change of the median between two samples, with a percentile-bootstrap confidence
 * interval and a two-sided p-value read off the same bootstrap distribution (so the interval and
 * the test always agree: p < 1 − level exactly when the interval excludes no change).
 */
import { median, quantileSorted } from './descriptive';
import { mulberry32 } from './prng';

export interface BootstrapOptions {
  iterations: number;
  seed: number;
  /** Confidence level of the interval, e.g. 0.95. */
  level: number;
}

export interface RatioInterval {
  /** median(candidate) / median(baseline) − 1; null when the baseline median is 0. */
  change: number | null;
  low: number | null;
  high: number | null;
  /** Two-sided; never below 1 / (iterations + 1), the resolution of the bootstrap. */
  p: number;
}

function resampleMedian(xs: readonly number[], rnd: () => number, buf: number[]): number {
  for (let i = 0; i < xs.length; i++) buf[i] = xs[Math.floor(rnd() * xs.length)] as number;
  return median(buf) as number;
}

/** Both samples non-empty. */
export function bootstrapMedianRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  opts: BootstrapOptions,
): RatioInterval {
  if (baseline.length === 0 || candidate.length === 0)
    throw new RangeError('bootstrapMedianRatio needs values on both sides');
  const mb = median(baseline) as number;
  const mc = median(candidate) as number;
  const rnd = mulberry32(opts.seed);
  const bufB = new Array<number>(baseline.length);
  const bufC = new Array<number>(candidate.length);
  const ratios: number[] = [];
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let i = 0; i < opts.iterations; i++) {
    const b = resampleMedian(baseline, rnd, bufB);
    const c = resampleMedian(candidate, rnd, bufC);
    // Ties (c = b) count on both sides: identical samples give p = 1, not a coin toss.
    if (c <= b) atOrBelow++;
    if (c >= b) atOrAbove++;
    if (b !== 0) ratios.push(c / b - 1);
  }
  const p = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (opts.iterations + 1));
  ratios.sort((x, y) => x - y);
  const tail = (1 - opts.level) / 2;
  // An interval from a share of the resamples would be biased: none unless every one had b ≠ 0.
  const whole = ratios.length === opts.iterations;
  return {
    change: mb === 0 ? null : mc / mb - 1,
    low: whole ? quantileSorted(ratios, tail) : null,
    high: whole ? quantileSorted(ratios, 1 - tail) : null,
    p,
  };
}
