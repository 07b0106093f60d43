/**
 * The run record (`run.json`) and its TaskRuns. Every metric is `null` where the platform could
 * not measure it: never a fake 0. `collector.sources` says how each metric was measured.
 */

import { nullMetrics, type TaskMetricValues } from './metrics';
import type { TaskError } from './taskError';
import type { MachineContext } from './machine';

export type { TaskError, TaskErrorKind } from './taskError';
export type { MachineContext } from './machine';
import type { MemoryForecast } from './memoryForecast';
export type { MemoryForecast } from './memoryForecast';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type TaskStatus =
  'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled' | 'retried';

export interface HttpTiming {
  status: number | null;
  /** Bytes of the response body as received. */
  bytes: number;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  downloadMs: number | null;
  totalMs: number;
}

/** A TaskRun's fields besides its metrics (those come from the metrics table, src/model/metrics.ts). */
export interface TaskRunBase {
  nodeId: string;
  type: string;
  status: TaskStatus;
  /** 1-based attempt number of this execution. */
  attempt: number;
  /** Total attempts made for the node (on the final TaskRun of a node; earlier ones are `retried`). */
  attempts: number;
  /** For TaskRuns of a nested workflow: the id of the `workflow` node that ran it. */
  parentId: string | null;
  tags: string[];
  needs: string[];
  exitCode: number | null;
  signal: string | null;
  /** Why a task failed, was skipped or cancelled, in words. */
  reason: string | null;
  /** Why a failed or timed-out attempt failed, with the end of its stderr; null otherwise. */
  error: TaskError | null;
  /** ISO timestamps (wall clock) for display; durations come from the monotonic clock. */
  startedAt: string | null;
  endedAt: string | null;
  /** Offsets from the run's start on the monotonic clock, milliseconds. */
  readyAtMs: number | null;
  startMs: number | null;
  endMs: number | null;
  sampleCount: number;
  custom: Record<string, number>;
  http: HttpTiming | null;
  /** Parallel slot the task ran in (0-based), for lanes in traces and timelines. */
  slot: number | null;
  /** Bytes of output the log cap left out of the log (absent when nothing was dropped). */
  logDroppedBytes?: number;
  /**
   * Metrics whose figure is only a lower bound of the tree's true value, and why (e.g. children
   * reaped by the kernel never reach the reaper's rusage). Empty when every figure is exact or
   * null. Absent from runs recorded before it existed: read it with lowerBoundsOf.
   */
  lowerBounds: LowerBound[];
  /**
   * Where and how a Slurm job ran it (runtime slurm); absent for the other runtimes and in runs
   * recorded before Slurm existed: read it with placementOf.
   */
  slurm?: SlurmPlacement;
}

/** What Slurm granted a job: from `scontrol show job` after submission, else what was asked. */
export interface RequestedResources {
  cpus: number | null;
  memoryBytes: number | null;
  /** The limit Slurm enforces (whole minutes); null when unlimited. */
  timeLimitMs: number | null;
}

/** One attempt's Slurm job. */
export interface SlurmPlacement {
  jobId: string;
  /** The compute node the batch script ran on (its `hostname`); null when it never started. */
  host: string | null;
  requested: RequestedResources | null;
  /** When sbatch returned, wall clock, and as an offset from the run's start. */
  submittedAt: string;
  submittedAtMs: number;
  /** Slurm's last state of the job (COMPLETED, TIMEOUT, CANCELLED…) and its reason, if any. */
  state: string | null;
  slurmReason: string | null;
  /**
   * Why the series sampled on the compute node is shorter than the job (no samples file, the job
   * killed before the reaper's last write, a cut line), in words; null when it is whole. Absent
   * when no series was asked for (no reaper) and in runs recorded before it existed.
   */
  samplesNote?: string | null;
}

/** A task's Slurm placement, or null (other runtimes, older runs, a damaged record). */
export function placementOf(task: Pick<TaskRun, 'slurm'>): SlurmPlacement | null {
  const p: unknown = task.slurm;
  if (typeof p !== 'object' || p === null) return null;
  return typeof (p as Record<string, unknown>)['jobId'] === 'string' ? (p as SlurmPlacement) : null;
}

/** Marks a figure that is only a lower bound of the tree's true value. */
export const LOWER_BOUND_MARK = '≥';

/** A metric whose figure is at least what is shown: "≥ 1.2 s". */
export interface LowerBound {
  metric: string;
  reason: string;
}

/** A task's lower bounds; [] for runs recorded before the field existed. */
export function lowerBoundsOf(task: Pick<TaskRun, 'lowerBounds'>): readonly LowerBound[] {
  const raw: unknown = task.lowerBounds;
  // Read back from disk: a damaged or hand-edited entry is left out, never trusted.
  return Array.isArray(raw) ? raw.filter(isLowerBound) : [];
}

