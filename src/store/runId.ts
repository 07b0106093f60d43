/**
 * Run ids name run folders, so they must be filename-safe everywhere, unique without
 * coordination between processes, and sortable: comparing two ids as strings orders them by
 * start time (UTC, so daylight-saving changes and time zones cannot reorder them).
 *
 * Shape: `YYYYMMDD-HHMMSS-mmm-xxxxxx`, e.g. `20261124-091223-123-a1b2c3`. The suffix separates
 * runs started in the same millisecond: a random 24-bit start per process plus a counter, so ids
 * from one process never collide (a purely random suffix would, by the birthday bound, after a
 * few thousand ids in one millisecond) and ids from different processes collide with odds of
 * 1 in 16 million per same-millisecond pair, which createRun turns into an error, not a merge.
 */
import { randomBytes } from 'node:crypto';

const suffixBase = randomBytes(3).readUIntBE(0, 3);
let counter = 0;

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;

export function newRunId(date: Date = new Date()): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('newRunId: invalid date');
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  const day = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  const time = `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  const suffix = (suffixBase + counter++) & 0xffffff;
  return `${day}-${time}-${p(date.getUTCMilliseconds(), 3)}-${suffix.toString(16).padStart(6, '0')}`;
}

/** True for ids made by newRunId (other safe names may still be valid run folders). */
export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/** The time encoded in a newRunId id, or null for any other string. */
export function runIdTime(id: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})-[0-9a-f]{6}$/.exec(id);
  if (!m) return null;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
}
