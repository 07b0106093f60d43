/** How many runs "Profile Repeatedly…" makes: a whole number from 1 to 100, checked as typed. */

export const MIN_REPEAT = 1;
export const MAX_REPEAT = 100;

/** The count, or null when `text` is not a whole number in range. */
export function parseRepeatCount(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= MIN_REPEAT && n <= MAX_REPEAT ? n : null;
}

/** The input box's inline message: undefined when the text is a valid count. */
export function repeatCountProblem(text: string): string | undefined {
  return parseRepeatCount(text) === null
    ? `Enter a whole number from ${MIN_REPEAT} to ${MAX_REPEAT}, not ${JSON.stringify(text.trim())}.`
    : undefined;
}
