/** Small numeric helpers shared by the cases. */
import type { Comparison, Figure, Target, Unit } from './types';

export const MiB = 1024 * 1024;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function fig(value: number | null | undefined, unit: Unit): Figure {
  return {
    value: value === undefined || value === null || !Number.isFinite(value) ? null : value,
    unit,
  };
}

/** (ours − reference) / reference in per cent; null when either is missing or reference is 0. */
export function errorPct(ours: number | null, reference: number | null): number | null {
  if (ours === null || reference === null || reference === 0) return null;
  return ((ours - reference) / reference) * 100;
}

export function error(ours: number | null, reference: number | null, against: string): Comparison {
  return { kind: 'error', value: errorPct(ours, reference), against };
}

export function ratio(ours: number | null, reference: number | null, against: string): Comparison {
  return {
    kind: 'ratio',
    value: ours === null || reference === null || reference === 0 ? null : ours / reference,
    against,
  };
}

export function diff(ours: number | null, reference: number | null, against: string): Comparison {
  return {
    kind: 'diff',
    value: ours === null || reference === null ? null : ours - reference,
    against,
  };
}

/** A target met when |error| is at most `pct` per cent. */
export function withinPct(c: Comparison, pct: number): Target {
  return { text: `≤ ${pct} %`, met: c.value !== null && Math.abs(c.value) <= pct };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Monotonic milliseconds. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
