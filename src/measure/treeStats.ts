/** What the sampler saw of one process tree, shared by the /proc collector and the fallback. */
import type { ProcIo } from './procfs';

/** What sampling saw of one tree over its life. Null where nothing was seen. */
export interface TreeStats {
  sampleCount: number;
  /** Highest summed RSS of the tree's processes in any one sample. */
  peakRssBytes: number | null;
  /** Largest VmHWM (kernel high-water mark) of any single process seen. */
  maxHwmBytes: number | null;
  /** Summed RSS at the first and the last sample. */
  firstRssBytes: number | null;
  lastRssBytes: number | null;
  /** Highest summed thread count in any one sample. */
  peakThreads: number | null;
  /** Distinct processes (pid + start time) seen; null when the sampler cannot see the tree. */
  processCount: number | null;
  /** The tree's CPU time up to the last sample, ms: a lower bound of its total. */
  lastCpuMs: number | null;
  /** The tree's I/O up to the last sample: lower bounds; null where unreadable. */
  lastIo: ProcIo | null;
  /** A sample saw a process that ignores SIGCHLD with children (see TreeObservation). */
  kernelReaping?: boolean;
  /**
   * Run-queue wait of the tree, ms: the last schedstat reading of every process seen, summed (a
   * lower bound: waits after a process's last sample are missed); null where none was read.
   */
  runQueueWaitMs: number | null;
}

export interface TrackHandle {
  /** Stops sampling this tree and returns what was seen. */
  finish(): TreeStats;
}

/** Statistics of a tree nothing has been seen of yet. */
export function emptyTreeStats(): TreeStats {
  return {
    sampleCount: 0,
    peakRssBytes: null,
    maxHwmBytes: null,
    firstRssBytes: null,
    lastRssBytes: null,
    peakThreads: null,
    processCount: null,
    lastCpuMs: null,
    lastIo: null,
    kernelReaping: false,
    runQueueWaitMs: null,
  };
}
