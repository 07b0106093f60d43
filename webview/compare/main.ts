/**
 * The compare webview: a baseline and a candidate (each a series or runs) compared per node with
 * the same statistics as the `compare` command. The host sends the whole result; this page draws
 * the per-node changes with their intervals and verdicts, the runs side by side, the trend, and a
 * table of every node, and asks the host for other sides when a chooser changes.
 */
import '../shared/base.css';
import './compare.css';
import type { CompareSnapshot, CompareToHost, CompareUiState } from '../../src/protocol/compare';
import {
  isCompareMetric,
  isCompareSnapshot,
  isCompareUiState,
  isHostToCompare,
} from '../../src/protocol/compareValidate';
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
import { compareChoosers } from './choosers';
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
const choosers = compareChoosers(
  (baseline, candidate) => api.post({ type: 'choose', baseline, candidate }),
  () => api.post({ type: 'openReport' }),
);
const header = compareHeader(reveal, choosers.root);
const nodes = nodeComparisonTable(reveal);
const runs = runsTable();
const metricSelect = h('select', { class: 'wp-select', 'aria-label': 'Metric' });

const skeleton = pageSkeleton(header.root, 'Waiting for the comparison…', [
  {
    id: 'deltas',
    heading: 'Per-node change',
    about:
      'Change of the median per node with its confidence interval; red regressed, green improved, grey unchanged, hollow too few runs to decide.',
    body: [
      controls(h('label', {}, 'Metric ', metricSelect)),
      board.mount('deltas', 'Relative change per node with confidence intervals'),
    ],
  },
  {
    id: 'sideBySide',
    heading: 'Runs side by side',
    about: 'Each node’s duration in the last runs of each side; the candidate’s in blue.',
    body: [board.mount('sideBySide', 'Durations per node and run')],
  },
  {
    id: 'trend',
    heading: 'Trend',
    about:
      'Wall time of each compared run and the durations of the longest nodes; click a wall-time point to open that run.',
    body: [board.mount('trend', 'Trend of the compared runs'), runs.root],
  },
  {
    id: 'table',
    heading: 'Every node',
    about: 'The change of the median, its interval and the verdict, for every compared metric.',
    body: [nodes.root],
  },
]);

metricSelect.addEventListener('change', () => {
  if (!isCompareMetric(metricSelect.value)) return;
  const st = store.update(change.setMetric(metricSelect.value));
  const s = st.snapshot;
  if (!s) return;
  const metric = change.metricOf(st);
  void board.show(compareDeltaChart(s, st.theme, { width: board.width('deltas'), metric }));
  nodes.render(s, rankedNodes(s, metric));
});

function fillMetrics(s: CompareSnapshot, metric: string): void {
  metricSelect.replaceChildren(
    ...s.stats.metrics.map((m) => h('option', { value: m, text: METRIC_LABELS[m] })),
  );
  metricSelect.value = metric;
}

async function renderAll(t0: number, announce: boolean): Promise<void> {
  const st = store.get();
  const { snapshot: s, theme } = st;
  if (!s) return;
  const metric = change.metricOf(st);
  skeleton.showContent();
  fillMetrics(s, metric);
  choosers.render(s);
  header.render(s, st.error);
  const charts = await drawCharts(board, [
    () => compareDeltaChart(s, theme, { width: board.width('deltas'), metric }),
    () => compareRunsChart(s, theme, { width: board.width('sideBySide') }),
    () => compareTrendChart(s, theme, { width: board.width('trend') }),
  ]);
  nodes.render(s, rankedNodes(s, metric));
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

function showError(message: string): void {
  const st = store.update(change.showError(message));
  // The choosers go back to the sides still shown.
  if (st.snapshot) {
    choosers.render(st.snapshot);
    header.render(st.snapshot, st.error);
  } else skeleton.showNoData(message);
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
  onHostMessage: (m) =>
    m.type === 'snapshot' ? show(m.snapshot, performance.now()) : showError(m.message),
  isSnapshot: isCompareSnapshot,
  showSnapshot: show,
  noData: () =>
    skeleton.showNoData('No comparison data: this page expects a snapshot from VS Code.'),
});
