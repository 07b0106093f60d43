/**
 * The explicit rules of the analysis: bottleneck and insight thresholds (exported so the report
 * states them and tests probe just above and just below), and small facts about a TaskRun.
 */
import type { TaskRun } from '../model/run';
import { formatBytes, formatCount, formatMs, formatRatio } from '../model/format';

const MiB = 1024 * 1024;

// ---- Bottleneck rules: the thresholds are exported so the report can state them and tests can
// probe just above and just below each one.

/** Slowest nodes: always the top N by duration... */
export const SLOWEST_TOP_N = 3;
/** ...and any node whose duration is more than this share of the wall time. */
export const SLOW_SHARE_OF_WALL = 0.25;
/** CPU-bound: CPU % (of one core) at or above this... */
export const CPU_BOUND_PERCENT = 80;
/** ...for at least this long (a 5 ms node at 100% is not a bottleneck). */
export const CPU_BOUND_MIN_DURATION_MS = 100;
/** Memory-heavy: peak RSS at or above this, whatever else ran... */
export const MEMORY_HEAVY_BYTES = 256 * MiB;
/** ...or at or above this share of the run's peak concurrent memory... */
export const MEMORY_HEAVY_SHARE_OF_PEAK = 0.25;
/**
 * ...when the node's peak is at least this large. Without the floor the relative rule flags the
 * biggest node of every run, even a 3 MiB `echo` among smaller ones.
 */
export const MEMORY_HEAVY_SHARE_MIN_BYTES = 64 * MiB;
/** I/O-heavy: storage bytes read + written at or above this... */
export const IO_HEAVY_BYTES = 10 * MiB;
/** ...or read + write system calls at or above this. */
export const IO_HEAVY_OPS = 10_000;
/** Waiting: time queued for a free slot at or above this share of the node's duration... */
export const WAITING_SHARE_OF_DURATION = 0.2;
/** ...and at least this long, so scheduling jitter on a 1 ms logic node is not "waiting". */
export const WAITING_MIN_MS = 50;

// ---- Insight thresholds.

/** A node below this CPU % for at least OFF_CPU_MIN_DURATION_MS was mostly waiting on something. */
export const OFF_CPU_PERCENT = 20;
export const OFF_CPU_MIN_DURATION_MS = 500;
/** A critical-path node is worth its own insight when it alone is this share of the wall time. */
export const CRITICAL_NODE_SHARE_OF_WALL = 0.1;
/** Queueing is worth an insight when all nodes together waited at least this long. */
export const QUEUE_INSIGHT_MIN_MS = 100;
/**
 * A suggestion is shown only when the simulator predicts it saves at least this share of the
 * wall time and at least SUGGESTION_MIN_SAVING_MS: advice worth 38 ms of 3.7 s is noise.
 */
export const SUGGESTION_MIN_SHARE_OF_WALL = 0.05;
export const SUGGESTION_MIN_SAVING_MS = 100;
/** Whether a predicted saving clears both thresholds. */
export function worthSuggesting(savingMs: number | null, wallMs: number | null): boolean {
  if (savingMs === null || wallMs === null || wallMs <= 0) return false;
  return savingMs >= SUGGESTION_MIN_SAVING_MS && savingMs >= SUGGESTION_MIN_SHARE_OF_WALL * wallMs;
}
/** Collector overhead is worth mentioning above this share of one core over the wall time. */
export const OVERHEAD_SHARE_OF_WALL = 0.02;
/** An HTTP phase dominates a request when it is this share of the request's total. */
export const HTTP_PHASE_SHARE = 0.5;
export const HTTP_MIN_TOTAL_MS = 200;

export type BottleneckRule = 'slowest' | 'cpu-bound' | 'memory-heavy' | 'io-heavy' | 'waiting';

/** Title and threshold of each rule, in words, for the report. */
export const BOTTLENECK_RULES: readonly {
  rule: BottleneckRule;
  title: string;
  threshold: string;
}[] = [
  {
    rule: 'slowest',
    title: 'Slowest nodes',
    threshold: `the ${SLOWEST_TOP_N} longest nodes, and any node longer than ${formatRatio(SLOW_SHARE_OF_WALL, 0)} of the wall time`,
  },
  {
    rule: 'cpu-bound',
    title: 'CPU-bound',
    threshold: `CPU ≥ ${CPU_BOUND_PERCENT}% of one core for ≥ ${formatMs(CPU_BOUND_MIN_DURATION_MS)}`,
  },
  {
    rule: 'memory-heavy',
    title: 'Memory-heavy',
    threshold: `peak RSS ≥ ${formatBytes(MEMORY_HEAVY_BYTES)}, or ≥ ${formatRatio(MEMORY_HEAVY_SHARE_OF_PEAK, 0)} of the run's peak concurrent memory when ≥ ${formatBytes(MEMORY_HEAVY_SHARE_MIN_BYTES)}`,
  },
  {
    rule: 'io-heavy',
    title: 'I/O-heavy',
    threshold: `storage read + write ≥ ${formatBytes(IO_HEAVY_BYTES)}, or read + write system calls ≥ ${formatCount(IO_HEAVY_OPS)}`,
  },
  {
    rule: 'waiting',
    title: 'Waiting for a slot',
    threshold: `queued ≥ ${formatRatio(WAITING_SHARE_OF_DURATION, 0)} of its duration and ≥ ${formatMs(WAITING_MIN_MS)}: with a free slot the node would have started sooner`,
  },
];

/** Node types that run inside the runner, without a process tree to measure. */
export const IN_PROCESS_TYPES: ReadonlySet<string> = new Set([
  'http',
  'switch',
  'merge',
  'workflow',
]);

/** Whether a TaskRun actually started (skipped and never-started cancelled ones did not). */
export function hasRun(t: TaskRun): boolean {
  return t.startMs !== null;
}

/** End of a TaskRun on the run's clock: endMs, else start + duration; null if unknown. */
export function taskEndMs(t: TaskRun): number | null {
  if (t.endMs !== null) return t.endMs;
  if (t.startMs !== null && t.durationMs !== null) return t.startMs + t.durationMs;
  return null;
}

/** Storage bytes read + written; null when neither was measured. */
export function ioBytes(t: TaskRun): number | null {
  return t.ioReadBytes === null && t.ioWriteBytes === null
    ? null
    : (t.ioReadBytes ?? 0) + (t.ioWriteBytes ?? 0);
}
/** Read + write system calls; null when neither was measured. */
export function ioOps(t: TaskRun): number | null {
  return t.ioReadOps === null && t.ioWriteOps === null
    ? null
    : (t.ioReadOps ?? 0) + (t.ioWriteOps ?? 0);
}

/** Largest of many numbers without spreading them into arguments (100k samples overflow that). */
export function maxOfAll(values: Iterable<number>, initial: number): number {
  let best = initial;
  for (const v of values) if (v > best) best = v;
  return best;
}
