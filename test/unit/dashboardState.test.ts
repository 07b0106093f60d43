import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { PageStore } from '../../webview/shared/pageStore';
import * as change from '../../webview/dashboard/state';
import { modelOf, snapshotOf } from '../helpers/chartFixtures';
import { etlRun, ran } from '../helpers/makeRun';

const theme = FALLBACK_THEMES.light;

function storeWithLog(): {
  store: PageStore<change.DashboardState, change.DashboardState['ui']>;
  saved: unknown[];
} {
  const saved: unknown[] = [];
  const store = new PageStore(
    change.initialState(undefined, theme),
    (s) => s.ui,
    (ui) => saved.push(ui),
  );
  return { store, saved };
}

test('UI state read back from setState falls back on values it does not know', () => {
  assert.equal(change.sortKey({ runId: 'r', sortBy: 'cpuPercent' }), 'cpuPercent');
  assert.equal(change.sortKey({ runId: 'r', sortBy: 'nonsense' }), 'durationMs');
  assert.equal(change.sortKey({ runId: 'r' }), 'durationMs');
  assert.equal(change.sortDescending({ runId: 'r' }), true);
  assert.equal(change.radarBy({ runId: 'r', radarBy: 'tag' }), 'tag');
  assert.equal(change.radarBy({ runId: 'r' }), 'type');
});

test('a header click flips the same column, and starts a new numeric one largest first', () => {
  const ui = { runId: 'r', sortBy: 'cpuPercent', sortDescending: true };
  assert.deepEqual(change.headerSort(ui, 'cpuPercent'), ['cpuPercent', false]);
  assert.deepEqual(change.headerSort(ui, 'durationMs'), ['durationMs', true]);
  assert.deepEqual(change.headerSort(ui, 'nodeId'), ['nodeId', false]);
});

test('only UI state is persisted, and only when a change touches it', () => {
  const { run, samples } = etlRun();
  const { store, saved } = storeWithLog();
  store.update(change.showSnapshot(snapshotOf(run, samples), 3));
  assert.deepEqual(saved, [{ runId: run.id }]);
  store.update(change.setModel(modelOf(run, samples)));
  store.update(change.focusNode('extract', true));
  store.update(change.setTimelineRows([0, 4]));
  store.update(change.setTheme(FALLBACK_THEMES.dark));
  assert.equal(saved.length, 1, 'data, focus, rows and theme are not UI state to keep');
  store.update(change.setSort('peakRssBytes', false));
  store.update(change.setRadarBy('tag'));
  store.update(change.setZoom([10, 60]));
  assert.deepEqual(saved.at(-1), {
    runId: run.id,
    sortBy: 'peakRssBytes',
    sortDescending: false,
    radarBy: 'tag',
    zoom: [10, 60],
  });
  const s = store.get();
  assert.equal(s.parseMs, 3);
  assert.equal(s.focused, 'extract');
  assert.deepEqual(s.timelineRows, [0, 4]);
  assert.equal(s.theme.kind, 'dark');
});

test('another run keeps the sort and grouping but not the zoom, focus or scrolled rows', () => {
  const { run, samples } = etlRun();
  const { store } = storeWithLog();
  store.update(change.showSnapshot(snapshotOf(run, samples), 0));
  store.update(change.setSort('cpuPercent', false));
  store.update(change.setRadarBy('tag'));
  store.update(change.setZoom([5, 50]));
  store.update(change.focusNode('load', false));
  store.update(change.setTimelineRows([2, 6]));
  // The same run again (a reload of the panel): everything stays.
  store.update(change.showSnapshot(snapshotOf(run, samples), 0));
  assert.deepEqual(store.get().ui.zoom, [5, 50]);
  assert.equal(store.get().focused, 'load');
  const other = { ...run, id: `${run.id}-b` };
  const s = store.update(change.showSnapshot(snapshotOf(other, samples), 0));
  assert.deepEqual(s.ui, {
    runId: other.id,
    sortBy: 'cpuPercent',
    sortDescending: false,
    radarBy: 'tag',
  });
  assert.equal(s.focused, null);
  assert.equal(s.timelineRows, null);
});

test('live updates fold into the snapshot, the clock tick grows the model, both pure', () => {
  const { run, samples } = etlRun();
  const before = change.initialState({ runId: run.id }, theme);
  const update = {
    runId: run.id,
    status: 'running' as const,
    wallMs: null,
    endedAt: null,
    tasks: [ran('late', 5000, 100)],
    samples: [],
    sentAt: 0,
  };
  assert.equal(change.liveUpdate(update)(before), before, 'no snapshot yet: ignored');
  const shown = change.showSnapshot(snapshotOf(run, samples), 0)(before);
  const updated = change.liveUpdate(update)(shown);
  assert.ok(updated.snapshot?.run.tasks.some((t) => t.nodeId === 'late'));
  assert.ok(!shown.snapshot?.run.tasks.some((t) => t.nodeId === 'late'), 'not modified');
  const modelled = change.setModel(modelOf(run, samples))(updated);
  const span = modelled.model?.spanMs ?? 0;
  const ticked = change.tick(span + 1000)(modelled);
  assert.equal(ticked.model?.nowMs, span + 1000);
  assert.equal(ticked.model?.spanMs, span + 1000);
  assert.equal(change.tick(1)(before), before, 'no model yet: nothing to move');
});
