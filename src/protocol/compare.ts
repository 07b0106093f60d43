/**
 * The compare panel's protocol (host: src/extension/panels, webview: webview/compare). The host
 * computes the comparison (src/report/compare.ts) and sends it whole; the webview draws it.
 */
import type { RunComparison } from '../model/comparison';
import type { RunStatus } from '../model/run';

export interface CompareRunInfo {
  id: string;
  startedAt: string;
  status: RunStatus;
  wallMs: number | null;
}

export interface CompareSnapshot {
  workflowName: string;
  comparison: RunComparison;
  /** Every compared run, oldest first; the last is the candidate. */
  runs: CompareRunInfo[];
  /** Per node, its final duration in each run of `runs` (same order), null where it did not run. */
  durationTrend: Record<string, (number | null)[]>;
}

export type HostToCompare = { type: 'snapshot'; snapshot: CompareSnapshot };

export type CompareToHost =
  | { type: 'ready' }
  | { type: 'revealNode'; nodeId: string }
  | { type: 'openDashboard'; runId: string }
  | { type: 'rendered'; ms: number; charts: string[] };

export interface CompareUiState {
  runIds: string[];
  metric?: string;
}
