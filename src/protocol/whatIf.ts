/**
 * The what-if simulator's input as it crosses to the dashboard webview: a recorded run reduced to
 * its DAG, each node's span, latency, outcome and peak memory, and the scheduling policy (slots).
 * The host builds it (src/report/panelSnapshots) with the simulator's own model builder
 * (src/report/whatif/simModel, which re-exports these types), so the page replays exactly what
 * `whatif` on the command line replays.
 */

export type SimOutcome = 'completed' | 'failed' | 'cancelled';

export interface SimNode {
  id: string;
  needs: string[];
  isMerge: boolean;
  continueOnError: boolean;
  /** null: never started in the recorded run (skipped, or cancelled before it started). */
  outcome: SimOutcome | null;
  /** First attempt's start to the last attempt's end: every retry counts. */
  spanMs: number;
  /** Dispatch to start (spawning a process costs a few ms), as recorded for this node. */
  latencyMs: number;
  /** Nodes a switch routed away from, as recorded. */
  excludes: string[];
  peakRssBytes: number | null;
  /** For a `workflow` node: its nested workflow. */
  child: SimScope | null;
}

export interface SimScope {
  slots: number;
  /** From the scope's start to its first nodes being ready (runner start-up). */
  headMs: number;
  /** From the last node's end to the scope's end (the runner finishing the run). */
  tailMs: number;
  /** In the order the runtime hands ready nodes out. */
  nodes: SimNode[];
}

/** What the dashboard's "What if" section replays (absent while a run is live). */
export interface WhatIfInput {
  model: SimScope;
  /** The run's recorded wall time, the figure a prediction is compared against. */
  recordedWallMs: number | null;
  /** CPU cores of the machine that ran it (null: not recorded): bounds the slots slider. */
  cores: number | null;
}
