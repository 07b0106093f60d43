/**
 * The MetricsCollector samples every running node's process tree with ONE timer, emits a Sample
 * per node per tick for the over-time charts, and keeps per-tree statistics that only sampling
 * can give (peak of the summed RSS, memory delta, peak threads). Totals (CPU time, context
 * switches, I/O, largest high-water mark) come from the reaper at the end, not from here: a 10 ms
 * timer alone costs 2.4% of a core and would still miss whatever happens between ticks.
 *
 * Modes:
 *  - `reaper` (Linux, dist/wp-reaper built): /proc sampling of the reaper's DESCENDANTS; complete
 *    final accounting from the reaper.
 *  - `procfs` (Linux without the reaper): /proc sampling of the root and its descendants; totals
 *    are sampled estimates. Better than pidusage, which sees the root only.
 *  - `pidusage` (macOS, Windows): the root process only, see pidusageFallback.ts.
 */
import type { SampleSink } from './processTypes';
import { emptyTreeStats, type TrackHandle, type TreeStats } from './treeStats';
import { monoMs } from '../model/clock';
import type { CollectorInfo, MetricSource, ReaperStatus, Sample } from '../model/run';
import { maxIo, zeroIo, type ProcIo } from './procfs';
import { ProcTable } from './procTable';
import { ProcTreeObserver, type TreeObservation } from './procTree';
import { CgroupActivity } from './cgroupActivity';
import { checkReaper } from './reaperCheck';
import { TreeContainment } from './containment';
import { PROCESS_METRIC_KEYS, unavailableIn } from '../model/metrics';
import {
  PidusageSampler,
  pidusageSources,
  realPidusageDeps,
  type PidusageDeps,
} from './pidusageFallback';

export type CollectorMode = 'reaper' | 'procfs' | 'pidusage';

/** The metrics collector.sources describes, in TaskRun order, then the time series. */
const METRIC_ORDER: readonly string[] = [...PROCESS_METRIC_KEYS, 'samples'];

/** /proc/PID/io field behind each I/O metric, for the sources' wording. */
const IO_FIELDS = {
  ioReadBytes: 'read_bytes',
  ioWriteBytes: 'write_bytes − cancelled_write_bytes',
  ioReadChars: 'rchar',
  ioWriteChars: 'wchar',
  ioReadOps: 'syscr',
  ioWriteOps: 'syscw',
} as const;

function ioSources(describe: (field: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [metric, field] of Object.entries(IO_FIELDS)) out[metric] = describe(field);
  return out;
}

export interface MetricsCollectorOptions {
  intervalMs: number;
  /** monoMs() at the run's start: samples carry offsets from it. */
  originMono: number;
  onSamples: SampleSink;
  /** By default: `reaper` on Linux when dist/wp-reaper exists, `procfs` on Linux, else `pidusage`. */
  mode?: CollectorMode;
  /** pidusage and the platform for `pidusage` mode (tests inject fakes). */
  pidusage?: PidusageDeps;
}

export interface TrackOptions {
  /** The root pid is wp-reaper: sample its descendants, not the reaper itself. */
  rootIsReaper: boolean;
  /**
   * The cgroup2 the reaper puts the command in (NodeContainer.cgroupDir; reaper mode): a tick
   * where its CPU time stood still skips asking each process whether it ran (see procTree.ts).
   */
  cgroupDir?: string | null;
}

const round = (v: number, digits: 1 | 3): number => {
  const f = digits === 1 ? 10 : 1000;
  return Math.round(v * f) / f;
};

/** One tracked tree: its identity, and the statistics accumulated from its observations. */
class TrackedTree {
  readonly stats: TreeStats = emptyTreeStats();
  private readonly seen = new Set<string>();
  /** Cumulative CPU and I/O of the tree: they only grow (see observe). */
  private cumCpuMs = 0;
  private cumIo: ProcIo | null = null;
  /** Where the current rate window began. */
  private base: { t: number; cpuMs: number; io: ProcIo };
  /** The last observation's io and keys: a quiet tick hands the same objects back. */
  private lastObsIo: ProcIo | null = null;
  private lastKeys: string[] | null = null;
  /** Each process's latest run-queue wait, ns: kept after it exits, when /proc forgets it. */
  private readonly waitNs = new Map<string, number>();
  /** The sum of waitNs, kept as it changes: a busy tree sees thousands of processes. */
  private waitSumNs = 0;
  private lastWaits: TreeObservation['runQueueWaits'] = undefined;

