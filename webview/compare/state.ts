/** The compare page's state in one object, and the named changes that replace it. Pure. */
import type { CompareSnapshot, CompareUiState } from '../../src/protocol/compare';
import type { CompareMetric } from '../../src/model/comparison';
import type { ChartTheme } from '../../src/report/charts/theme';

export interface CompareState {
  /** What setState keeps: the two sides compared and the metric chosen. */
  readonly ui: CompareUiState;
  readonly theme: ChartTheme;
  readonly snapshot: CompareSnapshot | null;
  /** Why the last sides chosen could not be compared; null once a snapshot arrives. */
  readonly error: string | null;
}

export type Change = (s: CompareState) => CompareState;

export function initialState(ui: CompareUiState | undefined, theme: ChartTheme): CompareState {
  return { ui: ui ?? { baseline: '', candidate: '' }, theme, snapshot: null, error: null };
}

/** The metric of the per-node chart: the one chosen if it was compared, else the first compared. */
export function metricOf(s: CompareState): CompareMetric {
  const compared = s.snapshot?.stats.metrics ?? [];
  return compared.find((m) => m === s.ui.metric) ?? compared[0] ?? 'durationMs';
}

export function showSnapshot(snapshot: CompareSnapshot): Change {
  return (s) => ({
    ...s,
    snapshot,
    error: null,
    ui: { ...s.ui, baseline: snapshot.baseline.spec, candidate: snapshot.candidate.spec },
  });
}

export function showError(message: string): Change {
  return (s) => ({ ...s, error: message });
}

export function setMetric(metric: CompareMetric): Change {
  return (s) => ({ ...s, ui: { ...s.ui, metric } });
}

export function setTheme(theme: ChartTheme): Change {
  return (s) => ({ ...s, theme });
}
