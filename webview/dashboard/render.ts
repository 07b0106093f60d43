/**
 * Drawing the dashboard from its state: everything at once (a snapshot, a theme or width change,
 * a live redraw), or one chart after a control changed it.
 */
import type { DashboardToHost, DashboardUiState } from '../../src/protocol/dashboard';
import { customMetricRows, customTrendChart } from '../../src/report/charts/customMetrics';
import { slurmEfficiency } from '../../src/report/charts/slurmEfficiency';
import { buildDashboardModel, sortRows } from '../../src/report/charts/dashboardModel';
import { heatmapChart } from '../../src/report/charts/heatmap';
import { ioChart } from '../../src/report/charts/io';
import { overTimeChart } from '../../src/report/charts/overTime';
import { radarChart } from '../../src/report/charts/radar';
import { resourceChart } from '../../src/report/charts/resources';
import type { ChartBoard } from '../shared/chartBoard';
import { drawCharts } from '../shared/drawCharts';
import type { PageStore } from '../shared/pageStore';
import { announceRendered } from '../shared/rendered';
import type { HostApi } from '../shared/vscodeApi';
import type { DashboardView } from './layout';
import { renderRadarTable } from './radarTable';
import {
  radarBy,
  setModel,
  setTimelineRows,
  sortDescending,
  sortKey,
  type DashboardState,
} from './state';
import { readRowWindow, timelineSpec } from './timelineView';

export interface DashboardPage {
  store: PageStore<DashboardState, DashboardUiState>;
  board: ChartBoard;
  view: DashboardView;
  api: HostApi<DashboardToHost, DashboardUiState>;
}

const CHART_IDS = [
  'timeline',
  'whatIf',
  'resources',
  'radar',
  'io',
  'heatmap',
  'overTime',
  'customTrend',
];

/** Keeps the rows the user scrolled the timeline to, so a redraw does not jump to the top. */
export function rememberRowWindow(p: DashboardPage): void {
  const chart = p.board.chart('timeline');
  if (chart) p.store.update(setTimelineRows(readRowWindow(chart)));
}

export function drawTimeline(p: DashboardPage): Promise<boolean> {
  const m = p.store.get().model;
  if (!m) return Promise.resolve(false);
  rememberRowWindow(p);
  return p.board.show(timelineSpec(p.store.get(), m, p.board.width('timeline')));
}

/** The predicted schedule and its figures, after the what-if controls changed. */
export function drawWhatIf(p: DashboardPage): void {
  const { model: m, ui, theme } = p.store.get();
  if (m) void p.board.show(p.view.whatIf.spec(m, ui, theme, p.board.width('whatIf')));
}

/** The resource chart and the node table, after the sort changed. */
export function drawSorted(p: DashboardPage): void {
  const { model: m, ui, theme } = p.store.get();
  if (!m) return;
  p.view.controls.sync(ui);
  const key = sortKey(ui);
  const descending = sortDescending(ui);
  void p.board.show(
    resourceChart(m, theme, { width: p.board.width('resources'), sortBy: key, descending }),
  );
  p.view.nodes.render(sortRows(m.rows, key, descending), { key, descending });
}

/** The radar and its table, after the grouping changed. */
export function drawRadar(p: DashboardPage): void {
  const { model: m, ui, theme } = p.store.get();
  if (!m) return;
  const groupBy = radarBy(ui);
  void p.board.show(radarChart(m, theme, { width: p.board.width('radar'), groupBy }));
  renderRadarTable(p.view.radarTable, m, groupBy, theme);
}

/** Rebuilds the model and draws everything; `announce` sends the `rendered` signal after. */
export async function renderAll(p: DashboardPage, t0: number, announce: boolean): Promise<void> {
  const snapshot = p.store.get().snapshot;
  if (!snapshot) return;
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - mark);
    mark = now;
  };
  const m = buildDashboardModel(snapshot, Date.now());
  p.store.update(setModel(m));
  lap('model');
  const { view, board } = p;
  view.skeleton.showContent();
  const { ui, theme } = p.store.get();
  view.controls.sync(ui);
  view.header.render(m);
  const key = sortKey(ui);
  const desc = sortDescending(ui);
  const customRows = customMetricRows(m);
  view.customEmpty.classList.toggle('wp-hidden', customRows.length > 0);
  view.custom.root.classList.toggle('wp-hidden', customRows.length === 0);
  rememberRowWindow(p);
  const s = p.store.get();
  lap('header');
  // Widths read once, before any chart changes the page (reading between writes forces layout).
  const w = new Map(CHART_IDS.map((id) => [id, board.width(id)]));
  const width = (id: string): number => w.get(id) ?? board.width(id);
  const drawn = drawCharts(
    board,
    [
      () => timelineSpec(s, m, width('timeline')),
      () => view.whatIf.spec(m, ui, theme, width('whatIf')),
      () => resourceChart(m, theme, { width: width('resources'), sortBy: key, descending: desc }),
      () => radarChart(m, theme, { width: width('radar'), groupBy: radarBy(ui) }),
      () => ioChart(m, theme, { width: width('io') }),
      () => heatmapChart(m, theme, { width: width('heatmap') }),
      () => overTimeChart(m, theme, { width: width('overTime') }),
      () => customTrendChart(m, theme, { width: width('customTrend') }),
    ],
    lap,
  );
  view.nodes.render(sortRows(m.rows, key, desc), { key, descending: desc });
  view.custom.render(customRows, null);
  const slurmRows = slurmEfficiency(m.run);
  view.slurmEmpty.classList.toggle('wp-hidden', slurmRows.length > 0);
  view.slurm.root.classList.toggle('wp-hidden', slurmRows.length === 0);
  view.slurm.render(slurmRows, null);
  renderRadarTable(view.radarTable, m, radarBy(ui), theme);
  lap('tables');
  const charts = await drawn;
  lap('paint');
  if (!announce) return;
  const ms = performance.now() - t0;
  announceRendered(
    { ms, charts, runId: m.run.id, phases: { parse: s.parseMs, ...phases } },
    board.instances(),
  );
  p.api.post({ type: 'rendered', runId: m.run.id, ms, charts });
}
