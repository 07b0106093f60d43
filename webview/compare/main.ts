/**
 * The compare webview: two or more runs of one workflow side by side. The host sends the whole
 * comparison (src/report/compare.ts: baseline mean and spread, candidate, verdicts); this page
 * draws the per-node changes, the runs side by side, the trend, and a table of every node.
 */
import '../shared/base.css';
import './compare.css';
import type { CompareSnapshot, CompareToHost, CompareUiState } from '../../src/protocol/compare';
import { COMPARE_METRICS, type CompareMetric, type NodeComparison } from '../../src/model/comparison';
import {
  compareDeltaChart,
  deltaOf,
  formatMetric,
  METRIC_LABELS,
  rankedNodes,
} from '../../src/report/charts/compareDeltas';
import { compareRunsChart } from '../../src/report/charts/compareRuns';
import { compareTrendChart, runLabel } from '../../src/report/charts/compareTrend';
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import type { ChartTheme } from '../../src/report/charts/theme';
import { formatMs, formatRatio } from '../../src/report/format';
import { ChartBoard } from '../shared/chartBoard';
import { clear, h, replace } from '../shared/dom';
import { announceRendered, onWidthChange } from '../shared/rendered';
import { DataTable, type Column } from '../shared/table';
import { readTheme, watchTheme } from '../shared/theme';
import { embeddedSnapshot, hostApi, onHostMessage } from '../shared/vscodeApi';
import {
  isCompareSnapshot,
  isCompareUiState as isUiState,
  isHostToCompare as isHostMessage,
} from '../../src/protocol/compareValidate';

const startedAt = performance.now();
const api = hostApi<CompareToHost, CompareUiState>(isUiState);
let ui: CompareUiState = api.getState() ?? { runIds: [] };
let theme: ChartTheme = readTheme();
let snapshot: CompareSnapshot | null = null;

const reveal = (nodeId: string): void => api.post({ type: 'revealNode', nodeId });
const board = new ChartBoard(reveal, (chartId, hit) => {
  // A point of the wall-time line is a run: open its dashboard.
  if (chartId !== 'trend' || hit.componentType !== 'series' || hit.seriesIndex !== 0) return;
  const run = snapshot?.runs[hit.dataIndex ?? -1];
  if (run) api.post({ type: 'openDashboard', runId: run.id });
});

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const title = h('h1', { class: 'wp-h1', text: 'Compare runs' });
const meta = h('p', { class: 'wp-meta' });
const verdict = h('p', { class: 'wp-status', role: 'status' });
const figures = h('dl', { class: 'wp-figures' });
const flags = h('div');
const waiting = h('p', { class: 'wp-waiting', text: 'Waiting for the comparison…' });
const metricSelect = h('select', { class: 'wp-select', 'aria-label': 'Metric' });
for (const m of COMPARE_METRICS)
  metricSelect.append(h('option', { value: m, text: METRIC_LABELS[m] }));

function metric(): CompareMetric {
  return COMPARE_METRICS.find((m) => m === ui.metric) ?? 'durationMs';
}

