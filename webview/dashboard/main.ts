/**
 * The dashboard webview: one run's performance panels. Receives a snapshot (from the host after
 * `ready`, or embedded in standalone HTML), then live updates; draws every chart from the pure
 * builders in src/report/charts; persists only UI state.
 */
import '../shared/base.css';
import './dashboard.css';
import type {
  DashboardSnapshot,
  DashboardToHost,
  DashboardUiState,
} from '../../src/protocol/dashboard';
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import {
  buildDashboardModel,
  type DashboardModel,
  type SortKey,
} from '../../src/report/charts/dashboardModel';
import { applyUpdate } from '../../src/report/charts/liveUpdate';
import { timelineChart } from '../../src/report/charts/timeline';
import { resourceChart, SORT_LABELS } from '../../src/report/charts/resources';
import { radarChart, radarGroups, type RadarGrouping } from '../../src/report/charts/radar';
import { ioChart } from '../../src/report/charts/io';
import { heatmapChart } from '../../src/report/charts/heatmap';
import { overTimeChart } from '../../src/report/charts/overTime';
import {
  customMetricRows,
  customTrendChart,
  formatChange,
  type CustomMetricRow,
} from '../../src/report/charts/customMetrics';
import { headlineFigures, statusLine } from '../../src/report/charts/summary';
import { sortRows } from '../../src/report/charts/dashboardModel';
import { formatNumber } from '../../src/report/format';
import { palette, type ChartTheme } from '../../src/report/charts/theme';
import { ChartBoard } from '../shared/chartBoard';
import { clear, h, replace } from '../shared/dom';
import { announceRendered, onWidthChange } from '../shared/rendered';
import { readTheme, watchTheme } from '../shared/theme';
import { embeddedSnapshot, hostApi, onHostMessage } from '../shared/vscodeApi';
import { DataTable } from '../shared/table';
import {
  isDashboardSnapshot as isSnapshot,
  isDashboardUiState as isUiState,
  isHostToDashboard as isHostMessage,
} from '../../src/protocol/dashboardValidate';
import { nodeTable } from './nodeTable';

const startedAt = performance.now();
const api = hostApi<DashboardToHost, DashboardUiState>(isUiState);
let ui: DashboardUiState = api.getState() ?? { runId: '' };
let theme: ChartTheme = readTheme();
let snapshot: DashboardSnapshot | null = null;
let model: DashboardModel | null = null;
let focused: string | null = null;
let timelineRows: [number, number] | null = null;
/** Time from the page's script start (or the message) to a parsed snapshot, for the phases. */
let parseMs = 0;

const board = new ChartBoard((nodeId) => reveal(nodeId));

// ---- Page skeleton: built once, filled on every render.

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const title = h('h1', { class: 'wp-h1', text: 'Workflow dashboard' });
const badge = h('span', { class: 'wp-badge' });
const meta = h('p', { class: 'wp-meta' });
const status = h('p', { class: 'wp-status', role: 'status', 'aria-live': 'polite' });
const figures = h('dl', { class: 'wp-figures' });
const actions = h('div', { class: 'wp-actions' });
if (api.inVsCode) {
  const report = h('button', { class: 'wp-button', type: 'button', text: 'Open report' });
  report.addEventListener('click', () => api.post({ type: 'openReport' }));
  actions.append(report);
}
const waiting = h('p', { class: 'wp-waiting', text: 'Waiting for the run…' });

const sortSelect = h('select', { class: 'wp-select', 'aria-label': 'Sort nodes by' });
for (const k of [
  'durationMs',
  'cpuPercent',
  'peakRssBytes',
  'memoryDeltaBytes',
  'cpuTimeMs',
  'waitMs',
  'nodeId',
  'order',
] as const) {
  sortSelect.append(h('option', { value: k, text: SORT_LABELS[k] }));
}
const sortDir = h('button', { class: 'wp-button wp-secondary wp-icon', type: 'button' });
const radarSelect = h(
  'select',
  { class: 'wp-select', 'aria-label': 'Group nodes by' },
  h('option', { value: 'type', text: 'node type' }),
  h('option', { value: 'tag', text: 'tag' }),
);

