/** The query layer both front ends use, over real run folders written by the store. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunStore } from '../../src/store/runStore';
import type { RunRecord } from '../../src/model/run';
import { CUSTOM_HISTORY_RUNS } from '../../src/report/panelSnapshots';
import { toChromeTrace, toCsv, toJson } from '../../src/report/export';
import { renderReport } from '../../src/report/markdown';
import { storeSource, type RunSource } from '../../src/query/runSource';
import {
  lastFinishedRuns,
  lastRunsUpTo,
  latestFinishedRun,
  previousRun,
} from '../../src/query/runHistory';
import { customHistory, customPrevious } from '../../src/query/customHistory';
import { EXPORT_FORMATS, exportText, writeExport } from '../../src/query/exportRun';
import { runReport, runReportText } from '../../src/query/report';
import { makeRun, ran, samplesOf } from '../helpers/makeRun';

interface Ctx {
  after(fn: () => void): void;
}

const FLOW_A = '/w/a.workflow.yaml';
const FLOW_B = '/w/b.workflow.yaml';
const BASE = Date.UTC(2026, 0, 1, 12, 0, 0);

async function tempStore(t: Ctx): Promise<RunStore> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wp-query-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return new RunStore(path.join(dir, 'runs'));
}

/** Run `i` of a workflow, started `i` minutes after BASE, with one custom metric. */
function runOf(file: string, i: number, extra: Partial<RunRecord> = {}): RunRecord {
  const tag = file === FLOW_A ? 'a' : 'b';
  return makeRun([ran('step', 0, 100 + i, { custom: { rows: i } })], {
    id: `r-${tag}-${String(i).padStart(3, '0')}`,
    startedAt: new Date(BASE + i * 60_000).toISOString(),
    workflow: { name: `flow-${tag}`, file, hash: 'h' },
    ...extra,
  });
}

function write(store: RunStore, runs: RunRecord[]): void {
  for (const r of runs) store.createRun(r);
}

test('list and load through the store: newest first, by id or unique prefix', async (t) => {
  const store = await tempStore(t);
  const source = storeSource(store);
  assert.deepEqual(await source.list(), []);
  write(store, [runOf(FLOW_A, 1), runOf(FLOW_A, 2), runOf(FLOW_B, 3)]);
  assert.deepEqual(
    (await source.list()).map((r) => r.id),
    ['r-b-003', 'r-a-002', 'r-a-001'],
  );
  assert.equal((await source.load('r-b')).id, 'r-b-003');
  await assert.rejects(source.load('r-a'), /ambiguous/);
  await assert.rejects(source.load('nope'), /no run "nope"/);
});

test('listAsync gives what list gives, and both see a run added behind their back', async (t) => {
  const store = await tempStore(t);
  write(store, [runOf(FLOW_A, 1), runOf(FLOW_B, 2)]);
  assert.deepEqual(await store.listAsync(), store.list());
  // Another writer (a second store object: another runner) adds a run.
  new RunStore(store.storeDir).createRun(runOf(FLOW_A, 3));
  const sync = store.list();
  assert.deepEqual(await store.listAsync(), sync);
  assert.equal(sync.runs.length, 3);
});