const changeText = (n: NodeComparison, m: CompareMetric): string => {
  const d = deltaOf(n, m);
  if (!d || d.delta === null) return 'n/a';
  return `${formatMetric(m, d.delta, true)}${d.ratio !== null ? ` (${d.ratio > 0 ? '+' : ''}${formatRatio(d.ratio)})` : ''}`;
};
const columns: Column<NodeComparison>[] = [
  { key: 'nodeId', label: 'Node', text: (n) => n.nodeId },
  { key: 'type', label: 'Type', text: (n) => n.type },
  {
    key: 'status',
    label: 'Status',
    text: (n) => `${n.status.baseline ?? 'absent'} → ${n.status.candidate ?? 'absent'}`,
  },
  ...COMPARE_METRICS.flatMap((m): Column<NodeComparison>[] => [
    {
      key: `${m}:baseline`,
      label: `${METRIC_LABELS[m]}: baseline`,
      numeric: true,
      text: (n) => formatMetric(m, deltaOf(n, m)?.baseline ?? null),
      exact: (n) => {
        const d = deltaOf(n, m);
        return d?.spread !== null && d?.spread !== undefined
          ? `± ${formatMetric(m, d.spread)} (1σ over the baseline runs)`
          : 'one baseline run: no spread';
      },
      cellClass: (n) => (deltaOf(n, m)?.baseline === null ? 'na' : null),
    },
    {
      key: `${m}:candidate`,
      label: 'candidate',
      numeric: true,
      text: (n) => formatMetric(m, deltaOf(n, m)?.candidate ?? null),
      cellClass: (n) => (deltaOf(n, m)?.candidate === null ? 'na' : null),
    },
    {
      key: `${m}:change`,
      label: 'change',
      numeric: true,
      text: (n) => changeText(n, m),
      exact: (n) => {
        const v = deltaOf(n, m)?.verdict ?? 'n/a';
        return v === 'same' ? 'within noise' : v;
      },
      cellClass: (n) => {
        const v = deltaOf(n, m)?.verdict;
        return v === 'regression' || v === 'improvement' ? v : v === 'n/a' ? 'na' : null;
      },
    },
  ]),
];
const table = new DataTable<NodeComparison>({
  columns,
  cap: 100,
  caption: 'Every node: baseline mean, candidate and change for each metric.',
  nodeOf: (n) => n.nodeId,
  onNode: reveal,
});
const runsTable = new DataTable<CompareSnapshot['runs'][number] & { index: number }>({
  columns: [
    { key: 'index', label: 'Run', text: (r) => runLabel(r.startedAt, r.index) },
    { key: 'id', label: 'Id', text: (r) => r.id },
    {
      key: 'status',
      label: 'Status',
      text: (r) => r.status,
      cellClass: (r) => `status status-${r.status}`,
    },
    {
      key: 'wall',
      label: 'Wall time',
      numeric: true,
      text: (r) => formatMs(r.wallMs),
      cellClass: (r) => (r.wallMs === null ? 'na' : null),
    },
  ],
  cap: 50,
  caption: 'The compared runs, oldest first; the last is the candidate.',
});

function section(id: string, heading: string, about: string, ...body: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'wp-card', id: `sec-${id}`, 'aria-labelledby': `h-${id}` },
    h(
      'div',
      { class: 'wp-card-head' },
      h('h2', { id: `h-${id}`, text: heading }),
      h('p', { class: 'wp-about', text: about }),
    ),
    ...body,
  );
}

const content = h(
  'main',
  { class: 'wp-main wp-hidden' },
  section(
    'deltas',
    'Per-node change',
    'Candidate against the baseline for one metric; red is a regression, green an improvement, grey within noise.',
    h('div', { class: 'wp-controls' }, h('label', {}, 'Metric ', metricSelect)),
    board.mount('deltas', 'Relative change per node'),
  ),
  section(
    'sideBySide',
    'Runs side by side',
    'Each node’s duration in each of the last runs, oldest first; the candidate in colour.',
    board.mount('sideBySide', 'Durations per node and run'),
  ),
  section(
    'trend',
    'Trend',
    'Wall time of each run and the durations of the longest nodes; click a wall-time point to open that run.',
    board.mount('trend', 'Trend of the last runs'),
    runsTable.root,
  ),
  section(
    'table',
    'Every node',
    'Baseline mean (± spread on hover), candidate and change for each metric.',
    table.root,
  ),
);
app.append(
  h('header', { class: 'wp-header' }, title, meta, verdict, figures, flags),
  waiting,
  content,
);

metricSelect.addEventListener('change', () => {
  ui = { ...ui, metric: metricSelect.value };
  api.setState(ui);
  if (snapshot)
    void board.show(
      compareDeltaChart(snapshot, theme, { width: board.width('deltas'), metric: metric() }),
    );
});

