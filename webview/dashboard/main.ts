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
import {
  isDashboardSnapshot,
  isDashboardUiState,
  isHostToDashboard,
} from '../../src/protocol/dashboardValidate';
import type { SortKey } from '../../src/report/charts/dashboardModel';
import { boot } from '../shared/boot';
import { ChartBoard } from '../shared/chartBoard';
import { persistedStore } from '../shared/pageStore';
import { onWidthChange } from '../shared/rendered';
import { followTheme, readTheme } from '../shared/theme';
import { hostApi } from '../shared/vscodeApi';
import { dashboardControls } from './controls';
import { dashboardHeader } from './header';
import { dashboardView } from './layout';
import { startLive } from './live';
import {
  drawRadar,
  drawSorted,
  drawTimeline,
  drawWhatIf,
  rememberRowWindow,
  renderAll,
  type DashboardPage,
} from './render';
import * as change from './state';
import { readZoom } from './timelineView';
import { resetScenario, setScenario } from './whatIfState';
import { whatIfView } from './whatIfView';

const startedAt = performance.now();
const api = hostApi<DashboardToHost, DashboardUiState>(isDashboardUiState);
const store = persistedStore(api, (saved) => change.initialState(saved, readTheme()));
const board = new ChartBoard((nodeId) => reveal(nodeId));
const sortBy = (key: SortKey, descending: boolean): void => {
  store.update(change.setSort(key, descending));
  drawSorted(page);
};
const controls = dashboardControls(() => store.get().ui, {
  sort: sortBy,
  radarBy: (group) => {
    store.update(change.setRadarBy(group));
    drawRadar(page);
  },
});
const header = dashboardHeader(api.inVsCode ? () => api.post({ type: 'openReport' }) : null);
// Each what-if change redraws at most once a frame: dragging the slider fires many inputs.
let whatIfFrame = 0;
const redrawWhatIf = (edit: change.Change): void => {
  store.update(edit);
  if (whatIfFrame === 0) {
    whatIfFrame = requestAnimationFrame(() => {
      whatIfFrame = 0;
      drawWhatIf(page);
    });
  }
};
const whatIf = whatIfView(board, {
  change: (s) => redrawWhatIf(setScenario(s)),
  reset: () => redrawWhatIf(resetScenario()),
});
const view = dashboardView(
  board,
  header,
  controls,
  {
    reveal: (id) => reveal(id),
    headerSort: (key) => sortBy(...change.headerSort(store.get().ui, key)),
  },
  whatIf,
);
const page: DashboardPage = { store, board, view, api };
const scheduleRedraw = startLive(page);
const redraw = (): void => void renderAll(page, performance.now(), false);

function reveal(nodeId: string): void {
  api.post({ type: 'revealNode', nodeId });
  const s = store.get();
  if (s.focused !== nodeId && s.model) {
    store.update(change.focusNode(nodeId, false));
    void drawTimeline(page);
  }
}

function show(s: DashboardSnapshot, t0: number): void {
  store.update(change.showSnapshot(s, performance.now() - t0));
  void renderAll(page, t0, true);
}

followTheme((theme) => {
  store.update(change.setTheme(theme));
  redraw();
});
onWidthChange(view.skeleton.app, redraw);

// The timeline's zoom window is UI state: remembered across reloads.
let zoomSave: ReturnType<typeof setTimeout> | null = null;
board.on('timeline', 'datazoom', () => {
  if (zoomSave) clearTimeout(zoomSave);
  zoomSave = setTimeout(() => {
    const chart = board.chart('timeline');
    if (!chart) return;
    const zoom = readZoom(chart);
    if (zoom) store.update(change.setZoom(zoom));
    rememberRowWindow(page);
  }, 200);
});

boot({
  api,
  startedAt,
  isHostMessage: isHostToDashboard,
  onHostMessage: (m) => {
    const t0 = performance.now();
    switch (m.type) {
      case 'snapshot':
        show(m.snapshot, t0);
        break;
      case 'update':
        if (!store.get().snapshot) return;
        store.update(change.liveUpdate(m.update));
        scheduleRedraw();
        break;
      case 'focusNode':
        store.update(change.focusNode(m.nodeId, true));
        document.getElementById('sec-timeline')?.scrollIntoView({ block: 'start' });
        void drawTimeline(page);
        break;
    }
  },
  isSnapshot: isDashboardSnapshot,
  showSnapshot: show,
  noData: () =>
    view.skeleton.showNoData(
      'No run data: this page expects a snapshot from VS Code or embedded by `workflow-profiler dashboard`.',
    ),
});
