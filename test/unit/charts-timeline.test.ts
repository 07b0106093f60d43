import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildDashboardModel, sortRows } from '../../src/report/charts/dashboardModel';
import { applyUpdate } from '../../src/report/charts/liveUpdate';
import { statusLine } from '../../src/report/charts/summary';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { timelineChart, timelineItems, TIMELINE_MAX_ROWS } from '../../src/report/charts/timeline';
import { emptyTaskRun, type TaskRun } from '../../src/model/run';
import {
  axisLabels,
  drawSeries,
  hostileEtl,
  modelOf,
  RICH_TOKEN,
  snapshotOf,
  tooltipOf,
  XSS,
} from '../helpers/chartFixtures';
import { etlRun, makeRun, ran, unrun } from '../helpers/makeRun';

const theme = FALLBACK_THEMES.dark;
const BARS = 2;

test('an empty run: no rows, an empty timeline that says why', () => {
  const m = modelOf(makeRun([], { wallMs: null, status: 'running' }));
  assert.equal(m.rows.length, 0);
  assert.deepEqual(m.progress, { total: 0, done: 0, running: 0, left: 0, failed: 0, skipped: 0 });
  const spec = timelineChart(m, theme, { width: 900 });
  assert.equal(spec.empty, true);
  assert.ok(spec.notes.some((n) => /no node/i.test(n)));
  assert.deepEqual(drawSeries(spec, BARS), []);
});

test('a single node: one bar from its start to its end, its duration annotated inside', () => {
  const run = makeRun([ran('only', 10, 980, { cpuPercent: 97.5, cpuTimeMs: 955.5 })], {
    wallMs: 1000,
  });
  const spec = timelineChart(modelOf(run), theme, { width: 900 });
  assert.equal(spec.empty, false);
  const drawn = drawSeries(spec, BARS);
  const bar = drawn.find((d) => d.type === 'rect' && d.fill === theme.green);
  assert.ok(bar?.shape, 'a completed bar');
  assert.equal(bar.shape['x'], 100 + 10 * 0.1);
  assert.equal(bar.shape['width'], 980 * 0.1);
  // 98 px has room for the duration, not for the CPU after it: the duration is what stays.
  assert.ok(drawn.some((d) => d.type === 'text' && d.text === '980.0 ms'));
  assert.ok(!drawn.some((d) => d.text === '97.5% CPU'), 'never the CPU alone');
  const yData = (spec.option as { yAxis: { data: string[] } }).yAxis.data;
  assert.deepEqual(yData, ['only']);
  // Time axis in ms over the whole run, never rounded to seconds.
  const x = (spec.option as { xAxis: { min: number; max: number } }).xAxis;
  assert.deepEqual([x.min, x.max], [0, 1000]);
});

test('failed, skipped and retried nodes: each attempt a bar in its status colour', () => {
  const run = makeRun(
    [
      ran('fetch', 0, 100, {
        status: 'retried',
        attempt: 1,
        attempts: 2,
        reason: 'exit 1; retrying',
      }),
      ran('fetch', 150, 120, { attempt: 2, attempts: 2, readyAtMs: 100, waitMs: 50 }),
      ran('parse', 270, 30, {
        status: 'failed',
        needs: ['fetch'],
        exitCode: 2,
        reason: 'exited with code 2',
      }),
      unrun('notify', 'skipped', { needs: ['parse'], reason: 'parse failed' }),
    ],
    { wallMs: 320, status: 'failed' },
  );
  const m = modelOf(run);
  assert.deepEqual(
    m.rows.map((r) => [r.nodeId, r.status, r.attempts.length]),
    [
      ['fetch', 'completed', 2],
      ['parse', 'failed', 1],
      ['notify', 'skipped', 1],
    ],
  );
  const items = timelineItems(m);
  assert.deepEqual(
    items.map((i) => [i.kind, i.row, i.start, i.end]),
    [
      ['run', 0, 0, 100],
      ['wait', 0, 100, 150],
      ['run', 0, 150, 270],
      ['run', 1, 270, 300],
      ['mark', 2, 0, 0],
    ],
  );
  const spec = timelineChart(m, theme, { width: 900 });
  const fills = drawSeries(spec, BARS)
    .filter((d) => d.type === 'rect')
    .map((d) => d.fill);
  assert.ok(fills.includes(theme.yellow), 'retried attempt');
  assert.ok(fills.includes(theme.red), 'failed node');
  const texts = drawSeries(spec, BARS).map((d) => d.text ?? '');
  assert.ok(texts.includes('skipped · parse failed'), texts.join('|'));
  // Tooltips: the retried attempt says so, with exact times; unmeasured metrics read n/a.
  const tip = tooltipOf(spec, { seriesIndex: BARS, dataIndex: 0 });
  assert.match(tip, /status: retried · attempt 1 of 2/);
  assert.match(tip, /CPU: n\/a/);
  assert.match(tip, /memory: peak n\/a · change n\/a/);
  assert.doesNotMatch(tip, /: 0 B|0\.0%/);
  const wait = tooltipOf(spec, { seriesIndex: BARS, dataIndex: 1 });
  assert.match(wait, /queued for a slot: 50\.0 ms/);
  assert.equal(statusLine(m), 'failed · 3 of 3 nodes done · 1 failed · 1 skipped · wall 320.0 ms');
});