function renderHeader(s: CompareSnapshot): void {
  const c = s.comparison;
  title.textContent = `${s.workflowName}: ${s.runs.length} runs compared`;
  meta.textContent = `candidate ${c.candidateId} against ${c.baselineIds.length === 1 ? `run ${c.baselineIds[0] ?? ''}` : `the mean of ${c.baselineIds.length} runs`}`;
  const w = c.wall;
  verdict.textContent =
    w.verdict === 'n/a'
      ? 'Wall time: n/a'
      : `Wall time ${formatMs(w.baseline)} → ${formatMs(w.candidate)} (${changeOf(w.delta, w.ratio)}): ${w.verdict === 'same' ? 'within noise' : w.verdict}`;
  verdict.className = `wp-status status-${w.verdict}`;
  clear(figures);
  const fig = (label: string, value: string, detail: string): HTMLElement =>
    h(
      'div',
      { class: 'wp-figure', title: detail },
      h('dt', { text: label }),
      h('dd', { text: value }),
    );
  figures.append(
    fig('Candidate wall time', formatMs(w.candidate), `${w.candidate ?? 'n/a'} ms`),
    fig(
      'Baseline wall time',
      formatMs(w.baseline),
      w.spread !== null
        ? `mean ± ${formatMs(w.spread)} (1σ) over ${c.baselineIds.length} runs`
        : 'one baseline run',
    ),
    fig(
      'Regressions',
      String(c.regressions.length),
      'node metrics beyond the noise and at least 10% worse',
    ),
    fig(
      'Improvements',
      String(c.improvements.length),
      'node metrics beyond the noise and at least 10% better',
    ),
  );
  clear(flags);
  const list = h('ul', { class: 'wp-flags', 'aria-label': 'Flagged changes' });
  for (const [kind, items] of [
    ['regression', c.regressions],
    ['improvement', c.improvements],
  ] as const) {
    for (const f of items.slice(0, 24)) {
      const b = h('button', {
        class: 'wp-link',
        type: 'button',
        text: f.nodeId,
        title: `Reveal ${f.nodeId} in the workflow file`,
      });
      b.addEventListener('click', () => reveal(f.nodeId));
      list.append(
        h(
          'li',
          { class: `wp-flag status-${kind}` },
          kind === 'regression' ? '▲ ' : '▼ ',
          b,
          ` ${METRIC_LABELS[f.metric]} ${f.ratio !== null ? `${f.ratio > 0 ? '+' : ''}${formatRatio(f.ratio)}` : ''}`,
        ),
      );
    }
  }
  if (list.childElementCount > 0) flags.append(list);
}

function changeOf(delta: number | null, ratio: number | null): string {
  if (delta === null) return 'n/a';
  return `${delta > 0 ? '+' : ''}${formatMs(delta)}${ratio !== null ? `, ${ratio > 0 ? '+' : ''}${formatRatio(ratio)}` : ''}`;
}

async function renderAll(t0: number, announce: boolean): Promise<void> {
  const s = snapshot;
  if (!s) return;
  waiting.classList.add('wp-hidden');
  content.classList.remove('wp-hidden');
  metricSelect.value = metric();
  renderHeader(s);
  const specs: ChartSpec[] = [
    compareDeltaChart(s, theme, { width: board.width('deltas'), metric: metric() }),
    compareRunsChart(s, theme, { width: board.width('sideBySide') }),
    compareTrendChart(s, theme, { width: board.width('trend') }),
  ];
  const drawn = await Promise.all(specs.map((sp) => board.show(sp)));
  table.render(rankedNodes(s, metric()), null);
  runsTable.render(
    s.runs.map((r, index) => ({ ...r, index })),
    null,
  );
  if (!announce) return;
  const charts = specs.filter((_, i) => drawn[i]).map((sp) => sp.id);
  const ms = performance.now() - t0;
  announceRendered({ ms, charts }, board.instances());
  api.post({ type: 'rendered', ms, charts });
}

function show(s: CompareSnapshot, t0: number): void {
  snapshot = s;
  ui = { ...ui, runIds: s.runs.map((r) => r.id) };
  api.setState(ui);
  void renderAll(t0, true);
}

onHostMessage(isHostMessage, (m) => show(m.snapshot, performance.now()));
watchTheme(() => {
  theme = readTheme();
  void renderAll(performance.now(), false);
});
onWidthChange(app, () => void renderAll(performance.now(), false));

const embedded = embeddedSnapshot();
if (isCompareSnapshot(embedded)) show(embedded, startedAt);
else if (api.inVsCode) api.post({ type: 'ready' });
else replace(waiting, 'No comparison data: this page expects a snapshot from VS Code.');
