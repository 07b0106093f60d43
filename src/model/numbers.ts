/** Small numeric helpers over possibly-unmeasured values (null = not measured, never 0). */

/** The largest measured value, or null when none was measured. */
export function maxOf(...values: (number | null)[]): number | null {
  let best: number | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