test('the critical path is outlined and linked end to start', () => {
  const { run, samples } = etlRun();
  const m = modelOf(run, samples);
  const spec = timelineChart(m, theme, { width: 1200 });
  const links = drawSeries(spec, 1);
  assert.ok(links.length >= 2, 'links between consecutive critical nodes');
  const outlined = drawSeries(spec, BARS).filter(
    (d) => d.type === 'rect' && d.fill === theme.green,
  );
  assert.ok(outlined.length > 0);
  const critical = m.rows.filter((r) => r.onCriticalPath).map((r) => r.nodeId);
  assert.ok(critical.includes('transform'));
  const colors = (
    spec.option as { yAxis: { axisLabel: { color: (v: string, i: number) => string } } }
  ).yAxis.axisLabel.color;
  assert.equal(colors('transform', m.rowIndex.get('transform') ?? -1), theme.purple);
});

test('hostile node names: raw ids as categories, escaped labels and tooltips', () => {
  const { run, samples } = hostileEtl();
  const m = modelOf(run, samples);
  const spec = timelineChart(m, theme, { width: 1200 });
  const ids = (spec.option as { yAxis: { data: string[] } }).yAxis.data;
  assert.ok(ids.includes(XSS), 'categories are the raw ids (clicks report them)');
  for (const label of axisLabels(spec, 'yAxis')) assert.doesNotMatch(label, RICH_TOKEN);
  const i = timelineItems(m).findIndex((it) => m.rows[it.row]?.nodeId.startsWith('{'));
  assert.doesNotMatch(tooltipOf(spec, { seriesIndex: BARS, dataIndex: i }), RICH_TOKEN);
  for (const d of drawSeries(spec, BARS)) if (d.text) assert.doesNotMatch(d.text, RICH_TOKEN);
  assert.equal(spec.nodeAt({ componentType: 'yAxis', value: XSS }), XSS);
});

test('clicks map to nodes: a bar to its row, other series to nothing', () => {
  const { run, samples } = etlRun();
  const m = modelOf(run, samples);
  const spec = timelineChart(m, theme, { width: 1200 });
  const items = timelineItems(m);
  const k = items.findIndex((it) => m.rows[it.row]?.nodeId === 'transform' && it.kind === 'run');
  assert.equal(
    spec.nodeAt({ componentType: 'series', seriesIndex: BARS, dataIndex: k }),
    'transform',
  );
  assert.equal(spec.nodeAt({ componentType: 'series', seriesIndex: 1, dataIndex: 0 }), null);
  assert.equal(spec.nodeAt({ componentType: 'xAxis', value: 5 }), null);
});

test('many rows scroll: a row window, wheel scrolls rows, focus brings a row into view', () => {
  const tasks = Array.from({ length: 200 }, (_, i) => ran(`n${i}`, i * 10, 10));
  const m = modelOf(makeRun(tasks, { wallMs: 2000 }));
  const spec = timelineChart(m, theme, { width: 1200 });
  type Zoom = { yAxisIndex?: number; startValue?: number; endValue?: number; type: string };
  const zooms = (spec.option as { dataZoom: Zoom[] }).dataZoom;
  const ySlider = zooms.find((z) => z.yAxisIndex === 0 && z.type === 'slider');
  assert.deepEqual([ySlider?.startValue, ySlider?.endValue], [0, TIMELINE_MAX_ROWS - 1]);
  const focused = timelineChart(m, theme, { width: 1200, focusNodeId: 'n150' });
  const fz = (focused.option as { dataZoom: Zoom[] }).dataZoom.find((z) => z.yAxisIndex === 0);
  assert.ok((fz?.startValue ?? 0) <= 150 && 150 <= (fz?.endValue ?? 0));
  assert.equal(drawSeries(focused, 0).length, 1, 'a focus band');
  // The chart's height is for the visible rows, not for 200.
  assert.ok(spec.height < 1000);
});

