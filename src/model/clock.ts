import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds (sub-millisecond precision). All durations come from this clock. */
export function monoMs(): number {
  return performance.now();
}