  constructor(
    readonly nodeId: string,
    readonly attempt: number,
    readonly rootPid: number,
    /** How /proc sees the tree; null in pidusage mode. */
    readonly procfs: ProcTreeObserver | null,
    startMono: number,
    /**
     * Shortest window a rate is computed over. CPU time comes in 10 ms clock ticks: over a 5 ms
     * window (a tree tracked just before a tick) one tick would read 200%.
     */
    private readonly minWindowMs: number,
  ) {
    // The tree did not exist before: everything it used so far counts from here.
    this.base = { t: startMono, cpuMs: 0, io: zeroIo() };
  }

  /** Folds a cumulative I/O reading into cumIo (fieldwise maximum, see observe). */
  private foldIo(io: ProcIo): void {
    if (io === this.lastObsIo) return;
    this.lastObsIo = io;
    // A new object each time: base.io and stats.lastIo keep references to earlier ones.
    this.cumIo = this.cumIo ? maxIo(this.cumIo, io) : { ...io };
    this.stats.lastIo = this.cumIo;
  }

  /** Keeps each process's largest (latest) wait, and the tree's sum of them. */
  private foldWaits(waits: NonNullable<TreeObservation['runQueueWaits']>): void {
    this.lastWaits = waits;
    for (const [key, ns] of waits) {
      const was = this.waitNs.get(key) ?? 0;
      if (ns <= was) continue;
      this.waitNs.set(key, ns);
      this.waitSumNs += ns - was;
    }
    this.stats.runQueueWaitMs = round(this.waitSumNs / 1e6, 3);
  }

  /** Folds one observation into the statistics and returns the interval's Sample. */
  observe(obs: TreeObservation, t: number, originMono: number): Sample {
    const s = this.stats;
    // Cumulative figures only grow: a process reaped between two reads can make one reading
    // low (never high, as parents are read before children); the next catches up.
    this.cumCpuMs = Math.max(this.cumCpuMs, obs.cpuMs);
    if (obs.io) this.foldIo(obs.io);
    const dt = t - this.base.t;
    let cpuPercent: number | null = null;
    let readRate: number | null = null;
    let writeRate: number | null = null;
    if (dt >= this.minWindowMs) {
      cpuPercent = ((this.cumCpuMs - this.base.cpuMs) / dt) * 100;
      if (obs.io && this.cumIo) {
        const written = (io: ProcIo): number => io.writeBytes - io.cancelledWriteBytes;
        readRate = ((this.cumIo.readBytes - this.base.io.readBytes) / dt) * 1000;
        writeRate = (Math.max(0, written(this.cumIo) - written(this.base.io)) / dt) * 1000;
      }
      this.base = { t, cpuMs: this.cumCpuMs, io: this.cumIo ?? this.base.io };
    }

    s.sampleCount += 1;
    s.lastCpuMs = this.cumCpuMs;
    s.peakRssBytes = Math.max(s.peakRssBytes ?? 0, obs.rssBytes);
    s.firstRssBytes ??= obs.rssBytes;
    s.lastRssBytes = obs.rssBytes;
    if (obs.threads !== null) s.peakThreads = Math.max(s.peakThreads ?? 0, obs.threads);
    // A quiet tick hands back the last walk's keys: nothing new to add.
    if (obs.keys && obs.keys !== this.lastKeys) {
      this.lastKeys = obs.keys;
      for (const k of obs.keys) this.seen.add(k);
      s.processCount = this.seen.size;
    }
    if (obs.hwm !== null) s.maxHwmBytes = Math.max(s.maxHwmBytes ?? 0, obs.hwm);
    if (obs.kernelReaping === true) s.kernelReaping = true;
    if (obs.runQueueWaits && obs.runQueueWaits !== this.lastWaits)
      this.foldWaits(obs.runQueueWaits);

    return {
      nodeId: this.nodeId,
      attempt: this.attempt,
      t: round(t - originMono, 3),
      cpuPercent: cpuPercent === null ? null : round(cpuPercent, 1),
      rssBytes: obs.rssBytes,
      threads: obs.threads,
      processes: obs.processes,
      readBytesPerSec: readRate === null ? null : Math.round(readRate),
      writeBytesPerSec: writeRate === null ? null : Math.round(writeRate),
    };
  }
}

export class MetricsCollector {
  readonly intervalMs: number;
  readonly mode: CollectorMode;
  /** Whether nodes run under the native reaper, and why not. */
  readonly reaper: ReaperStatus;
  private readonly originMono: number;
  private readonly onSamples: SampleSink;
  private readonly platform: NodeJS.Platform;
  private readonly pidusage: PidusageSampler | null;
  /** Kept-open /proc descriptors (procfs and reaper modes). */
  private readonly table: ProcTable | null;
  private readonly trees = new Set<TrackedTree>();
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private overheadCpuUs = 0;
  private pidusageBusy = false;
  /** The runner's hold on every reaper-run tree (cgroup or process group). */
  readonly containment = new TreeContainment();