test('live: running bars grow to now, planned nodes show pending, updates add nodes', () => {
  const start = Date.parse('2025-01-01T12:00:00.000Z');
  const run = makeRun(
    [
      ran('a', 0, 100),
      emptyTaskRun('b', 'shell', { status: 'running', startMs: 100, readyAtMs: 100, waitMs: 0 }),
    ],
    { status: 'running', wallMs: null, endedAt: null },
  );
  const snap = snapshotOf(run, [], {
    live: true,
    plan: [
      { nodeId: 'a', type: 'shell', needs: [], parentId: null },
      { nodeId: 'b', type: 'shell', needs: ['a'], parentId: null },
      { nodeId: 'c', type: 'shell', needs: ['b'], parentId: null },
    ],
  });
  const m = buildDashboardModel(snap, start + 700);
  assert.equal(m.live, true);
  assert.equal(m.nowMs, 700);
  assert.deepEqual(
    m.rows.map((r) => r.status),
    ['completed', 'running', 'pending'],
  );
  const running = timelineItems(m).find((i) => i.row === 1 && i.kind === 'run');
  assert.deepEqual([running?.start, running?.end], [100, 700]);
  assert.equal(
    statusLine(m),
    'running · 1 of 3 nodes done · 1 running · 2 left · 700.0 ms elapsed',
  );

  const next = applyUpdate(snap, {
    runId: run.id,
    status: 'running',
    wallMs: null,
    endedAt: null,
    tasks: [
      ran('b', 100, 500),
      emptyTaskRun('c/inner', 'shell', { status: 'running', startMs: 600, parentId: 'c' }),
    ],
    samples: [],
    sentAt: start + 900,
  });
  assert.equal(snap.run.tasks.length, 2, 'the old snapshot is untouched');
  const m2 = buildDashboardModel(next, start + 900);
  assert.ok(
    m2.rows.some((r) => r.nodeId === 'c/inner'),
    'a node not in the plan appears',
  );
  assert.equal(m2.rows.find((r) => r.nodeId === 'b')?.status, 'completed');
  assert.equal(m2.progress.done, 2);
  // An update for another run changes nothing.
  assert.equal(
    applyUpdate(snap, { ...next.run, runId: 'other', tasks: [], samples: [], sentAt: 0 }),
    snap,
  );
});

test('sorting puts unmeasured values last in both directions', () => {
  const run = makeRun([
    ran('a', 0, 10, { cpuPercent: 50 }),
    ran('b', 0, 10, { cpuPercent: null }),
    ran('c', 0, 10, { cpuPercent: 90 }),
  ]);
  const m = modelOf(run);
  assert.deepEqual(
    sortRows(m.rows, 'cpuPercent', true).map((r) => r.nodeId),
    ['c', 'a', 'b'],
  );
  assert.deepEqual(
    sortRows(m.rows, 'cpuPercent', false).map((r) => r.nodeId),
    ['a', 'c', 'b'],
  );
  assert.deepEqual(
    sortRows(m.rows, 'nodeId', true).map((r) => r.nodeId),
    ['c', 'b', 'a'],
  );
});

test('a failed bar keeps its reason beside it even when a short figure fits inside', () => {
  // The test api draws 0.1 px per ms: a 400 ms bar has room for "4%", not for the error line.
  const run = makeRun(
    [
      ran('slow', 0, 1000, {}),
      ran('broken', 1000, 400, {
        status: 'failed',
        exitCode: 3,
        cpuPercent: 4,
        reason: 'exit code 3',
        error: {
          kind: 'exit',
          message: 'exit code 3',
          exitCode: 3,
          signal: null,
          stderrTail: 'boom: the widget table is missing\n',
        },
      }),
    ],
    { wallMs: 1400, status: 'failed' },
  );
  const texts = drawSeries(timelineChart(modelOf(run), theme, { width: 900 }), BARS).map(
    (d) => d.text ?? '',
  );
  assert.ok(
    texts.some((t) => t.startsWith('✗ ') && t.includes('boom: the widget table is missing')),
    texts.join('|'),
  );
});

test('runtime slurm: rows grouped by compute node, execution order kept within a host, labels name the host', () => {
  const on = (host: string): Partial<TaskRun> => ({
    slurm: {
      jobId: '1',
      host,
      requested: null,
      submittedAt: '2025-01-01T12:00:00.000Z',
      submittedAtMs: 0,
      state: 'COMPLETED',
      slurmReason: null,
    },
  });
  const run = makeRun(
    [
      ran('a', 0, 100, on('n1')),
      ran('b', 10, 100, on('n2')),
      ran('c', 20, 100, on('n1')),
      ran('d', 30, 100, on('n2')),
    ],
    { runtime: 'slurm' },
  );
  const m = modelOf(run);
  assert.deepEqual(
    m.rows.map((r) => r.nodeId),
    ['a', 'c', 'b', 'd'],
  );
  const spec = timelineChart(m, FALLBACK_THEMES.light, { width: 800 });
  const labels = axisLabels(spec, 'yAxis');
  assert.ok(labels[0]?.includes('n1') && labels[0].includes('a'), labels.join(' | '));
  assert.ok(labels[2]?.includes('n2') && labels[2].includes('b'), labels.join(' | '));
  // Node ids stay the categories, so clicks still reveal the node.
  assert.deepEqual((spec.option as { yAxis: { data: string[] } }).yAxis.data, ['a', 'c', 'b', 'd']);
});

test('runs without Slurm placements keep execution order', () => {
  const m = modelOf(makeRun([ran('b', 10, 100), ran('a', 0, 100)]));
  assert.deepEqual(
    m.rows.map((r) => r.nodeId),
    ['a', 'b'],
  );
});
