/**
 * The dashboard panel's protocol, shared by the extension host (src/extension/panels) and the
 * webview (webview/dashboard), and by the CLI's standalone HTML (which embeds one snapshot).
 * The host sends complete snapshots, and incremental updates while a run is live; the webview
 * keeps only UI state (setState), never data.
 */
import type { RunRecord, RunStatus, Sample, TaskRun } from '../model/run';
import type { WhatIfInput } from './whatIf';

/** One value of a node's custom metric in an earlier (or this) run of the same workflow. */
export interface CustomTrendPoint {
  runId: string;
  startedAt: string;
  nodeId: string;
  metric: string;
  value: number;
}

export interface DashboardSnapshot {
  /**
   * The run as stored (while live: as far as it has got; tasks not started yet are absent). Its
   * `memoryForecast` is the header's forecast; the actual is the analysis' peak concurrent memory.
   */
  run: RunRecord;
  /** The run's samples, oldest first (empty when it kept none). */
  samples: Sample[];
  /** Node ids the run will execute, in file order, with their types (live runs show them pending). */
  plan: { nodeId: string; type: string; needs: string[]; parentId: string | null }[];
  /** True while the run is going: updates follow. */
  live: boolean;
  /** Custom metrics of the last runs of this workflow, oldest first (this run included). */
  customHistory: CustomTrendPoint[];
  /**
   * Custom metrics of the previous run (src/query/runHistory's `previousRun`: the run of this
   * workflow before this one, not the newest other). Absent in snapshots older than this field:
   * then the runs before this one in customHistory stand in.
   */
  customPrevious?: CustomTrendPoint[];
  /**
   * The simulator's input for the "What if" section, for a finished run (src/protocol/whatIf).
   * Absent while live, and in snapshots older than this field: the section then says why.
   */
  whatIf?: WhatIfInput;
  /** Host clock (Date.now()) when the snapshot was taken, so live bars can grow smoothly. */
  sentAt: number;
}

/** An incremental change during a live run: tasks replace by (nodeId, attempt); samples append. */
export interface DashboardUpdate {
  runId: string;
  status: RunStatus;
  wallMs: number | null;
  endedAt: string | null;
  tasks: TaskRun[];
  samples: Sample[];
  sentAt: number;
}

export type HostToDashboard =
  | { type: 'snapshot'; snapshot: DashboardSnapshot }
  | { type: 'update'; update: DashboardUpdate }
  /** Scroll to and highlight a node (e.g. from a CodeLens). */
  | { type: 'focusNode'; nodeId: string };

export type DashboardToHost =
  /** The webview has loaded and listens: the host answers with a snapshot. */
  | { type: 'ready' }
  /** A node was clicked: reveal it in the workflow file. */
  | { type: 'revealNode'; nodeId: string }
  | { type: 'openReport' }
  /** Every chart has drawn (for tests and the benchmark): time from snapshot to drawn. */
  | { type: 'rendered'; runId: string; ms: number; charts: string[] };

/** What the webview persists with setState: UI state only, and which run it shows. */
export interface DashboardUiState {
  runId: string;
  sortBy?: string;
  sortDescending?: boolean;
  /** Timeline zoom window, percentages of the run. */
  zoom?: [number, number];
  tab?: string;
  /** What the radar chart groups nodes by. */
  radarBy?: 'type' | 'tag';
  /** The "What if" section's slots (absent: as recorded). */
  whatIfSlots?: number;
  /** Its speed-ups: node id to factor (2: half its recorded time; 0: it takes no time). */
  whatIfSpeedup?: Record<string, number>;
}