const nodes = nodeTable(
  (key) =>
    setSort(
      key,
      ui.sortBy === key
        ? !(ui.sortDescending ?? true)
        : key !== 'nodeId' && key !== 'type' && key !== 'status' && key !== 'order',
    ),
  (id) => reveal(id),
);
const customTable = new DataTable<CustomMetricRow>({
  columns: [
    { key: 'nodeId', label: 'Node', text: (r) => r.nodeId },
    { key: 'metric', label: 'Metric', text: (r) => r.metric },
    {
      key: 'value',
      label: 'This run',
      numeric: true,
      text: (r) => formatNumber(r.value),
      exact: (r) => String(r.value),
    },
    {
      key: 'previous',
      label: 'Previous run',
      numeric: true,
      text: (r) => formatNumber(r.previous),
      exact: (r) => (r.previous === null ? 'n/a: no earlier run recorded it' : String(r.previous)),
      cellClass: (r) => (r.previous === null ? 'na' : null),
    },
    {
      key: 'change',
      label: 'Change',
      numeric: true,
      text: formatChange,
      cellClass: (r) => (r.change === null ? 'na' : null),
    },
    {
      key: 'runs',
      label: 'Runs',
      title: 'Runs of this workflow that recorded it',
      numeric: true,
      text: (r) => String(r.runs),
    },
  ],
  cap: 60,
  caption: "The nodes' custom metrics (_metrics) in this run and the previous one.",
  nodeOf: (r) => r.nodeId,
  onNode: (id) => reveal(id),
});
const radarTable = h('div', { class: 'wp-table-wrap wp-radar-table' });
const customEmpty = h('p', {
  class: 'wp-notes',
  text: 'No node reported custom metrics (a `_metrics` object in its output).',
});

