/** The compare page's state in one object, and the named changes that replace it. Pure. */
import type { CompareSnapshot, CompareUiState } from '../../src/protocol/compare';
import { COMPARE_METRICS, type CompareMetric } from '../../src/model/comparison';
import type { ChartTheme } from '../../src/report/charts/theme';

export interface CompareState {
  /** What setState keeps: the runs compared and the metric chosen. */
  readonly ui: CompareUiState;
  readonly theme: ChartTheme;
  readonly snapshot: CompareSnapshot | null;
}

export type Change = (s: CompareState) => CompareState;

export function initialState(ui: CompareUiState | undefined, theme: ChartTheme): CompareState {
  return { ui: ui ?? { runIds: [] }, theme, snapshot: null };
}

/** The metric of the per-node chart and the table's order (unknown values fall back). */
export function metricOf(ui: CompareUiState): CompareMetric {
  return COMPARE_METRICS.find((m) => m === ui.metric) ?? 'durationMs';
}

export function showSnapshot(snapshot: CompareSnapshot): Change {
  return (s) => ({ ...s, snapshot, ui: { ...s.ui, runIds: snapshot.runs.map((r) => r.id) } });
}

export function setMetric(metric: string): Change {
  return (s) => ({ ...s, ui: { ...s.ui, metric } });
}

export function setTheme(theme: ChartTheme): Change {
  return (s) => ({ ...s, theme });
}
