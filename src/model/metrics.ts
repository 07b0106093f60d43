/**
 * THE table of per-task metrics. Every place that stores, measures, exports or shows a TaskRun
 * metric derives its list, labels, units and formatting from here, so adding a metric is one
 * entry below plus the code that measures it (see docs on "Adding a metric").
 *
 * Order is TaskRun order: run.json, the CSV and the trace arguments follow it.
 */
import { formatBytes, formatCount, formatMs, formatPercent } from './format';

export type MetricKind = 'time' | 'bytes' | 'percent' | 'count';
/** Which way a change is good news, for comparisons. */
export type MetricBetter = 'lower' | 'higher' | 'none';
/** Who fills the metric in: the process layer (ProcessMetrics) or the scheduler. */
export type MetricSourceLayer = 'process' | 'scheduler';
/** How the collector runs (see src/measure/metricsCollector.ts). */
export type CollectorModeName = 'reaper' | 'procfs' | 'pidusage';

/**
 * Where a metric is shown. `node`: the dashboard's per-node values (sorting, charts); `table`:
 * the node table, heatmap, report task table and hover; `trace`: Chrome-trace slice arguments;
 * `compare`: the per-node rows of a run comparison.
 */
export type MetricView = 'node' | 'table' | 'trace' | 'compare';

export interface MetricDef {
  readonly key: string;
  /** Column heading and chart title: `Peak memory`. */
  readonly label: string;
  /** For narrow columns: `Memory Δ`. */
  readonly short: string;
  /** Lower case, inside sentences: `sorted by peak memory`. */
  readonly phrase: string;
  readonly unit: 'ms' | 'bytes' | '%' | '';
  readonly kind: MetricKind;
  readonly better: MetricBetter;
  /** Deltas read better signed (`+12.0 MiB`). */
  readonly signed: boolean;
  /** How a value prints; `n/a` for null. */
  readonly format: (v: number | null) => string;
  readonly layer: MetricSourceLayer;
  /** How each collector mode measures it, in words; null where that mode cannot measure it. */
  readonly how: Readonly<Record<CollectorModeName, string | null>>;
  readonly views: readonly MetricView[];
  /** Comparisons ignore changes smaller than this (in the metric's unit). */
  readonly noiseFloor?: number;
}

const MIB = 1024 * 1024;
const bytes = (v: number | null): string => formatBytes(v);
const signedBytes = (v: number | null): string => formatBytes(v, { signed: true });
const percent = (v: number | null): string => formatPercent(v);
const REAPER_IO =
  "the kernel's per-task I/O accounting of the reaped tree (/proc/self/io of the reaper)";
const PROCFS_IO = "sampled estimate: the tree's summed /proc/PID/io at the last sample";
const NO_REAPER = null;
const NO_PIDUSAGE = null;
const TABLE = ['node', 'table', 'trace'] as const;
// Runnable but not running: the kernel's per-thread run_delay. Sampled, so always a lower bound.
const RUN_QUEUE_WAIT =
  "sampled lower bound: time the tree's threads were runnable but waiting for a CPU, /proc/PID/task/TID/schedstat run_delay summed over the tree, each process's last reading kept; its wait after its last sample, and processes living between two samples, are missed";
// Computed when the run ends by replaying its recorded schedule (src/report/whatif).
const SIMULATED_SLACK =
  'how much later it could have ended without delaying the run, on the replayed schedule';
const SIMULATED_SAVING =
  'wall time the replayed schedule loses if this node takes no time (every attempt counted)';

/**
 * Queued, the one definition every view uses. An attempt's figure is ready to started: for the
 * first attempt, ready (dependencies done) to started (a slot was free); for a retry, the
 * previous attempt's end to its start (the slot is kept and there is no back-off, so that is the
 * runner's own turnaround). A node's figure is the sum over its attempts (nodeQueuedMs), so a
 * retried node that waited 506 ms for a slot reads 506 ms everywhere, not its last attempt's 1 ms.
 */
const QUEUED_HOW =
  'ready (dependencies done, or the previous attempt ended) to started (a slot was free); a node: summed over its attempts';

/** A node's queue time: every attempt's `waitMs` added up; null when no attempt recorded one. */
export function nodeQueuedMs(attempts: readonly { waitMs: number | null }[]): number | null {
  let sum: number | null = null;
  for (const t of attempts) if (t.waitMs !== null) sum = (sum ?? 0) + t.waitMs;
  return sum;
}

