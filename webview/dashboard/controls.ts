/** The dashboard's form controls: the resource chart's sort, and the radar's grouping. */
import type { DashboardUiState } from '../../src/protocol/dashboard';
import type { SortKey } from '../../src/report/charts/dashboardModel';
import type { RadarGrouping } from '../../src/report/charts/radar';
import { SORT_LABELS } from '../../src/report/charts/resources';
import { h } from '../shared/dom';
import { controls } from '../shared/sections';
import { radarBy, sortDescending, sortKey } from './state';

/** The keys the sort menu offers, in its order. */
const SORT_MENU = [
  'durationMs',
  'cpuPercent',
  'peakRssBytes',
  'memoryDeltaBytes',
  'cpuTimeMs',
  'waitMs',
  'nodeId',
  'order',
] as const satisfies readonly SortKey[];

export interface DashboardControls {
  /** Sort menu and direction button, above the resource chart. */
  sort: HTMLElement;
  /** Grouping menu, above the radar. */
  radar: HTMLElement;
  /** Shows the UI state's choices (after a restore or another run). */
  sync(ui: DashboardUiState): void;
}

export function dashboardControls(
  current: () => DashboardUiState,
  on: { sort(key: SortKey, descending: boolean): void; radarBy(group: RadarGrouping): void },
): DashboardControls {
  const sortSelect = h('select', { class: 'wp-select', 'aria-label': 'Sort nodes by' });
  for (const k of SORT_MENU) sortSelect.append(h('option', { value: k, text: SORT_LABELS[k] }));
  const sortDir = h('button', { class: 'wp-button wp-secondary wp-icon', type: 'button' });
  const radarSelect = h(
    'select',
    { class: 'wp-select', 'aria-label': 'Group nodes by' },
    h('option', { value: 'type', text: 'node type' }),
    h('option', { value: 'tag', text: 'tag' }),
  );

  sortSelect.addEventListener('change', () =>
    on.sort(sortSelect.value as SortKey, sortDescending(current())),
  );
  sortDir.addEventListener('click', () => {
    const ui = current();
    on.sort((ui.sortBy as SortKey | undefined) ?? 'durationMs', !sortDescending(ui));
  });
  radarSelect.addEventListener('change', () =>
    on.radarBy(radarSelect.value === 'tag' ? 'tag' : 'type'),
  );

  function sync(ui: DashboardUiState): void {
    sortSelect.value = sortKey(ui);
    // A key the menu does not offer (sorted from a table header) shows the default.
    if (sortSelect.value !== sortKey(ui)) sortSelect.value = 'durationMs';
    const desc = sortDescending(ui);
    sortDir.textContent = desc ? '↓' : '↑';
    sortDir.title = desc
      ? 'Largest first (click for smallest first)'
      : 'Smallest first (click for largest first)';
    sortDir.setAttribute('aria-label', sortDir.title);
    radarSelect.value = radarBy(ui);
  }

  return {
    sort: controls(h('label', {}, 'Sort by ', sortSelect), sortDir),
    radar: controls(h('label', {}, 'Group by ', radarSelect)),
    sync,
  };
}
