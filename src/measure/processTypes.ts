/**
 * The boundary between the scheduler (which decides what runs) and the process layer (which
 * starts one node's process tree, measures it exactly and kills it whole).
 */
import type { ProcessMetricKey } from '../model/metrics';
import type { LowerBound, Sample, TaskRun } from '../model/run';

export interface ProcessSpec {
  nodeId: string;
  attempt: number;
  /** Executable and arguments, e.g. `/bin/sh`, `['-c', 'echo hi']`. */
  file: string;
  args: string[];
  cwd: string;
  /** The complete environment for the process (not stored anywhere). */
  env: Record<string, string>;
  /** Kill the whole tree after this long. */
  timeoutMs?: number;
  /** Output is streamed through these, never held whole. */
  onStdout: (chunk: Buffer) => void;
  onStderr: (chunk: Buffer) => void;
}

/** The measured fields of a TaskRun that the process layer fills in. */
export type ProcessMetrics = Pick<TaskRun, ProcessMetricKey | 'sampleCount'>;

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Could not start at all (e.g. executable missing): the message. */
  spawnError: string | null;
  /** Monotonic ms (see runtime/clock.ts) at spawn and at the main process's exit. */
  startMono: number;
  endMono: number;
  metrics: ProcessMetrics;
  /** Which of the metrics are only lower bounds of the tree's, and why (TaskRun.lowerBounds). */
  lowerBounds: LowerBound[];
}

export interface RunningProcess {
  pid: number | undefined;
  /**
   * The root's pid once known (through the spawn helper it arrives with the node's first frame,
   * a moment after the start); undefined when the process never started.
   */
  started: Promise<number | undefined>;
  done: Promise<ProcessOutcome>;
  /** Kill the whole tree (TERM, a grace period, then KILL). Safe to call more than once. */
  cancel(reason: string): void;
}

/** Receives samples of every tracked tree, in batches, as the collector ticks. */
export type SampleSink = (samples: Sample[]) => void;
