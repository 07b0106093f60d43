/**
 * Durations in workflow files: `500ms`, `30s`, `10m`, `1h`, combinations from the largest unit
 * to the smallest (`1m30s`, `1h5m`), or a plain number of seconds (`30`, `1.5`).
 */

/**
 * Node's timers overflow above 2^31-1 ms and then fire almost at once, so a longer timeout
 * would kill the node immediately instead of never: refuse it.
 */
export const MAX_DURATION_MS = 2_147_483_647;

export type DurationResult = { ms: number } | { error: string };

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
/** Largest first: the order parts must appear in. */
const UNIT_ORDER: readonly Unit[] = ['h', 'm', 's', 'ms'];

const HINT = 'use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s';
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
// `ms` must be tried before `m`, or `500ms` would read as 500 minutes followed by junk.
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/** Parses a duration; a number (or a numeric string) counts seconds. Rounds to whole ms. */
export function parseDuration(input: string | number): DurationResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) {
      return { error: `${String(input)} is not a duration: ${HINT}` };
    }
    return checked(Math.round(input * 1000));
  }
  const text = input.trim();
  if (text === '') return { error: `an empty string is not a duration: ${HINT}` };
  if (PLAIN_NUMBER.test(text)) return checked(Math.round(Number(text) * 1000));

  let total = 0;
  let at = 0;
  let lastUnit = -1;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) {
      const rest = text.slice(at);
      const unit = /^\d+(?:\.\d+)?([A-Za-z]+)/.exec(rest)?.[1];
      const why = unit ? `unknown unit \`${unit}\`` : `unexpected \`${rest}\``;
      return { error: `\`${text}\` is not a duration (${why}): ${HINT}` };
    }
    const unit = m[2] as Unit;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastUnit) {
      return {
        error: `\`${text}\` is not a duration: units go from largest to smallest, each once (e.g. 1h30m, 1m30s)`,
      };
    }
    lastUnit = rank;
    total += Number(m[1]) * UNIT_MS[unit];
    at = PART.lastIndex;
  }
  return checked(Math.round(total));
}

function checked(ms: number): DurationResult {
  if (ms > MAX_DURATION_MS) {
    return {
      error: `${formatDuration(ms)} is too long: the limit is ${formatDuration(MAX_DURATION_MS)}`,
    };
  }
  return { ms };
}

/** The inverse of parseDuration for messages: 1500 → `1.5s`, 90000 → `1m30s`, 250 → `250ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / UNIT_MS.h);
  rest -= h * UNIT_MS.h;
  const m = Math.floor(rest / UNIT_MS.m);
  rest -= m * UNIT_MS.m;
  // Whole milliseconds as fractional seconds, trailing zeros dropped: 30500 → 30.5s.
  const s = rest / 1000;
  let out = sign;
  if (h > 0) out += `${h}h`;
  if (m > 0) out += `${m}m`;
  if (s > 0) out += `${Number(s.toFixed(3))}s`;
  return out;
}
