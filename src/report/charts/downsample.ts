/**
 * Time-series reduction for drawing: a chart cannot show more points than it has pixels, but it
 * must not lose the peaks, which are the point of a profiler. Min/max per bucket keeps both
 * extremes of every bucket (in time order), so a 40 ms spike survives any zoom-out.
 */

/** A point; a null value is a gap (not measured, or between two attempts). */
export type Point = [number, number | null];

/**
 * At most two points per bucket of equal time width over [from, to]: the bucket's minimum and
 * maximum, in time order. A bucket holding a gap keeps one gap, so lines still break there.
 */
export function minMaxBuckets(
  points: readonly Point[],
  buckets: number,
  from?: number,
  to?: number,
): Point[] {
  if (points.length <= 2 * buckets || buckets < 1) return points.slice();
  const t0 = from ?? (points[0] as Point)[0];
  const t1 = to ?? (points[points.length - 1] as Point)[0];
  const width = (t1 - t0) / buckets || 1;
  const out: Point[] = [];
  let current = -1;
  let min: Point | null = null;
  let max: Point | null = null;
  let gap: Point | null = null;
  const flush = (): void => {
    const kept = [min, max, gap].filter((p): p is Point => p !== null);
    kept.sort((a, b) => a[0] - b[0]);
    let last: Point | null = null;
    for (const p of kept) {
      if (p !== last) out.push(p);
      last = p;
    }
    min = max = gap = null;
  };
  for (const p of points) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((p[0] - t0) / width)));
    if (b !== current) {
      flush();
      current = b;
    }
    const v = p[1];
    if (v === null) {
      gap ??= p;
      continue;
    }
    if (min === null || v < (min[1] as number)) min = p;
    if (max === null || v > (max[1] as number)) max = p;
  }
  flush();
  return out;
}

/** One series that holds each value from its time until the next, or until `end`. */
export interface HeldSeries {
  points: readonly Point[];
  /** When the last value stops counting (the attempt's end); else one interval after it. */
  end: number | null;
}

/**
 * The sum over series of their held values, as a step series: the total memory in use, or the
 * total CPU, at each moment something changed. Unknown (null) values count as absent.
 * Events at the same time apply in input order (a series' own end before a later sample).
 */
export function heldSum(series: readonly HeldSeries[], intervalMs: number): Point[] {
  const tracks = series.map((s) => ({
    times: s.points.map((p) => p[0]),
    values: [s.points.map((p) => p[1])],
    end: s.end,
  }));
  return heldSums(tracks, 1, intervalMs)[0] as Point[];
}

/** Several measures (CPU, memory) sampled at the same times: one track per node attempt. */
export interface HeldTrack {
  times: readonly number[];
  /** One list per measure, each as long as `times`. */
  values: readonly (readonly (number | null)[])[];
  end: number | null;
}

/** heldSum for `measures` measures at once: the events are ordered once for all of them. */
export function heldSums(
  tracks: readonly HeldTrack[],
  measures: number,
  intervalMs: number,
): Point[][] {
  // Events in typed arrays (tens of thousands of samples: no object per event). An event is a
  // track's sample k (k >= 0) or its end (k = -1).
  let n = 0;
  for (const t of tracks) n += t.times.length + (t.times.length > 0 ? 1 : 0);
  const time = new Float64Array(n);
  const owner = new Int32Array(n);
  const index = new Int32Array(n);
  let e = 0;
  tracks.forEach((t, i) => {
    const last = t.times.length - 1;
    for (let k = 0; k <= last; k++) {
      time[e] = t.times[k] as number;
      owner[e] = i;
      index[e++] = k;
    }
    if (last >= 0) {
      const lt = t.times[last] as number;
      time[e] = t.end !== null && t.end > lt ? t.end : lt + Math.max(1, intervalMs);
      owner[e] = i;
      index[e++] = -1;
    }
  });
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
  const out: Point[][] = [];
  for (let m = 0; m < measures; m++) {
    const current = new Float64Array(tracks.length).fill(NaN);
    let live = 0;
    let sum = 0;
    const points: Point[] = [];
    for (let j = 0; j < n;) {
      const t = time[order[j] as number] as number;
      for (; j < n && time[order[j] as number] === t; j++) {
        const ev = order[j] as number;
        const i = owner[ev] as number;
        const k = index[ev] as number;
        const prev = current[i] as number;
        if (!Number.isNaN(prev)) {
          sum -= prev;
          live--;
        }
        const raw = k < 0 ? null : ((tracks[i] as HeldTrack).values[m]?.[k] ?? null);
        const v = raw === null ? NaN : raw;
        current[i] = v;
        if (!Number.isNaN(v)) {
          sum += v;
          live++;
        }
      }
      points.push([t, live === 0 ? 0 : sum]);
    }
    out.push(points);
  }
  return out;
}
