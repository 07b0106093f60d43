/**
 * The dashboard's state in one object, and the named changes that replace it. Pure: the page
 * keeps the object in a PageStore, which persists `ui` (and only `ui`) when a change touches it.
 */
import type {
  DashboardSnapshot,
  DashboardUiState,
  DashboardUpdate,
} from '../../src/protocol/dashboard';
import type { DashboardModel, SortKey } from '../../src/report/charts/dashboardModel';
import { applyUpdate } from '../../src/report/charts/liveUpdate';
import type { RadarGrouping } from '../../src/report/charts/radar';
import { SORT_LABELS } from '../../src/report/charts/resources';
import type { ChartTheme } from '../../src/report/charts/theme';

export interface DashboardState {
  /** What setState keeps: the run shown and how the user arranged it. */
  readonly ui: DashboardUiState;
  readonly theme: ChartTheme;
  /** The run's data as last received (live updates folded in). */
  readonly snapshot: DashboardSnapshot | null;
  /** What the charts were last built from (null until the first draw). */
  readonly model: DashboardModel | null;
  /** The node the timeline highlights. */
  readonly focused: string | null;
  /** The timeline rows the user scrolled to, so a live redraw does not jump back to the top. */
  readonly timelineRows: readonly [number, number] | null;
  /** Time from the page's script start (or the message) to a parsed snapshot, for the phases. */
  readonly parseMs: number;
}

export type Change = (s: DashboardState) => DashboardState;

export function initialState(ui: DashboardUiState | undefined, theme: ChartTheme): DashboardState {
  return {
    ui: ui ?? { runId: '' },
    theme,
    snapshot: null,
    model: null,
    focused: null,
    timelineRows: null,
    parseMs: 0,
  };
}

// ---- Reading the UI state (it comes back from setState, so unknown values fall back).

export function sortKey(ui: DashboardUiState): SortKey {
  const k = ui.sortBy;
  return k !== undefined && k in SORT_LABELS ? (k as SortKey) : 'durationMs';
}

export function sortDescending(ui: DashboardUiState): boolean {
  return ui.sortDescending ?? true;
}

export function radarBy(ui: DashboardUiState): RadarGrouping {
  return ui.radarBy === 'tag' ? 'tag' : 'type';
}

/** Clicking a column header: the same column flips; a new one starts largest first if numeric. */
export function headerSort(ui: DashboardUiState, key: SortKey): [SortKey, boolean] {
  if (ui.sortBy === key) return [key, !sortDescending(ui)];
  return [key, key !== 'nodeId' && key !== 'type' && key !== 'status' && key !== 'order'];
}

// ---- Changes.

/** A whole snapshot; another run than the one shown keeps the sort and grouping, not the zoom. */
export function showSnapshot(snapshot: DashboardSnapshot, parseMs: number): Change {
  return (s) => {
    if (s.ui.runId === snapshot.run.id) return { ...s, snapshot, parseMs, ui: { ...s.ui } };
    const { sortBy, sortDescending: desc, radarBy: group } = s.ui;
    const ui: DashboardUiState = { runId: snapshot.run.id };
    if (sortBy !== undefined) ui.sortBy = sortBy;
    if (desc !== undefined) ui.sortDescending = desc;
    if (group !== undefined) ui.radarBy = group;
    return { ...s, snapshot, parseMs, ui, focused: null, timelineRows: null };
  };
}

/** A live update folded into the snapshot (ignored before the first snapshot). */
export function liveUpdate(update: DashboardUpdate): Change {
  return (s) => (s.snapshot ? { ...s, snapshot: applyUpdate(s.snapshot, update) } : s);
}

export function setModel(model: DashboardModel): Change {
  return (s) => ({ ...s, model });
}

/** The clock moved on during a live run: running bars grow to `nowMs`. */
export function tick(nowMs: number): Change {
  return (s) =>
    s.model ? { ...s, model: { ...s.model, nowMs, spanMs: Math.max(s.model.spanMs, nowMs) } } : s;
}

export function setSort(key: SortKey, descending: boolean): Change {
  return (s) => ({ ...s, ui: { ...s.ui, sortBy: key, sortDescending: descending } });
}

export function setRadarBy(group: RadarGrouping): Change {
  return (s) => ({ ...s, ui: { ...s.ui, radarBy: group } });
}

export function setZoom(zoom: [number, number]): Change {
  return (s) => ({ ...s, ui: { ...s.ui, zoom } });
}

/** Highlights a node; `resetRows` scrolls the timeline back to show it. */
export function focusNode(nodeId: string, resetRows: boolean): Change {
  return (s) => ({ ...s, focused: nodeId, timelineRows: resetRows ? null : s.timelineRows });
}

export function setTimelineRows(rows: readonly [number, number] | null): Change {
  return (s) => ({ ...s, timelineRows: rows });
}

export function setTheme(theme: ChartTheme): Change {
  return (s) => ({ ...s, theme });
}