// Slurm's share of `waitMs`: the job's own queue time, apart from our scheduler's wait.
const SLURM_QUEUE_HOW =
  "runtime slurm: sbatch's return (submitted) to the job's batch script starting on its compute node (the script's wall clock, date +%s%N); part of Queued. Null for other runtimes";

export const TASK_METRICS = [
  {
    key: 'waitMs',
    label: 'Queued',
    short: 'Queued',
    phrase: 'queued',
    unit: 'ms',
    kind: 'time',
    better: 'lower',
    signed: false,
    format: formatMs,
    layer: 'scheduler',
    how: {
      reaper: QUEUED_HOW,
      procfs: QUEUED_HOW,
      pidusage: QUEUED_HOW,
    },
    views: TABLE,
  },
  {
    key: 'slurmQueueMs',
    label: 'Slurm queue',
    short: 'Slurm queue',
    phrase: 'Slurm queue time',
    unit: 'ms',
    kind: 'time',
    better: 'lower',
    signed: false,
    format: formatMs,
    layer: 'scheduler',
    how: { reaper: SLURM_QUEUE_HOW, procfs: SLURM_QUEUE_HOW, pidusage: SLURM_QUEUE_HOW },
    views: ['trace'],
  },
  {
    key: 'durationMs',
    label: 'Duration',
    short: 'Duration',
    phrase: 'duration',
    unit: 'ms',
    kind: 'time',
    better: 'lower',
    signed: false,
    format: formatMs,
    layer: 'process',
    how: {
      reaper: "monotonic clock, spawn to exit of the node's main process",
      procfs: 'runner: monotonic clock from spawn to the exit event',
      pidusage: 'runner: monotonic clock from spawn to the exit event',
    },
    views: [...TABLE, 'compare'],
    noiseFloor: 20,
  },
  {
    key: 'cpuTimeMs',
    label: 'CPU time',
    short: 'CPU time',
    phrase: 'CPU time',
    unit: 'ms',
    kind: 'time',
    better: 'lower',
    signed: false,
    format: formatMs,
    layer: 'process',
    how: {
      reaper:
        "user + system of the whole tree: the node cgroup's cpu.stat where a cgroup2 is writable (every process, kernel-reaped children included), else getrusage(RUSAGE_CHILDREN) of the processes the reaper reaped",
      procfs: "sampled estimate: the tree's cumulative CPU time at the last sample",
      pidusage: "sampled estimate: the root's user + system time at the last sample before exit",
    },
    views: [...TABLE, 'compare'],
    noiseFloor: 20,
  },
  {
    key: 'cpuPercent',
    label: 'CPU %',
    short: 'CPU %',
    phrase: 'CPU %',
    unit: '%',
    kind: 'percent',
    better: 'none',
    signed: false,
    format: percent,
    layer: 'process',
    how: {
      reaper: 'cpuTimeMs / durationMs × 100, per cent of one core; never an average of samples',
      procfs: 'cpuTimeMs / durationMs × 100 (a sampled estimate)',
      pidusage: 'cpuTimeMs / durationMs × 100 (a sampled estimate)',
    },
    views: TABLE,
  },
  {
    key: 'peakRssBytes',
    label: 'Peak memory',
    short: 'Peak memory',
    phrase: 'peak memory',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: false,
    format: bytes,
    layer: 'process',
    how: {
      reaper:
        "max of the sampled summed tree RSS and every process's kernel high-water mark: a lower bound of the tree's simultaneous peak",
      procfs: "max of the sampled summed tree RSS and every process's VmHWM",
      pidusage: 'sampled: highest resident memory of the root seen',
    },
    views: [...TABLE, 'compare'],
    noiseFloor: 4 * MIB,
  },
  {
    key: 'memoryDeltaBytes',
    label: 'Memory change',
    short: 'Memory Δ',
    phrase: 'memory change',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: true,
    format: signedBytes,
    layer: 'process',
    how: {
      reaper: 'last minus first sampled tree RSS (null with fewer than two samples)',
      procfs: 'last minus first sampled tree RSS (null with fewer than two samples)',
      pidusage: 'last minus first sampled root RSS (null with fewer than two samples)',
    },
    views: TABLE,
  },
  {
    key: 'ioReadBytes',
    label: 'Read',
    short: 'Read',
    phrase: 'bytes read',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: false,
    format: bytes,
    layer: 'process',
    how: {
      reaper: `${REAPER_IO}: read_bytes`,
      procfs: `${PROCFS_IO}: read_bytes`,
      pidusage: NO_PIDUSAGE,
    },
    views: TABLE,
  },
  {
    key: 'ioWriteBytes',
    label: 'Written',
    short: 'Written',
    phrase: 'bytes written',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: false,
    format: bytes,
    layer: 'process',
    how: {
      reaper: `${REAPER_IO}: write_bytes − cancelled_write_bytes`,
      procfs: `${PROCFS_IO}: write_bytes − cancelled_write_bytes`,
      pidusage: NO_PIDUSAGE,
    },
    views: TABLE,
  },
  {
    key: 'ioReadChars',
    label: 'Characters read',
    short: 'Read chars',
    phrase: 'characters read',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: false,
    format: bytes,
    layer: 'process',
    how: { reaper: `${REAPER_IO}: rchar`, procfs: `${PROCFS_IO}: rchar`, pidusage: NO_PIDUSAGE },
    views: ['node'],
  },
  {
    key: 'ioWriteChars',
    label: 'Characters written',
    short: 'Written chars',
    phrase: 'characters written',
    unit: 'bytes',
    kind: 'bytes',
    better: 'lower',
    signed: false,
    format: bytes,
    layer: 'process',
    how: { reaper: `${REAPER_IO}: wchar`, procfs: `${PROCFS_IO}: wchar`, pidusage: NO_PIDUSAGE },
    views: ['node'],
  },
  {
    key: 'ioReadOps',
    label: 'Read calls',
    short: 'Read calls',
    phrase: 'read calls',
    unit: '',
    kind: 'count',
    better: 'lower',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: { reaper: `${REAPER_IO}: syscr`, procfs: `${PROCFS_IO}: syscr`, pidusage: NO_PIDUSAGE },
    views: TABLE,
  },
  {
    key: 'ioWriteOps',
    label: 'Write calls',
    short: 'Write calls',
    phrase: 'write calls',
    unit: '',
    kind: 'count',
    better: 'lower',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: { reaper: `${REAPER_IO}: syscw`, procfs: `${PROCFS_IO}: syscw`, pidusage: NO_PIDUSAGE },
    views: TABLE,
  },
  {
    key: 'peakThreads',
    label: 'Threads',
    short: 'Threads',
    phrase: 'threads',
    unit: '',
    kind: 'count',
    better: 'none',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: {
      reaper: 'sampled, summed over the tree',
      procfs: 'sampled, summed over the tree',
      pidusage: NO_PIDUSAGE,
    },
    views: TABLE,
  },
  {
    key: 'contextSwitches',
    label: 'Context switches',
    short: 'Ctx switches',
    phrase: 'context switches',
    unit: '',
    kind: 'count',
    better: 'lower',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: {
      reaper:
        "voluntary + involuntary over the tree's own life (rusage of the processes the reaper reaped)",
      procfs: NO_REAPER,
      pidusage: NO_PIDUSAGE,
    },
    views: TABLE,
  },
  {
    key: 'processCount',
    label: 'Processes',
    short: 'Processes',
    phrase: 'processes',
    unit: '',
    kind: 'count',
    better: 'none',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: {
      reaper: 'max of the processes the reaper reaped and the distinct processes seen in samples',
      procfs: 'distinct processes (pid + start time) seen in samples',
      pidusage: NO_PIDUSAGE,
    },
    views: ['trace'],
  },
  {
    key: 'strayProcessesKilled',
    label: 'Strays killed',
    short: 'Strays',
    phrase: 'stray processes killed',
    unit: '',
    kind: 'count',
    better: 'lower',
    signed: false,
    format: formatCount,
    layer: 'process',
    how: {
      reaper: 'descendants still alive when the main process exited, SIGKILLed and counted',
      procfs: NO_REAPER,
      pidusage: NO_PIDUSAGE,
    },
    views: [],
  },
  {
    key: 'runQueueWaitMs',
    label: 'Run-queue wait',
    short: 'CPU wait',
    phrase: 'run-queue wait',
    unit: 'ms',
    kind: 'time',
    better: 'lower',
    signed: false,
    format: formatMs,
    layer: 'process',
    how: { reaper: RUN_QUEUE_WAIT, procfs: RUN_QUEUE_WAIT, pidusage: NO_PIDUSAGE },
    views: TABLE,
  },
  {
    key: 'slackMs',
    label: 'Slack',
    short: 'Slack',
    phrase: 'slack',
    unit: 'ms',
    kind: 'time',
    better: 'none',
    signed: false,
    format: formatMs,
    layer: 'scheduler',
    how: {
      reaper: SIMULATED_SLACK,
      procfs: SIMULATED_SLACK,
      pidusage: SIMULATED_SLACK,
    },
    views: ['node', 'trace'],
  },
  {
    key: 'potentialSavingMs',
    label: 'Potential saving',
    short: 'Saving',
    phrase: 'potential saving',
    unit: 'ms',
    kind: 'time',
    better: 'none',
    signed: false,
    format: formatMs,
    layer: 'scheduler',
    how: {
      reaper: SIMULATED_SAVING,
      procfs: SIMULATED_SAVING,
      pidusage: SIMULATED_SAVING,
    },
    views: ['node', 'trace'],
  },
] as const satisfies readonly MetricDef[];