function section(
  id: string,
  heading: string,
  about: string,
  ...body: (Node | null)[]
): HTMLElement {
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

function controls(...items: (Node | string)[]): HTMLElement {
  return h('div', { class: 'wp-controls' }, ...items);
}

const content = h(
  'main',
  { class: 'wp-main wp-hidden' },
  section(
    'timeline',
    'Execution timeline',
    'One row per node in execution order: each attempt a bar coloured by status, the time it queued for a slot a thin line before it, the critical path outlined in purple and linked. A bar’s label and bottom gauge give its CPU (full width = one core).',
    board.mount('timeline', 'Execution timeline: one row per node'),
  ),
  section(
    'resources',
    'Resource usage',
    'Duration, CPU (% of one core), peak resident memory and memory change per node, each on its own scale.',
    controls(h('label', {}, 'Sort by ', sortSelect), sortDir),
    board.mount('resources', 'Resource usage per node'),
    nodes.root,
  ),
  section(
    'radar',
    'Performance by group',
    'Mean duration, queueing, CPU, memory and I/O per node of each group; each axis scaled to its largest group, the raw means beside it.',
    controls(h('label', {}, 'Group by ', radarSelect)),
    h(
      'div',
      { class: 'wp-split' },
      board.mount('radar', 'Radar chart of metrics by node group'),
      radarTable,
    ),
  ),
  section(
    'io',
    'I/O',
    'Bytes at the storage layer and read/write system calls per node: reads to the left, writes to the right.',
    board.mount('io', 'I/O per node, read against write'),
  ),
  section(
    'heatmap',
    'Heatmap',
    'Nodes × metrics; the colour is a node’s place on that metric’s own scale, the exact value on hover.',
    board.mount('heatmap', 'Heatmap of nodes by metric'),
  ),
  section(
    'overTime',
    'Resources over time',
    'CPU and resident memory from the samples, for the busiest nodes and for all nodes together.',
    board.mount('overTime', 'CPU and memory over time'),
  ),
  section(
    'custom',
    'Custom metrics',
    'The `_metrics` each node reported, against the previous run of this workflow, and their trend over the recent runs.',
    customEmpty,
    customTable.root,
    board.mount('customTrend', 'Trends of custom metrics across runs'),
  ),
);

app.append(
  h(
    'header',
    { class: 'wp-header' },
    h('div', { class: 'wp-title-row' }, title, badge, actions),
    meta,
    status,
    figures,
  ),
  waiting,
  content,
);

// ---- Controls.

sortSelect.addEventListener('change', () =>
  setSort(sortSelect.value as SortKey, ui.sortDescending ?? true),
);
sortDir.addEventListener('click', () =>
  setSort((ui.sortBy as SortKey | undefined) ?? 'durationMs', !(ui.sortDescending ?? true)),
);
radarSelect.addEventListener('change', () => {
  ui = { ...ui, radarBy: radarSelect.value === 'tag' ? 'tag' : 'type' };
  api.setState(ui);
  if (!model) return;
  void board.show(radarChart(model, theme, { width: board.width('radar'), groupBy: radarBy() }));
  renderRadarTable(model);
});

function setSort(key: SortKey, descending: boolean): void {
  ui = { ...ui, sortBy: key, sortDescending: descending };
  api.setState(ui);
  if (!model) return;
  syncControls();
  void board.show(
    resourceChart(model, theme, { width: board.width('resources'), sortBy: key, descending }),
  );
  nodes.render(sortRows(model.rows, key, descending), { key, descending });
}

function sortKey(): SortKey {
  const k = ui.sortBy;
  return k !== undefined && k in SORT_LABELS ? (k as SortKey) : 'durationMs';
}

function radarBy(): RadarGrouping {
  return ui.radarBy === 'tag' ? 'tag' : 'type';
}

function syncControls(): void {
  sortSelect.value = sortKey();
  if (sortSelect.value !== sortKey()) sortSelect.value = 'durationMs';
  const desc = ui.sortDescending ?? true;
  sortDir.textContent = desc ? '↓' : '↑';
  sortDir.title = desc
    ? 'Largest first (click for smallest first)'
    : 'Smallest first (click for largest first)';
  sortDir.setAttribute('aria-label', sortDir.title);
  radarSelect.value = radarBy();
}

function reveal(nodeId: string): void {
  api.post({ type: 'revealNode', nodeId });
  if (focused !== nodeId && model) {
    focused = nodeId;
    void drawTimeline();
  }
}

// ---- Drawing.

function renderHeader(m: DashboardModel): void {
  const run = m.run;
  title.textContent = run.workflow.name;
  const st = m.live ? 'running' : run.status;
  badge.textContent = st;
  badge.className = `wp-badge status-${st}`;
  meta.textContent = `run ${run.id} · started ${run.startedAt} · ${run.runtime}${run.runtime === 'parallel' ? ` × ${run.maxParallel}` : ''} · sampled every ${run.collector.intervalMs} ms (${run.collector.mode})`;
  status.textContent = statusLine(m);
  status.classList.toggle('wp-live', m.live);
  clear(figures);
  for (const f of headlineFigures(m)) {
    figures.append(
      h(
        'div',
        { class: 'wp-figure', title: f.detail },
        h('dt', { text: f.label }),
        h('dd', { text: f.value }),
      ),
    );
  }
}

/** The radar's raw numbers: one column per group, one row per axis. */
function renderRadarTable(m: DashboardModel): void {
  const { axes, groups } = radarGroups(m, radarBy());
  const colors = palette(theme);
  clear(radarTable);
  if (groups.length === 0) return;
  const head = h('tr', {}, h('th', { scope: 'col', text: `Mean per node` }));
  groups.forEach((g, i) => {
    const swatch = h('span', { class: 'wp-swatch' });
    swatch.style.background = colors[i % colors.length] ?? theme.foreground;
    head.append(
      h(
        'th',
        { scope: 'col', class: 'num', title: `${g.nodes} node${g.nodes === 1 ? '' : 's'}` },
        swatch,
        ` ${g.name}`,
      ),
    );
  });
  const body = h('tbody');
  body.append(
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: 'nodes' }),
      ...groups.map((g) => h('td', { class: 'num', text: String(g.nodes) })),
    ),
  );
  axes.forEach((a, j) => {
    body.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: a.name }),
        ...groups.map((g) => {
          const v = g.means[j] ?? null;
          return h('td', {
            class: v === null ? 'num na' : 'num',
            text: v === null ? 'n/a' : a.format(v),
          });
        }),
      ),
    );
  });
  radarTable.append(
    h(
      'table',
      { class: 'wp-table' },
      h('caption', { class: 'wp-sr-only', text: 'Mean of each metric per node, by group' }),
      h('thead', {}, head),
      body,
    ),
  );
}

