/**
 * Axis and tooltip number formats for the charts, on top of src/model/format: tooltips show the exact
 * measured value (milliseconds to the microsecond as recorded) next to the readable one, and
 * axes get short ticks.
 */
import { formatBytes, formatCount, formatMs, NA } from '../../model/format';

/** `1.234 s (1,234.567 ms)`: readable and exact, never rounded to whole seconds. */
export function exactMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NA;
  const readable = formatMs(ms);
  if (Math.abs(ms) < 1000) return readable;
  return `${readable} (${formatCount(Math.round(ms * 1000) / 1000)} ms)`;
}

/** Short ticks for a time axis in ms: `0`, `250 ms`, `1.5 s`, `2 min`, `1 h 05 min`. */
export function axisMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms === 0) return '0';
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a < 1) return `${sign}${trim(a, 3)} ms`;
  if (a < 1000) return `${sign}${trim(a, 1)} ms`;
  if (a < 60_000) return `${sign}${trim(a / 1000, 3)} s`;
  if (a < 3_600_000) {
    const min = Math.floor(a / 60_000);
    const s = (a % 60_000) / 1000;
    return s === 0 ? `${sign}${min} min` : `${sign}${min} min ${trim(s, 1)} s`;
  }
  const h = Math.floor(a / 3_600_000);
  const min = Math.round((a % 3_600_000) / 60_000);
  return `${sign}${h} h ${String(min).padStart(2, '0')} min`;
}

/** Short ticks for a bytes axis: `0`, `512 B`, `1.5 MiB`. */
export function axisBytes(b: number): string {
  if (!Number.isFinite(b)) return '';
  if (b === 0) return '0';
  return formatBytes(b).replace('.0 ', ' ');
}

/** Short ticks for counts: `950`, `12k`, `1.2M`. */
export function axisCount(n: number): string {
  if (!Number.isFinite(n)) return '';
  const a = Math.abs(n);
  if (a < 1000) return String(Number(n.toPrecision(3)));
  if (a < 1e6) return `${trim(n / 1e3, 1)}k`;
  if (a < 1e9) return `${trim(n / 1e6, 1)}M`;
  return `${trim(n / 1e9, 1)}G`;
}

export function axisPercent(p: number): string {
  return Number.isFinite(p) ? `${trim(p, 1)}%` : '';
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/**
 * A round axis scale covering [lo, hi] in about `ticks` steps: decimal steps (1, 2, 2.5, 5 × 10ⁿ)
 * or, for bytes, the same steps of KiB, MiB, GiB, so ticks read `64 MiB`, not `95.4 MiB`.
 */
export function niceScale(
  lo: number,
  hi: number,
  ticks: number,
  kind: 'decimal' | 'bytes' = 'decimal',
): { min: number; max: number; interval: number } {
  const span = Math.max(Math.abs(lo), Math.abs(hi));
  if (!(span > 0) || !Number.isFinite(span)) return { min: 0, max: 1, interval: 1 };
  let unit = 1;
  if (kind === 'bytes') while (span / unit >= 1024) unit *= 1024;
  const raw = (Math.max(hi, 0) - Math.min(lo, 0)) / unit / Math.max(1, ticks);
  const exp = Math.floor(Math.log10(raw));
  const f = raw / 10 ** exp;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  // Below one unit of bytes, whole bytes only.
  const step = Math.max(kind === 'bytes' && unit === 1 ? 1 : 0, nice * 10 ** exp) * unit;
  return {
    min: lo < 0 ? -Math.ceil(-lo / step - 1e-9) * step : 0,
    max: hi > 0 ? Math.ceil(hi / step - 1e-9) * step : 0,
    interval: step,
  };
}

/**
 * Three significant figures, trailing zeros dropped: the figures of a value printed where a
 * narrow chart has no room for the exact one (the tooltip keeps it).
 */
function sig3(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** A duration in three figures: `850 ms`, `2.37 s`, `12.4 s`, `2.5 min`, `1.25 h`. */
export function compactMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a === 0) return '0 ms';
  // The unit moves up where three figures would round to 1000 of the smaller one.
  if (Number(a.toPrecision(3)) < 1000) return `${sign}${sig3(a)} ms`;
  if (Number((a / 1000).toPrecision(3)) < 60) return `${sign}${sig3(a / 1000)} s`;
  if (Number((a / 60_000).toPrecision(3)) < 60) return `${sign}${sig3(a / 60_000)} min`;
  return `${sign}${sig3(a / 3_600_000)} h`;
}

/** Bytes in three figures of a binary unit: `512 B`, `180 MiB`, `1.25 GiB`; `+` when asked. */
export function compactBytes(b: number, opts: { signed?: boolean } = {}): string {
  if (!Number.isFinite(b)) return '';
  const sign = b < 0 ? '-' : opts.signed && b > 0 ? '+' : '';
  let v = Math.abs(b);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (u < units.length - 1 && Number(v.toPrecision(3)) >= 1000) {
    v /= 1024;
    u++;
  }
  return `${sign}${u === 0 ? Math.round(v) : sig3(v)} ${units[u] ?? 'B'}`;
}

/** A percentage in whole units: `95%`, `168%` (tenths below 10: `4.5%`). */
export function compactPercent(p: number): string {
  if (!Number.isFinite(p)) return '';
  return `${Math.abs(p) < 10 ? sig3(Number(p.toFixed(1))) : Math.round(p)}%`;
}
