/**
 * Which of a node's figures are only lower bounds of its tree's true value, and why. Pure: the
 * process layer gathers the evidence, this decides what it means.
 */
import type { LowerBound } from '../model/run';
import type { CollectorModeName } from '../model/metrics';
import type { ProcessMetrics } from './processTypes';

const IO_METRICS = [
  'ioReadBytes',
  'ioWriteBytes',
  'ioReadChars',
  'ioWriteChars',
  'ioReadOps',
  'ioWriteOps',
] as const;

/** What the reaper's figures may be missing. */
export interface ReaperEvidence {
  /** A sample saw a SIGCHLD-ignoring process with children. */
  kernelReaping: boolean;
  /** CPU ms of the reaper's rusage, and of the node's cgroup (null without one). */
  rusageCpuMs: number;
  cgroupCpuMs: number | null;
}

/** A cgroup clearly above rusage: more than 20 ms and 5 % (both read the same kernel counters). */
export function cgroupCpuAboveRusage(e: ReaperEvidence): boolean {
  if (e.cgroupCpuMs === null) return false;
  const gap = e.cgroupCpuMs - e.rusageCpuMs;
  return gap > 20 && gap > e.rusageCpuMs * 0.05;
}

export const KERNEL_REAPED_REASON =
  'a process of the tree ignores SIGCHLD: the kernel reaped its children, whose use never reaches the reaper’s rusage';
const PEAK_REASON =
  'the larger of the largest single process’s high-water mark and the peak of the sampled sums: processes of the tree may have peaked together between samples';

function bound(m: ProcessMetrics, metric: keyof ProcessMetrics, reason: string): LowerBound[] {
  return m[metric] === null ? [] : [{ metric, reason }];
}

/** Lower bounds of reaper figures; cpuFromCgroup says cpuTimeMs came from cpu.stat (exact). */
export function reaperLowerBounds(
  m: ProcessMetrics,
  e: ReaperEvidence,
  cpuFromCgroup: boolean,
): LowerBound[] {
  const out: LowerBound[] = [];
  const gap = e.kernelReaping || cgroupCpuAboveRusage(e);
  if (gap && !cpuFromCgroup) {
    out.push(...bound(m, 'cpuTimeMs', KERNEL_REAPED_REASON));
    out.push(...bound(m, 'cpuPercent', KERNEL_REAPED_REASON));
  }
  const multi = (m.processCount ?? 0) > 1;
  if (gap || multi) {
    out.push(
      ...bound(m, 'peakRssBytes', gap ? `${PEAK_REASON}; ${KERNEL_REAPED_REASON}` : PEAK_REASON),
    );
  }
  if (gap) {
    for (const k of IO_METRICS) out.push(...bound(m, k, KERNEL_REAPED_REASON));
    out.push(...bound(m, 'contextSwitches', KERNEL_REAPED_REASON));
  }
  return out;
}

/** Lower bounds of sampled figures (procfs and pidusage modes): nothing there is exact. */
export function sampledLowerBounds(
  m: ProcessMetrics,
  mode: Exclude<CollectorModeName, 'reaper'>,
  intervalMs: number,
): LowerBound[] {
  const reason =
    mode === 'pidusage'
      ? `the root process only, sampled every ${intervalMs} ms: its children and the last interval are missed`
      : `sampled every ${intervalMs} ms: the last interval, and processes living between two samples, are missed`;
  const keys: (keyof ProcessMetrics)[] = ['cpuTimeMs', 'cpuPercent', 'peakRssBytes', ...IO_METRICS];
  return keys.flatMap((k) => bound(m, k, reason));
}

/**
 * runQueueWaitMs is only ever sampled (rusage has no run-queue time): always a lower bound. Says
 * how many processes of the tree no sample saw (`unsampled`: processes counted minus seen), as
 * their whole wait is missing.
 */
export function runQueueWaitBound(
  m: ProcessMetrics,
  intervalMs: number,
  unsampled: number,
): LowerBound[] {
  const missed =
    unsampled > 0
      ? `; at least ${unsampled} of the tree's processes exited before any sample saw them`
      : '';
  return bound(
    m,
    'runQueueWaitMs',
    `sampled every ${intervalMs} ms from /proc/PID/schedstat: each process's wait after its last sample is missed${missed}`,
  );
}