export type TaskMetric = (typeof TASK_METRICS)[number];
export type TaskMetricKey = TaskMetric['key'];
/** The TaskRun fields the table describes: null where not measured, never a fake 0. */
export type TaskMetricValues = Record<TaskMetricKey, number | null>;

/** Keys of the metrics shown in a view, as a type. */
export type MetricKeyIn<V extends MetricView> = TaskMetric extends infer M
  ? M extends { key: infer K; views: readonly (infer W)[] }
    ? V extends W
      ? K
      : never
    : never
  : never;
/** Keys of the metrics the process layer measures, as a type. */
export type ProcessMetricKey = Extract<TaskMetric, { layer: 'process' }>['key'];

export const TASK_METRIC_KEYS: readonly TaskMetricKey[] = TASK_METRICS.map((m) => m.key);

const BY_KEY: ReadonlyMap<string, MetricDef> = new Map(TASK_METRICS.map((m) => [m.key, m]));

export function metricDef(key: TaskMetricKey): MetricDef {
  return BY_KEY.get(key) as MetricDef;
}

export function isTaskMetricKey(key: string): key is TaskMetricKey {
  return BY_KEY.has(key);
}

/** The keys shown in a view, in table order. */
export function metricKeysIn<V extends MetricView>(view: V): MetricKeyIn<V>[] {
  return TASK_METRICS.filter((m) => (m.views as readonly MetricView[]).includes(view)).map(
    (m) => m.key as MetricKeyIn<V>,
  );
}

