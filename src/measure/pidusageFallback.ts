/**
 * The cross-platform baseline, for macOS and Windows, where there is no /proc and no reaper:
 * each node's ROOT process is sampled with pidusage. What that cannot see is null, never 0:
 * I/O, threads, context switches, the processes of the tree below the root, strays. CPU time is
 * the root's own, read at the last sample before it exited: a sampled estimate (lower bound),
 * flagged as such in the run's collector sources.
 *
 * Also home of `sampledMetrics`, which turns sampled tree statistics into a node's metrics
 * whenever no exact totals exist (this fallback, Linux without the reaper, or a reaper that was
 * killed before it could write its result).
 */
import { maxOf } from '../model/numbers';
import pidusage from 'pidusage';
import { unavailableIn } from '../model/metrics';
import type { MetricSource } from '../model/run';
import type { ProcessMetrics } from './processTypes';
import type { TreeStats } from './treeStats';
import type { ProcIo } from './procfs';

/** What pidusage reports for one pid (the fields used here). */
export interface PidusageStat {
  /** Resident memory, bytes. */
  memory: number;
  /** CPU time (user + system) since the process started, ms. */
  ctime: number;
}

export type PidusageFn = (
  pids: number[],
  options: { maxage: number },
) => Promise<Record<string, PidusageStat | undefined>>;

/** Injected so the fallback can be tested with a fake pidusage on a fake platform. */
export interface PidusageDeps {
  platform: NodeJS.Platform;
  pidusage: PidusageFn;
  /** pidusage.clear(): drops its history and its expiry timer. */
  clear: () => void;
}

export function realPidusageDeps(): PidusageDeps {
  return {
    platform: process.platform,
    pidusage: (pids, options) => pidusage(pids, options),
    clear: () => pidusage.clear(),
  };
}

/** One look at a root process. */
export interface RootObservation {
  rssBytes: number;
  /** CPU time of the root process since it started, ms. */
  cpuMs: number;
}

export class PidusageSampler {
  private readonly maxAgeMs: number;

  constructor(
    private readonly deps: PidusageDeps,
    intervalMs: number,
  ) {
    // On Linux pidusage keeps each /proc/PID/stat open and closes it only when its history entry
    // expires (clear() forgets the entries without closing them: a descriptor leak). A short
    // expiry closes them soon after a process is no longer sampled.
    this.maxAgeMs = Math.max(1000, intervalMs * 3);
  }

  /** Samples the given roots in one call; pids that are gone are absent from the result. */
  async sample(pids: number[]): Promise<Map<number, RootObservation>> {
    const out = new Map<number, RootObservation>();
    if (pids.length === 0) return out;
    let stats: Record<string, PidusageStat | undefined>;
    try {
      stats = await this.deps.pidusage(pids, { maxage: this.maxAgeMs });
    } catch {
      // A batch fails as a whole when one pid is gone (ps exits 1): ask one by one.
      stats = {};
      const each = await Promise.allSettled(
        pids.map((pid) => this.deps.pidusage([pid], { maxage: this.maxAgeMs })),
      );
      for (const r of each) if (r.status === 'fulfilled') Object.assign(stats, r.value);
    }
    for (const pid of pids) {
      const s = stats[String(pid)];
      if (!s || !Number.isFinite(s.memory) || !Number.isFinite(s.ctime)) continue;
      out.set(pid, { rssBytes: s.memory, cpuMs: s.ctime });
    }
    return out;
  }

  /** Frees pidusage's state where that is safe (see the constructor about Linux). */
  dispose(): void {
    if (this.deps.platform !== 'linux') this.deps.clear();
  }
}

/** Metrics pidusage cannot measure: always null in this mode. */
export const PIDUSAGE_UNAVAILABLE: readonly string[] = unavailableIn('pidusage');

export function pidusageSources(platform: NodeJS.Platform, intervalMs: number): MetricSource[] {
  const how =
    platform === 'win32'
      ? 'pidusage (wmic or PowerShell per call)'
      : platform === 'linux'
        ? 'pidusage (/proc/PID/stat)'
        : 'pidusage (`ps` per call)';
  const every = `${how} on the root process only, every ${intervalMs} ms`;
  return [
    { metric: 'durationMs', source: 'runner: monotonic clock from spawn to the exit event' },
    {
      metric: 'cpuTimeMs',
      source: `sampled estimate: the root's user + system time at the last sample before exit, ${every}; children and the last interval are missed`,
    },
    { metric: 'cpuPercent', source: 'cpuTimeMs / durationMs × 100 (a sampled estimate)' },
    {
      metric: 'peakRssBytes',
      source: `sampled: highest resident memory of the root seen, ${every}; short peaks are missed`,
    },
    {
      metric: 'memoryDeltaBytes',
      source:
        'last minus first sampled resident memory of the root; null with fewer than 2 samples',
    },
    { metric: 'samples', source: `CPU % from the root's CPU time deltas, ${every}` },
    ...PIDUSAGE_UNAVAILABLE.map((metric) => ({ metric, source: 'not measurable with pidusage' })),
  ];
}

/** Last minus first sample of the summed RSS: how much the tree grew while observed. */
export function memoryDeltaOf(stats: TreeStats): number | null {
  return stats.sampleCount >= 2 && stats.firstRssBytes !== null && stats.lastRssBytes !== null
    ? stats.lastRssBytes - stats.firstRssBytes
    : null;
}

/** A node's I/O metrics from its counters; all null when none were read. */
export function ioMetricsOf(
  io: ProcIo | null | undefined,
): Pick<
  ProcessMetrics,
  'ioReadBytes' | 'ioWriteBytes' | 'ioReadChars' | 'ioWriteChars' | 'ioReadOps' | 'ioWriteOps'
> {
  return {
    ioReadBytes: io ? io.readBytes : null,
    ioWriteBytes: io ? Math.max(0, io.writeBytes - io.cancelledWriteBytes) : null,
    ioReadChars: io ? io.rchar : null,
    ioWriteChars: io ? io.wchar : null,
    ioReadOps: io ? io.syscr : null,
    ioWriteOps: io ? io.syscw : null,
  };
}

/**
 * A node's metrics from samples alone. CPU time and I/O are the cumulative totals of the last
 * sample (lower bounds); everything no sample could show is null.
 */
export function sampledMetrics(stats: TreeStats, durationMs: number | null): ProcessMetrics {
  const cpuTimeMs = stats.lastCpuMs;
  const io = stats.lastIo;
  return {
    durationMs,
    cpuTimeMs,
    cpuPercent:
      cpuTimeMs !== null && durationMs !== null && durationMs > 0
        ? (cpuTimeMs / durationMs) * 100
        : null,
    peakRssBytes: maxOf(stats.peakRssBytes, stats.maxHwmBytes),
    memoryDeltaBytes: memoryDeltaOf(stats),
    ...ioMetricsOf(io),
    peakThreads: stats.peakThreads,
    contextSwitches: null,
    processCount: stats.processCount,
    strayProcessesKilled: null,
    runQueueWaitMs: stats.runQueueWaitMs,
    sampleCount: stats.sampleCount,
  };
}
