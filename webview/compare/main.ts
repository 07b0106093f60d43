/**
 * The compare webview: two or more runs of one workflow side by side. The host sends the whole
 * comparison (src/report/compare.ts: baseline mean and spread, candidate, verdicts); this page
 * draws the per-node changes, the runs side by side, the trend, and a table of every node.
 */
import '../shared/base.css';
import './compare.css';
import type { CompareSnapshot, CompareToHost, CompareUiState } from '../../src/protocol/compare';
import {
  isCompareSnapshot,
  isCompareUiState,
  isHostToCompare,
} from '../../src/protocol/compareValidate';
import { COMPARE_METRICS } from '../../src/model/comparison';
import {
  compareDeltaChart,
  METRIC_LABELS,
  rankedNodes,
} from '../../src/report/charts/compareDeltas';
import { compareRunsChart } from '../../src/report/charts/compareRuns';
import { compareTrendChart } from '../../src/report/charts/compareTrend';
import { boot } from '../shared/boot';
import { ChartBoard } from '../shared/chartBoard';
import { h } from '../shared/dom';
import { drawCharts } from '../shared/drawCharts';
import { persistedStore } from '../shared/pageStore';
import { announceRendered, onWidthChange } from '../shared/rendered';
import { controls, pageSkeleton } from '../shared/sections';
import { followTheme, readTheme } from '../shared/theme';
import { hostApi } from '../shared/vscodeApi';
import { compareHeader } from './header';
import * as change from './state';
import { nodeComparisonTable, runsTable } from './tables';

const startedAt = performance.now();
const api = hostApi<CompareToHost, CompareUiState>(isCompareUiState);
const store = persistedStore(api, (saved) => change.initialState(saved, readTheme()));

const reveal = (nodeId: string): void => api.post({ type: 'revealNode', nodeId });
const board = new ChartBoard(reveal, (chartId, hit) => {
  // A point of the wall-time line is a run: open its dashboard.
  if (chartId !== 'trend' || hit.componentType !== 'series' || hit.seriesIndex !== 0) return;
  const run = store.get().snapshot?.runs[hit.dataIndex ?? -1];
  if (run) api.post({ type: 'openDashboard', runId: run.id });
});
const header = compareHeader(reveal);
const nodes = nodeComparisonTable(reveal);
const runs = runsTable();
const metricSelect = h('select', { class: 'wp-select', 'aria-label': 'Metric' });
for (const m of COMPARE_METRICS)
  metricSelect.append(h('option', { value: m, text: METRIC_LABELS[m] }));

const skeleton = pageSkeleton(header.root, 'Waiting for the comparison…', [
  {
    id: 'deltas',
    heading: 'Per-node change',
    about:
      'Candidate against the baseline for one metric; red is a regression, green an improvement, grey within noise.',
    body: [
      controls(h('label', {}, 'Metric ', metricSelect)),
      board.mount('deltas', 'Relative change per node'),
    ],
  },
  {
    id: 'sideBySide',
    heading: 'Runs side by side',
    about: 'Each node’s duration in each of the last runs, oldest first; the candidate in colour.',
    body: [board.mount('sideBySide', 'Durations per node and run')],
  },
  {
    id: 'trend',
    heading: 'Trend',
    about:
      'Wall time of each run and the durations of the longest nodes; click a wall-time point to open that run.',
    body: [board.mount('trend', 'Trend of the last runs'), runs.root],
  },
  {
    id: 'table',
    heading: 'Every node',
    about: 'Baseline mean (± spread on hover), candidate and change for each metric.',
    body: [nodes.root],
  },
]);

metricSelect.addEventListener('change', () => {
  const { snapshot, theme, ui } = store.update(change.setMetric(metricSelect.value));
  if (snapshot) {
    const metric = change.metricOf(ui);
    void board.show(compareDeltaChart(snapshot, theme, { width: board.width('deltas'), metric }));
  }
});

async function renderAll(t0: number, announce: boolean): Promise<void> {
  const { snapshot: s, theme, ui } = store.get();
  if (!s) return;
  const metric = change.metricOf(ui);
  skeleton.showContent();
  metricSelect.value = metric;
  header.render(s);
  const charts = await drawCharts(board, [
    () => compareDeltaChart(s, theme, { width: board.width('deltas'), metric }),
    () => compareRunsChart(s, theme, { width: board.width('sideBySide') }),
    () => compareTrendChart(s, theme, { width: board.width('trend') }),
  ]);
  nodes.render(rankedNodes(s, metric), null);
  runs.render(
    s.runs.map((r, index) => ({ ...r, index })),
    null,
  );
  if (!announce) return;
  const ms = performance.now() - t0;
  announceRendered({ ms, charts }, board.instances());
  api.post({ type: 'rendered', ms, charts });
}

function show(s: CompareSnapshot, t0: number): void {
  store.update(change.showSnapshot(s));
  void renderAll(t0, true);
}

const redraw = (): void => void renderAll(performance.now(), false);
followTheme((theme) => {
  store.update(change.setTheme(theme));
  redraw();
});
onWidthChange(skeleton.app, redraw);

boot({
  api,
  startedAt,
  isHostMessage: isHostToCompare,
  onHostMessage: (m) => show(m.snapshot, performance.now()),
  isSnapshot: isCompareSnapshot,
  showSnapshot: show,
  noData: () =>
    skeleton.showNoData('No comparison data: this page expects a snapshot from VS Code.'),
});