export function isProcessMetric(key: TaskMetricKey): key is ProcessMetricKey {
  return metricDef(key).layer === 'process';
}

/** The keys the process layer measures, in table order. */
export const PROCESS_METRIC_KEYS: readonly ProcessMetricKey[] = TASK_METRICS.filter(
  (m): m is Extract<TaskMetric, { layer: 'process' }> => m.layer === 'process',
).map((m) => m.key);

/** Metrics a collector mode cannot measure at all (always null there), in table order. */
export function unavailableIn(mode: CollectorModeName): TaskMetricKey[] {
  return TASK_METRICS.filter((m) => m.layer === 'process' && m.how[mode] === null).map(
    (m) => m.key,
  );
}

/** Every table metric as null: a TaskRun before it has run. */
export function nullMetrics(): TaskMetricValues {
  const out = {} as TaskMetricValues;
  for (const k of TASK_METRIC_KEYS) out[k] = null;
  return out;
}

/** A metric's value formatted for display. */
export function formatMetric(key: TaskMetricKey, v: number | null): string {
  return metricDef(key).format(v);
}

/**
 * Run-level figures that belong to no node, described the same way: what each is and how it is
 * computed. Not TaskRun fields, so they stay out of TASK_METRICS and its consumers.
 */
export interface RunFigureDef {
  /** The RunRecord field. */
  readonly key: string;
  readonly label: string;
  readonly unit: 'ms' | 'bytes' | '%' | '';
  readonly kind: MetricKind;
  readonly format: (v: number | null) => string;
  /** How it is computed, in words (the same in every collector mode). */
  readonly how: string;
}

export const RUN_FIGURES = [
  {
    key: 'memoryForecast',
    label: 'Memory forecast',
    unit: 'bytes',
    kind: 'bytes',
    format: bytes,
    how: "before the run: the last completed run of the same workflow file replayed by the what-if simulator with this run's slots (maxParallel); the peak over time of the summed peak RSS of the nodes that overlap in that simulated schedule, compared against available memory (MemAvailable in /proc/meminfo, os.freemem() elsewhere) or the lower of it and a cap (--memory-limit, workflowProfiler.memoryLimit)",
  },
] as const satisfies readonly RunFigureDef[];

export type RunFigureKey = (typeof RUN_FIGURES)[number]['key'];

export function runFigureDef(key: RunFigureKey): RunFigureDef {
  return RUN_FIGURES.find((f) => f.key === key) as RunFigureDef;
}