test('history: the previous run and the last N runs up to a run, by start time', async (t) => {
  const store = await tempStore(t);
  // Written out of order: history follows start times, not creation order.
  write(store, [
    runOf(FLOW_A, 3),
    runOf(FLOW_A, 1),
    runOf(FLOW_B, 2),
    runOf(FLOW_A, 5, { status: 'failed' }),
    runOf(FLOW_A, 4, { status: 'running', endedAt: null, wallMs: null }),
    runOf(FLOW_A, 2),
  ]);
  const runs = await storeSource(store).list();
  const byId = (id: string): (typeof runs)[number] => {
    const r = runs.find((x) => x.id === id);
    assert.ok(r, id);
    return r;
  };
  const ids = (list: { id: string }[]): string[] => list.map((r) => r.id);

  assert.equal(previousRun(runs, byId('r-a-003'))?.id, 'r-a-002');
  // A running run is nobody's previous run; another workflow's run neither.
  assert.equal(previousRun(runs, byId('r-a-005'))?.id, 'r-a-003');
  assert.equal(previousRun(runs, byId('r-a-001')), undefined);
  assert.equal(previousRun(runs, byId('r-b-002')), undefined);

  assert.deepEqual(ids(lastRunsUpTo(runs, byId('r-a-005'), 3)), ['r-a-002', 'r-a-003', 'r-a-005']);
  assert.deepEqual(ids(lastRunsUpTo(runs, byId('r-a-003'), 10)), ['r-a-001', 'r-a-002', 'r-a-003']);
  // The anchor counts even while it runs.
  assert.deepEqual(ids(lastRunsUpTo(runs, byId('r-a-004'), 2)), ['r-a-003', 'r-a-004']);
  assert.deepEqual(lastRunsUpTo(runs, byId('r-a-004'), 0), []);

  assert.equal(latestFinishedRun(runs, FLOW_A)?.id, 'r-a-005');
  assert.deepEqual(ids(lastFinishedRuns(runs, FLOW_A, 2)), ['r-a-003', 'r-a-005']);
  assert.deepEqual(lastFinishedRuns(runs, '/w/none.workflow.yaml', 5), []);
});

test(`custom history: ${CUSTOM_HISTORY_RUNS} runs, the run itself and the newest others`, async (t) => {
  const store = await tempStore(t);
  const total = CUSTOM_HISTORY_RUNS + 5;
  const flowA = Array.from({ length: total }, (_, i) => runOf(FLOW_A, i + 1));
  const runningA = runOf(FLOW_A, 500, { status: 'running', endedAt: null, wallMs: null });
  write(store, [...flowA, runningA, runOf(FLOW_B, 100)]);
  const source = storeSource(store);
  const runIds = async (run: RunRecord): Promise<string[]> => [
    ...new Set((await customHistory(source, run)).map((p) => p.runId)),
  ];
  const newestIds = (n: number): string[] => flowA.slice(total - n).map((r) => r.id);

  // The newest run: exactly CUSTOM_HISTORY_RUNS runs, oldest first, ending with it.
  const newest = flowA[total - 1] as RunRecord;
  const fromNewest = await runIds(newest);
  assert.equal(fromNewest.length, CUSTOM_HISTORY_RUNS);
  assert.deepEqual(fromNewest, newestIds(CUSTOM_HISTORY_RUNS));

  // An older run: still CUSTOM_HISTORY_RUNS: itself and the newest others of its workflow,
  // never another workflow's run nor one still running.
  for (const older of [flowA[total - 3], flowA[4]] as RunRecord[]) {
    const got = await runIds(older);
    assert.equal(got.length, CUSTOM_HISTORY_RUNS, older.id);
    const others = flowA.map((r) => r.id).filter((id) => id !== older.id);
    assert.deepEqual(got, [...others.slice(-(CUSTOM_HISTORY_RUNS - 1)), older.id].sort());
  }

  // A live run counts as the last point, after the newest others.
  const live = runOf(FLOW_A, 999, { id: 'r-live', status: 'running', endedAt: null });
  const fromLive = await runIds(live);
  assert.equal(fromLive.length, CUSTOM_HISTORY_RUNS);
  assert.deepEqual(fromLive, [...newestIds(CUSTOM_HISTORY_RUNS - 1), 'r-live']);

  // Fewer runs than that: all of them.
  const small = await tempStore(t);
  const three = [1, 2, 3].map((i) => runOf(FLOW_A, i));
  write(small, three);
  assert.equal(
    new Set((await customHistory(storeSource(small), three[0] as RunRecord)).map((p) => p.runId))
      .size,
    3,
  );
});