  constructor(options: MetricsCollectorOptions) {
    this.intervalMs = Math.max(1, options.intervalMs);
    this.originMono = options.originMono;
    this.onSamples = options.onSamples;
    // The reaper's self-test runs here, before the run's first node (once per runner process).
    const reaper = checkReaper();
    this.mode =
      options.mode ??
      (process.platform === 'linux' ? (reaper.path ? 'reaper' : 'procfs') : 'pidusage');
    this.reaper =
      this.mode === 'reaper'
        ? { used: true, version: reaper.version, fallbackReason: null }
        : {
            used: false,
            version: null,
            fallbackReason:
              options.mode === undefined && reaper.reason !== null
                ? reaper.reason
                : `the collector was set to ${this.mode} mode`,
          };
    const deps = this.mode === 'pidusage' ? (options.pidusage ?? realPidusageDeps()) : null;
    this.platform = deps ? deps.platform : process.platform;
    this.pidusage = deps ? new PidusageSampler(deps, this.intervalMs) : null;
    this.table = this.mode === 'pidusage' ? null : new ProcTable();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // The processes being sampled keep the runner alive, not this timer.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pidusage?.dispose();
    this.table?.close();
    this.containment.dispose();
  }

  track(nodeId: string, attempt: number, rootPid: number, opts: TrackOptions): TrackHandle {
    const procfs =
      this.mode === 'pidusage'
        ? null
        : new ProcTreeObserver(
            rootPid,
            opts.rootIsReaper,
            this.mode === 'procfs',
            this.mode === 'reaper' && opts.cgroupDir ? new CgroupActivity(opts.cgroupDir) : null,
          );
    const tree = new TrackedTree(nodeId, attempt, rootPid, procfs, monoMs(), this.intervalMs / 2);
    this.trees.add(tree);
    return {
      finish: (): TreeStats => {
        this.trees.delete(tree);
        procfs?.close();
        return { ...tree.stats, lastIo: tree.stats.lastIo ? { ...tree.stats.lastIo } : null };
      },
    };
  }

  /** Samples every tracked tree once. Called by the timer; public for tests. */
  tick(): void {
    const before = process.cpuUsage();
    this.ticks += 1;
    if (this.pidusage) this.tickPidusage(this.pidusage);
    else if (this.table) this.tickProcfs(this.table);
    this.addOverhead(before);
  }

  private tickProcfs(table: ProcTable): void {
    const batch: Sample[] = [];
    // A read of a process that exited throws (ESRCH), and is caught at once: in a tree with
    // processes coming and going, capturing each error's stack was a visible part of a tick.
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      table.beginTick();
      for (const tree of this.trees) {
        const obs = tree.procfs?.observe(table);
        if (obs) batch.push(tree.observe(obs, monoMs(), this.originMono));
      }
      // Descriptors of processes that exited or are no longer tracked are closed.
      table.endTick();
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
    if (batch.length > 0) this.onSamples(batch);
  }

  private addOverhead(before: NodeJS.CpuUsage): void {
    const used = process.cpuUsage(before);
    this.overheadCpuUs += used.user + used.system;
  }

  /** Asynchronous: pidusage spawns `ps` or `wmic` on macOS and Windows. One call at a time. */
  private tickPidusage(sampler: PidusageSampler): void {
    if (this.pidusageBusy || this.trees.size === 0) return;
    this.pidusageBusy = true;
    const trees = [...this.trees];
    void sampler
      .sample(trees.map((t) => t.rootPid))
      .then((seen) => {
        const before = process.cpuUsage();
        const t = monoMs();
        const batch: Sample[] = [];
        for (const tree of trees) {
          const root = seen.get(tree.rootPid);
          if (!root || !this.trees.has(tree)) continue;
          const obs: TreeObservation = {
            processes: 1,
            keys: null,
            rssBytes: root.rssBytes,
            threads: null,
            cpuMs: root.cpuMs,
            io: null,
            hwm: null,
          };
          batch.push(tree.observe(obs, t, this.originMono));
        }
        if (batch.length > 0) this.onSamples(batch);
        this.addOverhead(before);
      })
      .catch(() => undefined)
      .finally(() => {
        this.pidusageBusy = false;
      });
  }

  info(): CollectorInfo {
    return {
      intervalMs: this.intervalMs,
      platform: this.platform,
      mode: this.mode,
      sources: this.sources(),
      overheadCpuMs: round(this.overheadCpuUs / 1000, 3),
      ticks: this.ticks,
      unavailable: this.unavailable(),
      reaper: { ...this.reaper },
      containment:
        this.mode === 'reaper'
          ? this.containment.info()
          : {
              mechanism: this.mode === 'procfs' ? 'process-group' : 'none',
              detail:
                this.mode === 'procfs'
                  ? 'the command’s own process group and its /proc descendants, killed at node end'
                  : 'the command’s process group (taskkill /T on Windows); what leaves it is not tracked',
            },
    };
  }

