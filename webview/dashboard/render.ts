/**
 * Drawing the dashboard from its state: everything (a snapshot, a theme or width change, a live
 * redraw; the charts in view first, the rest lazily), or one chart after a control changed it.
 */
import type { DashboardToHost, DashboardUiState } from '../../src/protocol/dashboard';
import { customMetricRows, customTrendChart } from '../../src/report/charts/customMetrics';
import { slurmEfficiency } from '../../src/report/charts/slurmEfficiency';
import {
  buildDashboardModel,
  sortRows,
  type SortKey,
} from '../../src/report/charts/dashboardModel';
import { heatmapChart } from '../../src/report/charts/heatmap';
import { ioChart } from '../../src/report/charts/io';
import { overTimeChart } from '../../src/report/charts/overTime';
import { radarChart } from '../../src/report/charts/radar';
import { resourceChart } from '../../src/report/charts/resources';
import type { ChartBoard } from '../shared/chartBoard';
import { drawLazily, type ChartJob, type LazyDraw } from '../shared/lazyDraw';
import type { PageStore } from '../shared/pageStore';
import { announceFirstScreen, announceRendered } from '../shared/rendered';
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

/** The lazy draw of the latest renderAll: a newer one cancels its deferred charts. */
let lazy: LazyDraw | null = null;
/**
 * Start of a render whose `rendered` signal is still owed. A redraw (width, theme, live) that
 * replaces it before every chart drew sends it instead, timed from this start.
 */
let owedSince: number | null = null;

/**
 * Rebuilds the model and draws the charts, those in view first (the rest when scrolled near or
 * when the browser is idle); `announce` sends the first-screen signal once the charts in view and
 * the tables are drawn, and the `rendered` signal once every chart is.
 */
export async function renderAll(p: DashboardPage, t0: number, announce: boolean): Promise<void> {
  const snapshot = p.store.get().snapshot;
  if (!snapshot) return;
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const record = (name: string, ms: number): void => {
    phases[name] = (phases[name] ?? 0) + ms;
  };
  const lap = (name: string): void => {
    const t = performance.now();
    record(name, t - mark);
    mark = t;
  };
  if (announce) owedSince = t0;
  const m = buildDashboardModel(snapshot, Date.now());
  p.store.update(setModel(m));
  lap('model');
  const { view, board } = p;
  view.skeleton.showContent();
  const { ui, theme } = p.store.get();
  view.controls.sync(ui);
  view.header.render(m);
  const customRows = customMetricRows(m);
  view.customEmpty.classList.toggle('wp-hidden', customRows.length > 0);
  view.custom.root.classList.toggle('wp-hidden', customRows.length === 0);
  rememberRowWindow(p);
  lap('header');
  // Builders read the state when they run: a deferred chart drawn after a control changed it
  // shows the control's setting.
  const now = (): DashboardState => p.store.get();
  const sortOf = (): { sortBy: SortKey; descending: boolean } => ({
    sortBy: sortKey(now().ui),
    descending: sortDescending(now().ui),
  });
  const jobs: ChartJob[] = [
    { id: 'timeline', build: () => timelineSpec(now(), m, board.width('timeline')) },
    {
      id: 'whatIf',
      build: () => view.whatIf.spec(m, now().ui, now().theme, board.width('whatIf')),
    },
    {
      id: 'resources',
      build: () => resourceChart(m, now().theme, { width: board.width('resources'), ...sortOf() }),
    },
    {
      id: 'radar',
      build: () =>
        radarChart(m, now().theme, { width: board.width('radar'), groupBy: radarBy(now().ui) }),
    },
    { id: 'io', build: () => ioChart(m, now().theme, { width: board.width('io') }) },
    { id: 'heatmap', build: () => heatmapChart(m, now().theme, { width: board.width('heatmap') }) },
    {
      id: 'overTime',
      build: () => overTimeChart(m, now().theme, { width: board.width('overTime') }),
    },
    {
      id: 'customTrend',
      build: () => customTrendChart(m, now().theme, { width: board.width('customTrend') }),
    },
  ];
  lazy?.cancel();
  const draw = drawLazily(board, jobs, record);
  lazy = draw;
  mark = performance.now();
  const { sortBy, descending } = sortOf();
  view.nodes.render(sortRows(m.rows, sortBy, descending), { key: sortBy, descending });
  view.custom.render(customRows, null);
  const slurmRows = slurmEfficiency(m.run);
  view.slurmEmpty.classList.toggle('wp-hidden', slurmRows.length > 0);
  view.slurm.root.classList.toggle('wp-hidden', slurmRows.length === 0);
  view.slurm.render(slurmRows, null);
  renderRadarTable(view.radarTable, m, radarBy(ui), theme);
  lap('tables');
  const first = await draw.firstScreen;
  lap('paint');
  const runId = m.run.id;
  const parse = now().parseMs;
  if (announce) {
    announceFirstScreen(
      { ms: performance.now() - t0, charts: first, runId, phases: { parse, ...phases } },
      board.instances(),
    );
  }
  const charts = await draw.all;
  if (owedSince === null || lazy !== draw) return;
  // Past the first screen the phases also hold the deferred charts' build and draw.
  const ms = performance.now() - owedSince;
  owedSince = null;
  announceRendered({ ms, charts, runId, phases: { parse, ...phases } }, board.instances());
  p.api.post({ type: 'rendered', runId, ms, charts });
}