function timelineSpec(m: DashboardModel, width = board.width('timeline')): ChartSpec {
  return timelineChart(m, theme, {
    width,
    zoom: ui.zoom ?? null,
    focusNodeId: focused,
    rowWindow: timelineRows,
  });
}

function drawTimeline(): Promise<boolean> {
  if (!model) return Promise.resolve(false);
  rememberRowWindow();
  return board.show(timelineSpec(model));
}

/** The rows the user scrolled to, so a live redraw does not jump back to the top. */
function rememberRowWindow(): void {
  const chart = board.chart('timeline');
  if (!chart) return;
  const zooms =
    (
      chart.getOption() as {
        dataZoom?: { yAxisIndex?: unknown; startValue?: number; endValue?: number }[];
      }
    ).dataZoom ?? [];
  const y = zooms.find((z) => z.yAxisIndex !== undefined && typeof z.startValue === 'number');
  timelineRows =
    y && typeof y.startValue === 'number' && typeof y.endValue === 'number'
      ? [y.startValue, y.endValue]
      : null;
}

async function renderAll(t0: number, announce: boolean): Promise<void> {
  if (!snapshot) return;
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - mark);
    mark = now;
  };
  model = buildDashboardModel(snapshot, Date.now());
  const m = model;
  lap('model');
  waiting.classList.add('wp-hidden');
  content.classList.remove('wp-hidden');
  syncControls();
  renderHeader(m);
  const key = sortKey();
  const desc = ui.sortDescending ?? true;
  const customRows = customMetricRows(m);
  customEmpty.classList.toggle('wp-hidden', customRows.length > 0);
  customTable.root.classList.toggle('wp-hidden', customRows.length === 0);
  rememberRowWindow();
  lap('header');
  // Widths read once, before any chart changes the page (reading between writes forces layout).
  const w = Object.fromEntries(
    ['timeline', 'resources', 'radar', 'io', 'heatmap', 'overTime', 'customTrend'].map((id) => [
      id,
      board.width(id),
    ]),
  ) as Record<string, number>;
  const width = (id: string): number => w[id] ?? board.width(id);
  const builders: (() => ChartSpec)[] = [
    () => timelineSpec(m, width('timeline')),
    () => resourceChart(m, theme, { width: width('resources'), sortBy: key, descending: desc }),
    () => radarChart(m, theme, { width: width('radar'), groupBy: radarBy() }),
    () => ioChart(m, theme, { width: width('io') }),
    () => heatmapChart(m, theme, { width: width('heatmap') }),
    () => overTimeChart(m, theme, { width: width('overTime') }),
    () => customTrendChart(m, theme, { width: width('customTrend') }),
  ];
  const specs: ChartSpec[] = [];
  const draws: Promise<boolean>[] = [];
  for (const build of builders) {
    const spec = build();
    lap(`build:${spec.id}`);
    specs.push(spec);
    draws.push(board.show(spec));
    lap(`draw:${spec.id}`);
  }
  nodes.render(sortRows(m.rows, key, desc), { key, descending: desc });
  customTable.render(customRows, null);
  renderRadarTable(m);
  lap('tables');
  const drawn = await Promise.all(draws);
  lap('paint');
  if (!announce) return;
  const charts = specs.filter((_, i) => drawn[i]).map((s) => s.id);
  const ms = performance.now() - t0;
  announceRendered(
    { ms, charts, runId: m.run.id, phases: { parse: parseMs, ...phases } },
    board.instances(),
  );
  api.post({ type: 'rendered', runId: m.run.id, ms, charts });
}

