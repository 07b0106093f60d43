/**
 * The compare panel's protocol (host: src/extension/panels, webview: webview/compare). The host
 * resolves both sides and computes the per-node statistics with the same code as the `compare`
 * command (src/query/compareSides.ts → src/report/stats/compareSeries.ts) and sends the result
 * whole; the webview draws it and asks for other sides through `choose`.
 */
import type { CompareMetric } from '../model/comparison';
import type { RunStatus } from '../model/run';
import type { SeriesComparison } from '../model/seriesComparison';

export interface CompareRunInfo {
  id: string;
  startedAt: string;
  status: RunStatus;
  wallMs: number | null;
  side: 'baseline' | 'candidate';
}

/** What one side names and what it resolved to. */
export interface CompareSideInfo {
  /** As a user would type it to `compare`: a run id, a series id, or runs separated by commas. */
  spec: string;
  /** The measured runs, oldest first. */
  runs: string[];
  /** Warm-up runs the spec named, left out of the statistics. */
  warmups: string[];
  /** One line, the same words the CLI prints for the side. */
  description: string;
}

/** A side the choosers offer: a series (its measured runs) or one run. */
export type CompareChoice =
  | {
      kind: 'series';
      spec: string;
      measuredRuns: number;
      warmups: number;
      startedAt: string;
      workflowName: string;
    }
  | {
      kind: 'run';
      spec: string;
      startedAt: string;
      status: RunStatus;
      wallMs: number | null;
      workflowName: string;
    };

/** The CLI's words for the comparison (src/report/stats/renderSeries.ts), to show as they are. */
export interface CompareWords {
  verdict: string;
  method: string;
  outliers: string[];
  /** The sides ran under very different load (empty when they did not). */
  load: string[];
}

export interface CompareSnapshot {
  workflowName: string;
  baseline: CompareSideInfo;
  candidate: CompareSideInfo;
  /** Exactly what `compare --json` prints for these two sides. */
  stats: SeriesComparison;
  words: CompareWords;
  /** Node types by id, for the table. */
  nodeTypes: Record<string, string>;
  /** Every compared run, baseline runs first, each side oldest first. */
  runs: CompareRunInfo[];
  /** Per node, its final duration in each run of `runs` (same order), null where it did not run. */
  durationTrend: Record<string, (number | null)[]>;
  /** What the baseline and candidate choosers offer, newest first. */
  choices: CompareChoice[];
}

export type HostToCompare =
  | { type: 'snapshot'; snapshot: CompareSnapshot }
  /** A side the page chose could not be loaded; the previous snapshot stays. */
  | { type: 'error'; message: string };

export type CompareToHost =
  | { type: 'ready' }
  | { type: 'choose'; baseline: string; candidate: string }
  | { type: 'openReport' }
  | { type: 'revealNode'; nodeId: string }
  | { type: 'openDashboard'; runId: string }
  | { type: 'rendered'; ms: number; charts: string[] };

/** What the page keeps across reloads (setState): the sides and the metric shown; never data. */
export interface CompareUiState {
  baseline: string;
  candidate: string;
  metric?: CompareMetric;
}