function isLowerBound(v: unknown): v is LowerBound {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  return typeof b['metric'] === 'string' && typeof b['reason'] === 'string';
}

/** Why `metric` of the task is a lower bound, or null when it is not one. */
export function lowerBoundReason(
  task: Pick<TaskRun, 'lowerBounds'>,
  metric: string,
): string | null {
  return lowerBoundsOf(task).find((b) => b.metric === metric)?.reason ?? null;
}

/** One execution (attempt) of a node: the fields above and every metric of the table. */
export type TaskRun = TaskRunBase & TaskMetricValues;

/** How one metric was obtained on this run. */
export interface MetricSource {
  metric: string;
  source: string;
}

export interface CollectorInfo {
  intervalMs: number;
  platform: string;
  /** e.g. "reaper" (exact final accounting + /proc sampling) or "pidusage" (fallback). */
  mode: string;
  sources: MetricSource[];
  /** CPU the runner spent sampling, in ms, over the whole run. */
  overheadCpuMs: number;
  ticks: number;
  /** Metrics this platform could not measure at all (always null in this run). */
  unavailable: string[];
  /** How the runner keeps hold of every process tree it started; absent in older runs. */
  containment?: ContainmentInfo;
  /** Whether the native reaper measured this run, and why not; absent in older runs. */
  reaper?: ReaperStatus;
}

/**
 * The native reaper's self-test, run once per runner before the first node. When it did not
 * pass, every node was measured by sampling instead (`mode` says which), and `fallbackReason`
 * says why in words a person can act on.
 */
export interface ReaperStatus {
  used: boolean;
  /** Its --version line, e.g. "wp-reaper 1 x86_64 glibc"; null when it was not used. */
  version: string | null;
  /** Why nodes were sampled instead (missing, another architecture, failed self-test); null when used. */
  fallbackReason: string | null;
}

/** How node trees are held so none outlives its node, even if its reaper is killed. */
export interface ContainmentInfo {
  /** `cgroup`: one cgroup2 per node; `process-group`: the reaper's group; `none`: no reaper. */
  mechanism: 'cgroup' | 'process-group' | 'none';
  detail: string;
}

/**
 * A run's place in a series made by `run --repeat N --warmup K`: the runs share `id`; `index` is
 * the 0-based position in the whole sequence, warm-ups first. Warm-ups are kept for inspection
 * but never enter statistics.
 */
export interface RunSeries {
  id: string;
  index: number;
  warmup: boolean;
}

export interface RunRecord {
  schemaVersion: 1;
  id: string;
  status: RunStatus;
  runtime: 'local' | 'parallel' | 'slurm';
  maxParallel: number;
  startedAt: string;
  endedAt: string | null;
  wallMs: number | null;
  workflow: { name: string; file: string; hash: string };
  collector: CollectorInfo;
  /** Who is writing this run, so a reader can tell a live run from one whose runner died. */
  runner: { pid: number; host: string; startedAtTicks: number | null };
  profile: boolean;
  reason: string | null;
  /** CPU cores the runner could use: more slots than this cannot speed up CPU-bound nodes. */
  cores?: number;
  /**
   * The machine and how busy it was while the run ran (see MachineContext for each figure's
   * definition). Absent in run.json files written before it existed: read it with machineOf.
   */
  machine?: MachineContext;
  /** Null for a plain run; absent in run.json files written before series existed. */
  series?: RunSeries | null;
  /**
   * The memory forecast made before the run from the last completed run of the workflow; null
   * when there was none. Absent in run.json files written before forecasts existed.
   */
  memoryForecast?: MemoryForecast | null;
  tasks: TaskRun[];
}

/** One sample of one node's process tree. Stored as a line of `samples.ndjson`. */
export interface Sample {
  nodeId: string;
  attempt: number;
  /** Offset from the run's start, ms. */
  t: number;
  /** CPU of the tree over the last interval, per cent of one core. */
  cpuPercent: number | null;
  rssBytes: number | null;
  threads: number | null;
  processes: number;
  /** Bytes per second over the last interval (storage layer), null where unreadable. */
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
}

export function emptyTaskRun(nodeId: string, type: string, extra: Partial<TaskRun> = {}): TaskRun {
  return {
    nodeId,
    type,
    status: 'pending',
    attempt: 1,
    attempts: 1,
    parentId: null,
    tags: [],
    needs: [],
    exitCode: null,
    signal: null,
    reason: null,
    error: null,
    startedAt: null,
    endedAt: null,
    readyAtMs: null,
    startMs: null,
    endMs: null,
    // Every metric of the table, in table order: run.json keeps its field order.
    ...nullMetrics(),
    sampleCount: 0,
    custom: {},
    http: null,
    slot: null,
    lowerBounds: [],
    ...extra,
  };
}