  private unavailable(): string[] {
    return unavailableIn(this.mode);
  }

  /** One entry per metric of a TaskRun, saying exactly how this mode measures it. */
  private sources(): MetricSource[] {
    if (this.mode === 'pidusage') return pidusageSources(this.platform, this.intervalMs);
    const every = `every ${this.intervalMs} ms`;
    const r = 'wp-reaper (child subreaper, reaps the whole tree with wait4)';
    // With the reaper, ru_maxrss holds every waited-for process's high-water mark: VmHWM is read
    // only where the kernel reaps (the parent ignores SIGCHLD), whose rusage reaches no one.
    const hwmOf =
      this.mode === 'procfs' ? 'every process' : 'processes whose parent ignores SIGCHLD';
    const byMetric: Record<string, string> = {
      peakRssBytes: `peak of the tree's summed /proc/PID/statm resident across samples (${every}) and the largest /proc/PID/status VmHWM seen (read for ${hwmOf})`,
      memoryDeltaBytes: `summed rss of the tree at the last sample minus at the first (${every}); null with fewer than 2 samples`,
      peakThreads: `highest summed /proc/PID/stat num_threads of the tree across samples (${every}); null without a sample`,
      processCount: 'distinct processes (pid + start time) seen in samples',
      runQueueWaitMs: `sampled lower bound (${every}): time the tree's threads were runnable but waiting for a CPU, /proc/PID/schedstat run_delay (every thread's, /proc/PID/task/TID/schedstat, for multi-threaded processes) summed over the tree, keeping each process's last reading after it exits; the wait after a process's last sample, and processes living between two samples, are missed`,
      samples: `/proc ${every}, descriptors kept open (a multi-threaded process's per-thread files too): the tree through /proc/PID/task/TID/children (walked again only when one of its processes ran: by the node's cgroup2 cpu.stat usage_usec where the command runs in one (reaper mode), else by each process's /proc/PID/schedstat; a process that did not run keeps its last stat and io, its children are listed again); per process stat (CPU incl. reaped children, threads), statm (resident memory, read every tick) and io, status (VmHWM) for ${hwmOf}; CPU % from the growth of the tree's cumulative CPU time`,
    };
    if (this.mode === 'procfs') {
      Object.assign(byMetric, {
        durationMs: 'runner: monotonic clock from spawn to the exit event',
        cpuTimeMs: `sampled estimate: the tree's cumulative CPU time (utime + stime + cutime + cstime) at the last sample (${every}); the last interval is missed`,
        cpuPercent: 'cpuTimeMs / durationMs × 100 (a sampled estimate)',
        ...ioSources(
          (field) =>
            `sampled estimate: the tree's summed /proc/PID/io ${field} at the last sample (${every}); the last interval is missed`,
        ),
        contextSwitches: 'unavailable without wp-reaper',
        strayProcessesKilled: 'unavailable without wp-reaper',
      });
    } else {
      Object.assign(byMetric, {
        durationMs: `${r}: CLOCK_MONOTONIC from fork to the main process's exit`,
        cpuTimeMs:
          this.containment.info().mechanism === 'cgroup'
            ? "the node's own cgroup2 cpu.stat usage_usec, read once the cgroup is empty: exact for every process of the tree, children reaped by the kernel (a parent ignoring SIGCHLD) included; getrusage(RUSAGE_CHILDREN) of the reaper where it could not join the cgroup"
            : `${r}: getrusage(RUSAGE_CHILDREN) user + system of the processes it reaped (a lower bound, named in lowerBounds, when a process ignores SIGCHLD: the kernel reaps its children)`,
        cpuPercent: 'cpuTimeMs / durationMs × 100 (per cent of one core)',
        peakRssBytes: `a lower bound of the tree's simultaneous peak, the max of: ${r} ru_maxrss (largest single-process high-water mark), ${byMetric['peakRssBytes']}`,
        ...ioSources(
          (field) =>
            `${r}: /proc/self/io ${field} over the tree's life (the kernel adds each reaped child's I/O to its parent's; null when a counter went backwards; a lower bound when a process ignores SIGCHLD)`,
        ),
        contextSwitches: `${r}: getrusage(RUSAGE_CHILDREN) ru_nvcsw + ru_nivcsw (all threads, the node's life only)`,
        processCount: `max of the processes ${r} reaped and the ${byMetric['processCount']} (a lower bound: a grandchild reaped by its own parent between two samples is never seen)`,
        strayProcessesKilled: `${r}: descendants still alive when the main process exited, SIGKILLed and counted`,
      });
    }
    return METRIC_ORDER.flatMap((metric) => {
      const source = byMetric[metric];
      return source ? [{ metric, source }] : [];
    });
  }
}
