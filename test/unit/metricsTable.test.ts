/**
 * Every consumer of per-task metrics follows the one metrics table (src/model/metrics.ts). The
 * lists below are computed from the table, so these tests compare them with the table itself:
 * a new table entry shows up in every one of them with no other edit, and a consumer that drops
 * or re-spells an entry fails here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NA } from '../../src/model/format';
import {
  isTaskMetricKey,
  metricDef,
  metricKeysIn,
  PROCESS_METRIC_KEYS,
  TASK_METRIC_KEYS,
  TASK_METRICS,
  unavailableIn,
  type CollectorModeName,
} from '../../src/model/metrics';
import { emptyTaskRun } from '../../src/model/run';
import { COMPARE_METRICS, compareMetricDef } from '../../src/model/comparison';
import { MetricsCollector } from '../../src/measure/metricsCollector';
import { emptyTreeStats } from '../../src/measure/treeStats';
import { sampledMetrics } from '../../src/measure/pidusageFallback';
import { NULLABLE_METRICS } from '../../src/report/analysis';
import {
  CSV_COLUMNS,
  toChromeTrace,
  toCsv,
  toJson,
  TRACE_ARG_METRICS,
} from '../../src/report/export';
import { renderReport } from '../../src/report/markdown';
import {
  HOVER_METRICS,
  hoverRows,
  LENS_TITLE_METRICS,
  REPORT_TASK_COLUMNS,
} from '../../src/report/metricColumns';
import { NODE_METRICS, TABLE_METRICS } from '../../src/report/charts/dashboardModel';
import { HEATMAP_COLUMNS } from '../../src/report/charts/heatmap';
import { SORT_LABELS } from '../../src/report/charts/resources';
import { METRIC_LABELS } from '../../src/report/charts/compareDeltas';
import { etlRun } from '../helpers/makeRun';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

test('metrics table: keys unique, every entry complete', () => {
  assert.equal(new Set(TASK_METRIC_KEYS).size, TASK_METRICS.length);
  for (const m of TASK_METRICS) {
    assert.ok(m.label && m.short && m.phrase, m.key);
    assert.ok(['time', 'bytes', 'percent', 'count'].includes(m.kind), m.key);
    assert.ok(['lower', 'higher', 'none'].includes(m.better), m.key);
    assert.equal(m.format(null), NA, `${m.key}: unmeasured prints n/a`);
    assert.notEqual(m.format(1), NA, m.key);
    for (const mode of ['reaper', 'procfs', 'pidusage'] as const) {
      const how: string | null = m.how[mode];
      assert.ok(how === null || how.length > 0, `${m.key} ${mode}`);
    }
    // The scheduler's metrics are measured the same way everywhere.
    if (m.layer === 'scheduler') assert.ok(Object.values(m.how).every((h) => h !== null));
  }
});

test('metrics table: emptyTaskRun has every metric, as null', () => {
  const t = emptyTaskRun('a', 'shell');
  for (const k of TASK_METRIC_KEYS) {
    assert.ok(Object.prototype.hasOwnProperty.call(t, k), k);
    assert.equal(t[k], null, k);
  }
});

test('metrics table: ProcessMetrics covers exactly the measured keys', () => {
  const m = sampledMetrics(emptyTreeStats(), null);
  assert.deepEqual(sorted(Object.keys(m)), sorted([...PROCESS_METRIC_KEYS, 'sampleCount']));
  assert.ok(!PROCESS_METRIC_KEYS.includes('waitMs' as never), 'the scheduler measures waits');
});

test('metrics table: every collector mode describes or lists as unavailable every measured metric', () => {
  for (const mode of ['reaper', 'procfs', 'pidusage'] as CollectorModeName[]) {
    const collector = new MetricsCollector({
      intervalMs: 50,
      originMono: 0,
      onSamples: () => undefined,
      mode,
      pidusage: { platform: 'darwin', pidusage: async () => ({}), clear: () => undefined },
    });
    const info = collector.info();
    collector.stop();
    assert.deepEqual(info.unavailable, unavailableIn(mode), mode);
    const described = info.sources.map((s) => s.metric).filter((k) => k !== 'samples');
    // In table order, each metric once.
    assert.deepEqual(described, [...new Set(described)], mode);
    assert.deepEqual(
      described,
      PROCESS_METRIC_KEYS.filter((k) => described.includes(k)),
      `${mode}: sources follow the table's order`,
    );
    for (const k of PROCESS_METRIC_KEYS) {
      assert.ok(described.includes(k) || info.unavailable.includes(k), `${mode} misses ${k}`);
    }
  }
});

test('metrics table: every metric is a CSV column, in table order, and in the JSON export', () => {
  const names = CSV_COLUMNS.map(([n]) => n);
  assert.deepEqual(
    names.filter((n) => isTaskMetricKey(n)),
    [...TASK_METRIC_KEYS],
  );
  const run = etlRun().run;
  const header = (toCsv(run).split('\r\n')[0] ?? '').split(',');
  for (const k of TASK_METRIC_KEYS) assert.ok(header.includes(k), `CSV header misses ${k}`);
  const json = JSON.parse(toJson(run)) as { tasks: Record<string, unknown>[] };
  for (const t of json.tasks) {
    for (const k of TASK_METRIC_KEYS) assert.ok(k in t, `JSON task misses ${k}`);
  }
});

test('metrics table: trace slices carry the trace metrics', () => {
  assert.deepEqual(TRACE_ARG_METRICS, metricKeysIn('trace'));
  const { run, samples } = etlRun();
  const slice = toChromeTrace(run, samples).traceEvents.find(
    (e) => e.ph === 'X' && e.cat !== 'wait',
  );
  assert.ok(slice?.args);
  for (const k of TRACE_ARG_METRICS) assert.ok(k in (slice.args ?? {}), `trace args miss ${k}`);
});

test('metrics table: the dashboard, node table, heatmap and sort labels follow the table', () => {
  assert.deepEqual(NODE_METRICS, metricKeysIn('node'));
  assert.deepEqual(TABLE_METRICS, metricKeysIn('table'));
  assert.deepEqual(sorted(HEATMAP_COLUMNS.map((c) => c.metric)), sorted(metricKeysIn('table')));
  for (const c of HEATMAP_COLUMNS) assert.equal(c.label, metricDef(c.metric).label);
  for (const k of NODE_METRICS) assert.equal(SORT_LABELS[k], metricDef(k).phrase);
  // What analysis checks for nulls: the table metrics the process layer measures.
  assert.deepEqual(
    NULLABLE_METRICS,
    metricKeysIn('table').filter((k) => PROCESS_METRIC_KEYS.includes(k as never)),
  );
});

test('metrics table: the report task table has every table metric, headed from the table', () => {
  assert.deepEqual(
    REPORT_TASK_COLUMNS.flatMap((c) => c.keys),
    metricKeysIn('table'),
  );
  const md = renderReport(etlRun().run);
  const headerLine = md.split('\n').find((l) => l.startsWith('| Node | Type | Status'));
  assert.ok(headerLine);
  for (const c of REPORT_TASK_COLUMNS) {
    assert.ok(headerLine.includes(`| ${c.heading} |`), `report misses ${c.heading}`);
    if (c.keys.length === 1) assert.equal(c.heading, metricDef(c.keys[0] as never).short);
  }
});

test('metrics table: CodeLens and hover reference table keys only', () => {
  for (const k of [...LENS_TITLE_METRICS, ...HOVER_METRICS]) assert.ok(isTaskMetricKey(k), k);
  const rows = hoverRows(emptyTaskRun('a', 'shell'));
  assert.ok(
    rows.every(([, v]) => v === NA),
    'nothing measured reads n/a',
  );
});

test('metrics table: every compare metric of the table is compared, with a label and noise floor', () => {
  for (const k of metricKeysIn('compare')) assert.ok(COMPARE_METRICS.includes(k), k);
  for (const m of COMPARE_METRICS) {
    const def = compareMetricDef(m);
    assert.ok(def.noiseFloor > 0, `${m} needs a noise floor`);
    assert.equal(METRIC_LABELS[m], def.label);
  }
});