test('custom history skips a run that cannot be read', async (t) => {
  const store = await tempStore(t);
  const runs = [1, 2, 3].map((i) => runOf(FLOW_A, i));
  write(store, runs);
  const source = storeSource(store);
  const listed = await source.list();
  const broken: RunSource = {
    ...source,
    list: async () => listed,
    load: async (id) => {
      if (id === 'r-a-002') throw new Error('unreadable');
      return source.load(id);
    },
  };
  const points = await customHistory(broken, runs[2] as RunRecord);
  assert.deepEqual(
    points.map((p) => p.runId),
    ['r-a-001', 'r-a-003'],
  );
});

test('export: every format, written atomically to the same text', async (t) => {
  const store = await tempStore(t);
  const run = runOf(FLOW_A, 1, { profile: true });
  write(store, [run]);
  const w = store.samplesWriter(run.id);
  w.append(samplesOf('step', 0, 100, 1024, 50));
  await w.close();
  const source = storeSource(store);
  const samples = await store.readSamples(run.id);
  assert.ok(samples.length > 0);
  assert.equal(await exportText(source, run, 'json'), toJson(run));
  assert.equal(await exportText(source, run, 'csv'), toCsv(run));
  assert.equal(
    await exportText(source, run, 'chrome-trace'),
    JSON.stringify(toChromeTrace(run, samples)),
  );
  for (const f of EXPORT_FORMATS) {
    const file = path.join(path.dirname(store.storeDir), `out.${f.ext}`);
    await writeExport(source, run, f.id, file);
    assert.equal(fs.readFileSync(file, 'utf8'), await exportText(source, run, f.id));
  }
});

test('report: the stored report.md of a finished run, else one rendered now', async (t) => {
  const store = await tempStore(t);
  const done = runOf(FLOW_A, 1);
  const bare = runOf(FLOW_A, 2);
  const running = runOf(FLOW_A, 3, { status: 'running', endedAt: null, wallMs: null });
  write(store, [done, bare, running]);
  fs.writeFileSync(store.reportPath(done.id), '# stored\n');
  fs.writeFileSync(store.reportPath(running.id), '# stale\n');
  const source = storeSource(store);

  assert.deepEqual(await runReport(source, done), {
    kind: 'stored',
    file: store.reportPath(done.id),
  });
  assert.equal(await runReportText(source, done), '# stored\n');
  assert.equal(await runReportText(source, bare), renderReport(bare, []));
  const live = await runReport(source, running);
  assert.equal(live.kind, 'rendered');
  assert.equal(await runReportText(source, running), renderReport(running, []));
});

test('custom previous: the run before the one shown, not the newest other', async (t) => {
  const store = await tempStore(t);
  const total = CUSTOM_HISTORY_RUNS + 5;
  const flowA = Array.from({ length: total }, (_, i) => runOf(FLOW_A, i + 1));
  const running = runOf(FLOW_A, 500, { id: 'r-a-run', status: 'running', endedAt: null });
  write(store, [...flowA, running, runOf(FLOW_B, 100)]);
  const source = storeSource(store);
  const prevOf = async (r: RunRecord): Promise<string[]> =>
    (await customPrevious(source, r)).map((p) => `${p.runId}:${p.value}`);
  // An old run, outside the newest runs the trend shows: still the one just before it.
  assert.deepEqual(await prevOf(flowA[4] as RunRecord), ['r-a-004:4']);
  assert.deepEqual(await prevOf(flowA[total - 3] as RunRecord), [`r-a-0${total - 3}:${total - 3}`]);
  // The newest finished run; a live run after it; the first run has none.
  assert.deepEqual(await prevOf(flowA[total - 1] as RunRecord), [`r-a-0${total - 1}:${total - 1}`]);
  assert.deepEqual(await prevOf(running), [`r-a-0${total}:${total}`]);
  assert.deepEqual(await prevOf(flowA[0] as RunRecord), []);
});
