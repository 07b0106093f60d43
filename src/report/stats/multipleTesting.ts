/**
 * Benjamini–Hochberg adjusted p-values: comparing every node × metric makes dozens of tests, and
 * at 5 % each one in twenty would "regress" by chance. Adjusted values control the share of false
 * discoveries among the flagged ones. Nulls (no test made) stay null and do not count.
 */
export function benjaminiHochberg(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((a, b) => a.p - b.p);
  const m = tested.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 1;
  // Step-up: from the largest p down, each adjusted value is the smallest m·p/rank seen so far.
  for (let k = m - 1; k >= 0; k--) {
    const t = tested[k] as { p: number; i: number };
    running = Math.min(running, (t.p * m) / (k + 1));
    out[t.i] = running;
  }
  return out;
}
