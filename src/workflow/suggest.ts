/** "Did you mean …?" for misspelt keys, node ids and types. */

/** Words longer than this get no suggestion. */
const MAX_SUGGEST_LENGTH = 200;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps), case-insensitive, so
 * `timout`, `needs`, `contineOnError` and `ContinueOnError` all land on the intended word.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= t.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[s.length] as number[])[t.length] as number;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo: about a third of the
 * length, at least one edit, but never every character (so `c` does not suggest `a`). Ties go
 * to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Nobody misspells a word this long; the distance table would be its length times theirs.
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const budget = Math.min(word.length - 1, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: skip the table when that is too far.
    if (Math.abs(c.length - word.length) > budget) continue;
    const d = editDistance(word, c);
    if (d < bestDistance && d <= budget) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean \`x\`?)`, or an empty string when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean \`${c}\`?)`;
}