// ---- Live: updates are folded in and redrawn at most a few times a second; between updates
// the running bars and the status line follow the clock.

let redrawTimer: ReturnType<typeof setTimeout> | null = null;
/** How long the last full redraw took: a big run is redrawn less often, so the panel stays responsive. */
let lastRedrawMs = 0;
function scheduleRedraw(): void {
  if (redrawTimer) return;
  redrawTimer = setTimeout(
    () => {
      redrawTimer = null;
      const t0 = performance.now();
      void renderAll(t0, false).then(() => {
        lastRedrawMs = performance.now() - t0;
      });
    },
    Math.max(250, 3 * lastRedrawMs),
  );
}

let lastTickMs = 0;
let tickAt = 0;
setInterval(() => {
  if (!model || !model.live || document.hidden || !snapshot) return;
  // Ticks cost what a timeline draw costs: on a big run they come less often.
  if (performance.now() < tickAt) return;
  const started = Date.parse(model.run.startedAt);
  const now = Number.isFinite(started) ? Math.max(model.nowMs, Date.now() - started) : model.nowMs;
  model = { ...model, nowMs: now, spanMs: Math.max(model.spanMs, now) };
  renderHeader(model);
  const t0 = performance.now();
  void drawTimeline().then(() => {
    lastTickMs = performance.now() - t0;
    tickAt = performance.now() + 4 * lastTickMs;
  });
}, 500);

function show(s: DashboardSnapshot, t0: number): void {
  snapshot = s;
  parseMs = performance.now() - t0;
  if (ui.runId !== s.run.id) {
    // Another run in this panel: its zoom and focus do not apply.
    const { sortBy, sortDescending, radarBy: group } = ui;
    ui = { runId: s.run.id };
    if (sortBy !== undefined) ui.sortBy = sortBy;
    if (sortDescending !== undefined) ui.sortDescending = sortDescending;
    if (group !== undefined) ui.radarBy = group;
    focused = null;
    timelineRows = null;
  }
  api.setState(ui);
  void renderAll(t0, true);
}

onHostMessage(isHostMessage, (m) => {
  const t0 = performance.now();
  switch (m.type) {
    case 'snapshot':
      show(m.snapshot, t0);
      break;
    case 'update':
      if (!snapshot) return;
      snapshot = applyUpdate(snapshot, m.update);
      scheduleRedraw();
      break;
    case 'focusNode':
      focused = m.nodeId;
      timelineRows = null;
      document.getElementById('sec-timeline')?.scrollIntoView({ block: 'start' });
      void drawTimeline();
      break;
  }
});

// ---- Theme, width and zoom.

watchTheme(() => {
  theme = readTheme();
  void renderAll(performance.now(), false);
});
onWidthChange(app, () => void renderAll(performance.now(), false));

// The timeline's zoom window is UI state: remembered across reloads.
let zoomSave: ReturnType<typeof setTimeout> | null = null;
board.on('timeline', 'datazoom', () => {
  if (zoomSave) clearTimeout(zoomSave);
  zoomSave = setTimeout(() => {
    const chart = board.chart('timeline');
    if (!chart) return;
    const zooms =
      (chart.getOption() as { dataZoom?: { xAxisIndex?: unknown; start?: number; end?: number }[] })
        .dataZoom ?? [];
    const x = zooms.find((z) => z.xAxisIndex !== undefined && typeof z.start === 'number');
    if (x && typeof x.start === 'number' && typeof x.end === 'number') {
      ui = { ...ui, zoom: [x.start, x.end] };
      api.setState(ui);
    }
    rememberRowWindow();
  }, 200);
});

// ---- Start: a standalone page carries its snapshot; in VS Code the host answers `ready`.

const embedded = embeddedSnapshot();
if (isSnapshot(embedded)) show(embedded, startedAt);
else if (api.inVsCode) api.post({ type: 'ready' });
else
  replace(
    waiting,
    'No run data: this page expects a snapshot from VS Code or embedded by `workflow-profiler dashboard`.',
  );
