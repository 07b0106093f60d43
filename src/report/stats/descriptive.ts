/** Order statistics of small samples: medians and robust spread. Pure; inputs are not mutated. */

/** MAD × this estimates σ for normal data, so a robust spread reads like a standard deviation. */
export const MAD_TO_SIGMA = 1.4826;

export function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** Linear interpolation between order statistics (R's type 7), `q` in [0, 1]. */
export function quantileSorted(s: readonly number[], q: number): number | null {
  if (s.length === 0) return null;
  const at = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (at - lo);
}

export function median(xs: readonly number[]): number | null {
  return quantileSorted(sorted(xs), 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: readonly number[]): number | null {
  const m = median(xs);
  if (m === null) return null;
  return median(xs.map((x) => Math.abs(x - m)));
}

/** Interquartile range, for readers who prefer it to MAD. */
export function iqr(xs: readonly number[]): number | null {
  const s = sorted(xs);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  return q1 === null || q3 === null ? null : q3 - q1;
}

/**
 * Robust run-to-run spread relative to the median: MAD scaled to σ, over the median. Null with
 * fewer than 3 values (no spread can be told from 2) or a zero median.
 */
export function relativeSpread(xs: readonly number[]): number | null {
  if (xs.length < 3) return null;
  const m = median(xs);
  const d = mad(xs);
  if (m === null || d === null || m === 0) return null;
  return (MAD_TO_SIGMA * d) / Math.abs(m);
}
