/**
 * Outliers by modified z-score (Iglewicz and Hoaglin), as hyperfine reports them: robust, so one
 * wild run cannot hide itself by inflating the spread. They are reported, never dropped: a median
 * already resists them, and a dropped run would hide a real intermittent slowdown.
 */
import { median } from './descriptive';

/** |modified z| above this is an outlier (the authors' recommendation). */
export const OUTLIER_Z = 3.5;

export function modifiedZScores(xs: readonly number[]): number[] {
  const m = median(xs);
  if (m === null) return [];
  const dev = xs.map((x) => Math.abs(x - m));
  const madV = median(dev) as number;
  if (madV > 0) return xs.map((x) => (0.6745 * (x - m)) / madV);
  // More than half the values equal: MAD is 0. Fall back to the mean absolute deviation
  // (scaled by 1.2533 to match σ), as IBM's definition of the score does.
  const meanAd = dev.reduce((a, b) => a + b, 0) / xs.length;
  if (meanAd === 0) return xs.map(() => 0);
  return xs.map((x) => (x - m) / (1.253314 * meanAd));
}

/** Indices of the outliers of `xs`. */
export function outlierIndices(xs: readonly number[], threshold = OUTLIER_Z): number[] {
  return modifiedZScores(xs).flatMap((z, i) => (Math.abs(z) > threshold ? [i] : []));
}
