/**
 * Number formatting for reports, the CLI and the editor. Every formatter takes `null` (a metric
 * the platform could not measure) and prints `n/a`: an unmeasured value must never read as 0.
 *
 * Times keep millisecond precision below 10 s: the original's timeline rounded to whole seconds,
 * which made a 40 ms node and a 900 ms node look the same.
 */

/** What a value that was not measured prints as, everywhere. */
export const NA = 'n/a';

type Maybe = number | null | undefined;

function missing(v: Maybe): v is null | undefined {
  return v === null || v === undefined || !Number.isFinite(v);
}

/**
 * A duration in milliseconds: `0.042 ms`, `3.14 ms`, `12.3 ms`, `950.2 ms`, `1.234 s`, `12.35 s`,
 * `2 min 03.4 s`, `1 h 02 min 03 s`. Units are chosen after rounding, so 59.999 s becomes
 * `1 min 00.0 s`, never `60.00 s`.
 */
export function formatMs(ms: Maybe): string {
  if (missing(ms)) return NA;
  if (ms < 0) return `-${formatMs(-ms)}`;
  // Snapped to the microsecond the runner records: a sum or difference of recorded values
  // (3142.4999999999995) and the value itself (3142.5) then print alike.
  ms = snapUs(ms);
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${fixed(ms, 3)} ms`;
  if (ms < 10 && round(ms, 2) < 10) return `${fixed(ms, 2)} ms`;
  if (round(ms, 1) < 1000) return `${fixed(ms, 1)} ms`;
  // Seconds with millisecond precision up to 10 s, 10 ms precision up to a minute.
  if (round(ms, 0) < 10_000) return `${fixed(ms / 1000, 3)} s`;
  if (round(ms / 10, 0) < 6000) return `${fixed(ms / 1000, 2)} s`;
  const tenths = Math.round(ms / 100);
  if (tenths < 36_000) {
    const min = Math.floor(tenths / 600);
    const sec = (tenths % 600) / 10;
    return `${min} min ${fixed(sec, 1).padStart(4, '0')} s`;
  }
  const secs = Math.round(ms / 1000);
  const h = Math.floor(secs / 3600);
  const min = Math.floor((secs % 3600) / 60);
  const sec = secs % 60;
  return `${h} h ${String(min).padStart(2, '0')} min ${String(sec).padStart(2, '0')} s`;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Bytes in binary units: `512 B`, `1.5 KiB`, `312.0 MiB`. With `signed`, positive values get a
 * `+` (memory deltas read better as `+12.0 MiB` / `-3.0 MiB`).
 */
export function formatBytes(bytes: Maybe, opts: { signed?: boolean } = {}): string {
  if (missing(bytes)) return NA;
  const sign = bytes < 0 ? '-' : opts.signed && bytes > 0 ? '+' : '';
  let v = Math.abs(bytes);
  if (v < 1024) return `${sign}${Math.round(v)} B`;
  let unit = 0;
  v /= 1024;
  // Move up a unit when the rounded value would print as 1024.0 of the current one.
  while (unit < BYTE_UNITS.length - 1 && round(v, 1) >= 1024) {
    v /= 1024;
    unit++;
  }
  return `${sign}${fixed(v, 1)} ${BYTE_UNITS[unit] ?? 'B'}`;
}

/** A percentage already in per cent (CPU % may exceed 100: it is per cent of one core). */
export function formatPercent(pct: Maybe, digits = 1): string {
  if (missing(pct)) return NA;
  return `${fixed(pct, digits)}%`;
}

/** A ratio (0.45) as a percentage (`45.0%`). */
export function formatRatio(ratio: Maybe, digits = 1): string {
  return missing(ratio) ? NA : formatPercent(ratio * 100, digits);
}

/** A count with thousands separators, locale-independent: `12,345`. */
export function formatCount(n: Maybe): string {
  if (missing(n)) return NA;
  const sign = n < 0 ? '-' : '';
  const [int = '0', frac] = Math.abs(n).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * A free-form number (custom metrics, ratios): integers grouped like counts, others with up to
 * four significant decimals so `0.95` stays `0.95` and `1/3` prints `0.3333`.
 */
export function formatNumber(n: Maybe): string {
  if (missing(n)) return NA;
  if (Number.isInteger(n)) return formatCount(n);
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-4) return n.toExponential(3);
  const digits = abs >= 1000 ? 1 : abs >= 1 ? 3 : 4;
  return formatCount(round(n, digits));
}

/** A multiplier such as parallelism: `2.35×`. */
export function formatFactor(n: Maybe): string {
  return missing(n) ? NA : `${fixed(n, 2)}×`;
}

/**
 * THE rounding rule of every figure: half away from zero on the decimal value. `toFixed` rounds
 * the binary value instead, so 1000.5 ms printed `1.000 s` and 2000.5 ms `2.001 s`; a figure and
 * the same figure reached another way could then differ in the last digit.
 */
export function round(v: number, digits: number): number {
  if (!Number.isFinite(v)) return v;
  const sign = v < 0 ? -1 : 1;
  const abs = Math.abs(v);
  const text = String(abs);
  // Already in exponent form (1e-7, 1e21): far from any half, plain arithmetic is exact enough.
  if (text.includes('e')) return (sign * Math.round(abs * 10 ** digits)) / 10 ** digits;
  // Shifting by exponent notation keeps the decimal digits exact (1.0005e3, not 1000.4999…).
  const shifted = Math.round(Number(`${text}e${digits}`));
  return sign * Number(`${shifted}e-${digits}`);
}

/** `v` with exactly `digits` decimals, rounded by the one rule above. */
export function fixed(v: number, digits: number): string {
  const r = round(v, digits);
  // -0 and a negative value that rounds to zero print without a sign.
  return (r === 0 ? 0 : r).toFixed(digits);
}

/** To the microsecond: the precision durations are recorded with. */
function snapUs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
