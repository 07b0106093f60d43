import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readStat } from '../../src/measure/procfs';
import { newRunId } from '../../src/store/runId';
import { RunStoreError, RunStore, RUNNER_STOPPED } from '../../src/store/runStore';
import { emptyTaskRun, type RunRecord, type Sample } from '../../src/model/run';

// ------------------------------------------------------------------ helpers

interface Ctx {
  after(fn: () => void): void;
}

async function tempStore(t: Ctx): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wp-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'runs'); // not created: the store must create it on demand
}

const BASE = Date.UTC(2026, 0, 1, 12, 0, 0);

function makeRun(i: number, over: Partial<RunRecord> = {}): RunRecord {
  const started = new Date(BASE + i * 60_000);
  return {
    schemaVersion: 1,
    id: newRunId(started),
    status: 'completed',
    runtime: 'local',
    maxParallel: 1,
    startedAt: started.toISOString(),
    endedAt: new Date(started.getTime() + 1500).toISOString(),
    wallMs: 1500,
    workflow: { name: 'etl', file: '/ws/etl.workflow.yaml', hash: 'abc' },
    collector: {
      intervalMs: 100,
      platform: 'linux',
      mode: 'reaper',
      sources: [],
      overheadCpuMs: 0,
      ticks: 0,
      unavailable: [],
    },
    runner: { pid: process.pid, host: os.hostname(), startedAtTicks: null },
    profile: false,
    reason: null,
    tasks: [
      emptyTaskRun('extract', 'shell', { status: 'completed', durationMs: 700, cpuTimeMs: 650 }),
      emptyTaskRun('load', 'node', { status: 'failed', durationMs: 800, exitCode: 1 }),
    ],
    ...over,
  };
}

function sample(nodeId: string, t: number): Sample {
  return {
    nodeId,
    attempt: 1,
    t,
    cpuPercent: 50,
    rssBytes: 1024,
    threads: 1,
    processes: 1,
    readBytesPerSec: null,
    writeBytesPerSec: 0,
  };
}

/** A pid that existed and has exited (and been reaped) by the time this returns. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  assert.ok(pid);
  await once(child, 'exit');
  return pid;
}

function readJson(file: string): RunRecord {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
}

function indexLines(store: string): string[] {
  return fs
    .readFileSync(path.join(store, 'index.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

function collectingStore(store: string): { tm: RunStore; warned: string[] } {
  const warned: string[] = [];
  return { tm: new RunStore(store, { warn: (m) => warned.push(m) }), warned };
}

// ------------------------------------------------------------------ basics

test('create, save, list and load a run', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0, { status: 'running', endedAt: null, wallMs: null, tasks: [] });
  const dir = tm.createRun(run);
  assert.equal(dir, path.join(store, run.id));
  assert.ok(fs.statSync(path.join(dir, 'logs')).isDirectory());
  assert.equal(readJson(path.join(dir, 'run.json')).status, 'running');

  let { runs, warnings } = tm.list();
  assert.deepEqual(warnings, []);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.status, 'running');
  assert.equal(runs[0]?.runDir, dir);

  const indexInode = fs.statSync(path.join(store, 'index.ndjson')).ino;
  run.tasks.push(emptyTaskRun('extract', 'shell', { status: 'completed', cpuTimeMs: 5 }));
  tm.saveRun(run);
  run.tasks.push(emptyTaskRun('load', 'node', { status: 'skipped' }));
  run.status = 'completed';
  run.endedAt = new Date(BASE + 2000).toISOString();
  run.wallMs = 2000;
  tm.saveRun(run);

  // Appended, not rewritten: same file, one line per create/save.
  assert.equal(fs.statSync(path.join(store, 'index.ndjson')).ino, indexInode);
  assert.equal(indexLines(store).length, 3);

  ({ runs, warnings } = tm.list());
  assert.deepEqual(warnings, []);
  const s = runs[0];
  assert.ok(s);
  assert.deepEqual(
    { id: s.id, status: s.status, wallMs: s.wallMs, endedAt: s.endedAt, workflow: s.workflow },
    {
      id: run.id,
      status: 'completed',
      wallMs: 2000,
      endedAt: run.endedAt,
      workflow: run.workflow,
    },
  );
  assert.equal(s.startedAt, run.startedAt);
  assert.equal(s.taskCounts.completed, 1);
  assert.equal(s.taskCounts.skipped, 1);
  assert.equal(s.taskCounts.failed, 0);

  const loaded = await tm.load(run.id);
  assert.deepEqual(loaded, run);
  // A second store object (another process, say) sees the same.
  assert.deepEqual(await new RunStore(store).load(run.id), run);
  assert.equal(new RunStore(store).list().runs[0]?.status, 'completed');
});

test('list is newest first, and an empty or missing store lists nothing', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  assert.deepEqual(tm.list(), { runs: [], warnings: [] });
  assert.ok(!fs.existsSync(store), 'listing does not create the store');
  const ids = [3, 1, 4, 0, 2].map((i) => {
    const r = makeRun(i);
    tm.createRun(r);
    return { i, id: r.id };
  });
  const expected = ids.sort((a, b) => b.i - a.i).map((x) => x.id);
  assert.deepEqual(
    tm.list().runs.map((r) => r.id),
    expected,
  );
  assert.deepEqual(
    new RunStore(store).list().runs.map((r) => r.id),
    expected,
  );
});

test('paths: logs per node and attempt, report, outputs; bad ids are refused', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0);
  const dir = tm.createRun(run);
  assert.equal(tm.logPath(run.id, 'extract'), path.join(dir, 'logs', 'extract.log'));
  assert.equal(tm.logPath(run.id, 'extract', 1), path.join(dir, 'logs', 'extract.log'));
  assert.equal(tm.logPath(run.id, 'extract', 2), path.join(dir, 'logs', 'extract.attempt-2.log'));
  assert.equal(tm.logPath(run.id, 'sub/step'), path.join(dir, 'logs', 'sub~step.log'));
  assert.equal(tm.reportPath(run.id), path.join(dir, 'report.md'));
  assert.equal(tm.outputsDir(run.id), path.join(dir, 'outputs'));
  assert.throws(() => tm.logPath('../evil', 'x'), RunStoreError);
  assert.throws(() => tm.createRun(makeRun(1, { id: '../evil' })), /not a valid run id/);
  assert.throws(() => tm.createRun(makeRun(1, { id: '.hidden' })), /not a valid run id/);
  assert.throws(() => tm.createRun(run), /already exists/);
});

// ------------------------------------------------------------------ ids

test('load and resolveId take a full id or a unique prefix', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const a = makeRun(0, { id: '20260101-120000-000-aaaaaa' });
  const b = makeRun(1, { id: '20260101-120100-000-bbbbbb' });
  const c = makeRun(2, { id: '20260101-120100-000-bbbccc' });
  for (const r of [a, b, c]) tm.createRun(r);

  assert.equal(tm.resolveId(a.id), a.id);
  assert.equal(tm.resolveId('20260101-1200'), a.id);
  assert.equal((await tm.load('20260101-1200')).id, a.id);
  assert.equal(tm.resolveId('20260101-120100-000-bbbb'), b.id);

  assert.throws(
    () => tm.resolveId('20260101-1201'),
    (err: unknown) => {
      assert.ok(err instanceof RunStoreError);
      assert.equal(err.code, 'ambiguous-run');
      assert.match(err.message, /ambiguous/);
      assert.match(err.message, new RegExp(b.id));
      assert.match(err.message, new RegExp(c.id));
      assert.deepEqual([...err.candidates].sort(), [b.id, c.id]);
      return true;
    },
  );
  await assert.rejects(tm.load('2026'), /ambiguous: it matches 3 runs/);
  await assert.rejects(tm.load('19990101'), (err: unknown) => {
    assert.ok(err instanceof RunStoreError);
    assert.equal(err.code, 'unknown-run');
    assert.match(err.message, /no run "19990101"/);
    return true;
  });
  await assert.rejects(tm.load(''), /no run id given/);
  await assert.rejects(tm.load('../x'), /no run/);
  await assert.rejects(new RunStore(path.join(store, 'nope')).load('2026'), /no run/);
});

// ------------------------------------------------------------------ index repair

test('a deleted index is rebuilt from the run folders, with a warning', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const runs = [0, 1, 2].map((i) => makeRun(i));
  for (const r of runs) tm.createRun(r);
  fs.rmSync(path.join(store, 'index.ndjson'));

  const { tm: fresh, warned } = collectingStore(store);
  const listed = fresh.list();
  assert.equal(listed.runs.length, 3);
  assert.equal(listed.warnings.length, 1);
  assert.match(listed.warnings[0] ?? '', /index.*missing; rebuilt it from 3 run folder/);
  assert.deepEqual(warned, listed.warnings);
  assert.equal(indexLines(store).length, 3);
  // The same store object also notices (its cache must not hide the deletion).
  fs.rmSync(path.join(store, 'index.ndjson'));
  assert.equal(tm.list().runs.length, 3);
  assert.ok(fs.existsSync(path.join(store, 'index.ndjson')));
  assert.deepEqual(new RunStore(store).list().warnings, []);
});

test('a corrupt index (bad line in the middle, wrong schema) is rebuilt, with a warning', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const runs = [0, 1, 2].map((i) => makeRun(i));
  for (const r of runs) tm.createRun(r);
  const indexFile = path.join(store, 'index.ndjson');
  const good = indexLines(store);

  const damaged = [good[0], '{"v":1,"id":"x", garbage', good[1], good[2]].join('\n') + '\n';
  fs.writeFileSync(indexFile, damaged);
  let listed = new RunStore(store).list();
  assert.equal(listed.runs.length, 3);
  assert.equal(listed.warnings.length, 1);
  assert.match(listed.warnings[0] ?? '', /corrupt \(line 2: not JSON\); rebuilt/);
  assert.equal(indexLines(store).length, 3);
  assert.deepEqual(new RunStore(store).list().warnings, []);

  // Wrong schema: parses, but is not an index line of this version.
  fs.writeFileSync(indexFile, [good[0], '{"v":2,"id":"x"}', good[1]].join('\n') + '\n');
  listed = new RunStore(store).list();
  assert.equal(listed.runs.length, 3);
  assert.match(listed.warnings[0] ?? '', /unknown index version 2/);

  fs.writeFileSync(indexFile, '[1,2,3]\n' + good.join('\n') + '\n');
  listed = tm.list(); // the long-lived object notices an in-place rewrite too
  assert.equal(listed.runs.length, 3);
  assert.match(listed.warnings[0] ?? '', /corrupt \(line 1: not an object\)/);
});

test('a torn last index line is ignored until it is completed', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const runs = [0, 1].map((i) => makeRun(i));
  for (const r of runs) tm.createRun(r);
  fs.appendFileSync(path.join(store, 'index.ndjson'), '{"v":1,"id":"half-writ');
  const listed = new RunStore(store).list();
  assert.deepEqual(listed.warnings, []);
  assert.equal(listed.runs.length, 2);
  // The next append starts on a new line rather than gluing onto the torn one; the damaged
  // line is then in the middle, so the index is rebuilt once.
  tm.createRun(makeRun(2));
  const after = new RunStore(store).list();
  assert.equal(after.runs.length, 3);
  assert.equal(after.warnings.length, 1);
  assert.deepEqual(new RunStore(store).list().warnings, []);
});

test('a folder missing from the index is listed and added; entries without a folder drop out', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const [a, b, c] = [0, 1, 2].map((i) => makeRun(i));
  assert.ok(a && b && c);
  for (const r of [a, b]) tm.createRun(r);
  // A crash between writing run.json and appending to the index:
  fs.mkdirSync(path.join(store, c.id));
  fs.writeFileSync(path.join(store, c.id, 'run.json'), JSON.stringify(c));
  // A folder removed by hand:
  fs.rmSync(path.join(store, a.id), { recursive: true });

  const listed = tm.list();
  assert.deepEqual(listed.warnings, []);
  assert.deepEqual(
    listed.runs.map((r) => r.id),
    [c.id, b.id],
  );
  assert.ok(indexLines(store).some((l) => l.includes(c.id)));
  assert.deepEqual(
    new RunStore(store).list().runs.map((r) => r.id),
    [c.id, b.id],
  );
});

test('a run.json changed behind the index is re-read', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0, { status: 'running' });
  tm.createRun(run);
  assert.equal(tm.list().runs[0]?.status, 'running');
  // e.g. the runner's last index append was lost: run.json says completed.
  fs.writeFileSync(
    path.join(store, run.id, 'run.json'),
    JSON.stringify({ ...run, status: 'completed' }),
  );
  assert.equal(tm.list().runs[0]?.status, 'completed');
  assert.equal(new RunStore(store).list().runs[0]?.status, 'completed');
});

test('a corrupt run.json is skipped with a warning naming it; the others list', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const runs = [0, 1, 2].map((i) => makeRun(i));
  for (const r of runs) tm.createRun(r);
  const bad = runs[1];
  assert.ok(bad);
  fs.writeFileSync(path.join(store, bad.id, 'run.json'), '{"schemaVersion": 1, "id": ');

  for (const store2 of [tm, new RunStore(store)]) {
    const listed = store2.list();
    assert.equal(listed.runs.length, 2);
    assert.ok(!listed.runs.some((r) => r.id === bad.id));
    assert.equal(listed.warnings.length, 1);
    assert.match(listed.warnings[0] ?? '', new RegExp(`"${bad.id}".*not valid JSON`));
  }
  await assert.rejects(tm.load(bad.id), /cannot be read: run.json is not valid JSON/);

  // Wrong shape, and also when the index has to be rebuilt.
  fs.writeFileSync(
    path.join(store, bad.id, 'run.json'),
    JSON.stringify({ ...bad, status: 'exploded' }),
  );
  fs.rmSync(path.join(store, 'index.ndjson'));
  const listed = new RunStore(store).list();
  assert.equal(listed.runs.length, 2);
  assert.ok(
    listed.warnings.some(
      (w) => w.includes(bad.id) && /wrong shape: unknown status "exploded"/.test(w),
    ),
    listed.warnings.join('\n'),
  );
  // Once repaired, it lists again.
  fs.writeFileSync(path.join(store, bad.id, 'run.json'), JSON.stringify(bad));
  assert.equal(tm.list().runs.length, 3);
});

test('warnings reach opts.warn once per message, but list() returns them every time', async (t) => {
  const store = await tempStore(t);
  const { tm, warned } = collectingStore(store);
  const run = makeRun(0);
  tm.createRun(run);
  fs.writeFileSync(path.join(store, run.id, 'run.json'), 'nope');
  assert.equal(tm.list().warnings.length, 1);
  assert.equal(tm.list().warnings.length, 1);
  assert.equal(warned.length, 1);
});

test('files and folders that are not runs are ignored', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0);
  tm.createRun(run);
  fs.mkdirSync(path.join(store, 'notes'));
  fs.writeFileSync(path.join(store, 'notes', 'todo.txt'), 'x');
  fs.mkdirSync(path.join(store, '.cache'));
  fs.writeFileSync(path.join(store, '.cache', 'run.json'), '{}');
  fs.writeFileSync(path.join(store, 'README.txt'), 'x');
  fs.writeFileSync(path.join(store, '.index.ndjson.123.abc.tmp'), 'half');
  const listed = tm.list();
  assert.deepEqual(listed.warnings, []);
  assert.deepEqual(
    listed.runs.map((r) => r.id),
    [run.id],
  );
  assert.throws(() => tm.resolveId('notes'), /no run "notes"/);
  assert.throws(() => tm.delete('notes'), /no run "notes"/);
  assert.ok(fs.existsSync(path.join(store, 'notes', 'todo.txt')));
});

// ------------------------------------------------------------------ delete and retention

test('delete removes the folder and the run from the listing; a live run is refused', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const done = makeRun(0);
  const live = makeRun(1, { status: 'running' });
  tm.createRun(done);
  tm.createRun(live);
  tm.delete(done.id);
  assert.ok(!fs.existsSync(path.join(store, done.id)));
  assert.deepEqual(
    tm.list().runs.map((r) => r.id),
    [live.id],
  );
  assert.ok(indexLines(store).some((l) => l.includes('"deleted":true')));
  assert.deepEqual(
    new RunStore(store).list().runs.map((r) => r.id),
    [live.id],
  );
  assert.throws(() => tm.delete(live.id), /still running/);
  assert.throws(() => tm.delete(done.id), /no run/);
  // Only the index and the live run remain: no hidden leftovers of the deletion.
  assert.deepEqual(fs.readdirSync(store).sort(), [live.id, 'index.ndjson'].sort());
});

test('retention keeps the newest N finished runs per workflow and never deletes running ones', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const other = { name: 'other', file: '/ws/other.workflow.yaml', hash: 'h' };
  const etl = [0, 1, 2, 3, 4, 5].map((i) =>
    makeRun(
      i,
      i === 0
        ? { status: 'running', endedAt: null, wallMs: null }
        : { status: i === 3 ? 'failed' : 'completed' },
    ),
  );
  const others = [10, 11, 12].map((i) => makeRun(i, { workflow: other }));
  for (const r of [...etl, ...others]) tm.createRun(r);

  const deleted = tm.applyRetention({ file: '/ws/etl.workflow.yaml', name: 'etl' }, 2);
  // Finished etl runs, newest first: 5, 4, 3, 2, 1. Keep 5 and 4; delete 3, 2, 1; 0 is running.
  assert.deepEqual([...deleted].sort(), [etl[1]?.id, etl[2]?.id, etl[3]?.id].sort());
  const left = tm.list().runs.map((r) => r.id);
  assert.deepEqual(
    left.sort(),
    [etl[0]?.id, etl[4]?.id, etl[5]?.id, ...others.map((r) => r.id)].sort(),
  );
  assert.deepEqual(tm.applyRetention({ file: '/ws/etl.workflow.yaml', name: 'etl' }, 2), []);
  assert.deepEqual(tm.applyRetention({ name: 'other' }, 0), [], '0 keeps everything');
  // Matched by name when no file is given.
  assert.deepEqual(
    tm.applyRetention({ name: 'other' }, 1).sort(),
    [others[0]?.id, others[1]?.id].sort(),
  );
  // Even keep = 1 never deletes the running run.
  tm.applyRetention({ file: '/ws/etl.workflow.yaml', name: 'etl' }, 1);
  assert.ok(fs.existsSync(path.join(store, etl[0]?.id ?? '')));
});

// ------------------------------------------------------------------ interrupted runs

function runningRun(i: number, runner: RunRecord['runner']): RunRecord {
  return makeRun(i, {
    status: 'running',
    endedAt: null,
    wallMs: null,
    runner,
    tasks: [
      emptyTaskRun('extract', 'shell', {
        status: 'completed',
        durationMs: 700,
        cpuTimeMs: 650,
        peakRssBytes: 1 << 20,
      }),
      emptyTaskRun('transform', 'python', { status: 'retried', attempt: 1, cpuTimeMs: 10 }),
      emptyTaskRun('transform', 'python', { status: 'running', attempt: 2 }),
      emptyTaskRun('load', 'node', { status: 'pending' }),
    ],
  });
}

function assertInterrupted(rec: RunRecord, original: RunRecord): void {
  assert.equal(rec.status, 'interrupted');
  assert.ok(rec.endedAt && Date.parse(rec.endedAt) >= Date.parse(rec.startedAt));
  assert.ok(rec.wallMs !== null && rec.wallMs >= 0);
  assert.match(rec.reason ?? '', /runner stopped/);
  assert.deepEqual(
    rec.tasks.map((x) => [x.nodeId, x.status, x.reason]),
    [
      ['extract', 'completed', null],
      ['transform', 'retried', null],
      ['transform', 'cancelled', RUNNER_STOPPED],
      ['load', 'cancelled', RUNNER_STOPPED],
    ],
  );
  // Finished tasks keep their metrics.
  assert.deepEqual(rec.tasks[0], original.tasks[0]);
  assert.deepEqual(rec.tasks[1], original.tasks[1]);
}

test('a running run whose runner is dead lists and loads as interrupted, and is rewritten so', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const pid = await deadPid();
  const run = runningRun(0, { pid, host: os.hostname(), startedAtTicks: null });
  tm.createRun(run);

  const listed = tm.list();
  assert.deepEqual(listed.warnings, []);
  assert.equal(listed.runs[0]?.status, 'interrupted');
  assert.equal(listed.runs[0]?.taskCounts.cancelled, 2);
  assertInterrupted(readJson(path.join(store, run.id, 'run.json')), run);
  assertInterrupted(await tm.load(run.id), run);
  assert.equal(new RunStore(store).list().runs[0]?.status, 'interrupted');

  // load() alone (no list first) detects it too.
  const run2 = runningRun(1, { pid, host: os.hostname(), startedAtTicks: null });
  tm.createRun(run2);
  assertInterrupted(await new RunStore(store).load(run2.id), run2);
  assert.equal(readJson(path.join(store, run2.id, 'run.json')).status, 'interrupted');
  assert.equal(tm.list().runs.find((r) => r.id === run2.id)?.status, 'interrupted');

  // An interrupted run is finished: retention may delete it.
  assert.equal(tm.applyRetention({ name: 'etl', file: run.workflow.file }, 1).length, 1);
});

test('a running run whose runner is alive, or on another host, stays running', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const ownTicks = readStat(process.pid)?.startTicks ?? null;
  const live = runningRun(0, { pid: process.pid, host: os.hostname(), startedAtTicks: ownTicks });
  const liveNoTicks = runningRun(1, {
    pid: process.pid,
    host: os.hostname(),
    startedAtTicks: null,
  });
  const remote = runningRun(2, {
    pid: await deadPid(),
    host: `not-${os.hostname()}`,
    startedAtTicks: null,
  });
  for (const r of [live, liveNoTicks, remote]) tm.createRun(r);
  const listed = tm.list();
  assert.deepEqual(
    listed.runs.map((r) => r.status),
    ['running', 'running', 'running'],
  );
  for (const r of [live, liveNoTicks, remote]) {
    assert.equal((await tm.load(r.id)).status, 'running');
    assert.deepEqual(readJson(path.join(store, r.id, 'run.json')), r);
  }
});

test(
  'a reused pid (same pid, different start time) is recognised as a dead runner',
  { skip: process.platform !== 'linux' ? 'needs /proc' : false },
  async (t) => {
    const store = await tempStore(t);
    const tm = new RunStore(store);
    const ownTicks = readStat(process.pid)?.startTicks;
    assert.ok(ownTicks !== undefined);
    const run = runningRun(0, {
      pid: process.pid,
      host: os.hostname(),
      startedAtTicks: ownTicks + 1,
    });
    tm.createRun(run);
    assert.equal(tm.list().runs[0]?.status, 'interrupted');
  },
);

// ------------------------------------------------------------------ samples

test('samples are appended, flushed, streamed back; a torn last line is tolerated', async (t) => {
  const store = await tempStore(t);
  const { tm, warned } = collectingStore(store);
  const run = makeRun(0, { profile: true });
  tm.createRun(run);
  assert.deepEqual(await tm.readSamples(run.id), [], 'no samples file yet');

  const w = tm.samplesWriter(run.id);
  const all: Sample[] = [];
  for (let i = 0; i < 5000; i++) all.push(sample(i % 2 ? 'a' : 'b', i * 100));
  w.append(all.slice(0, 10));
  await w.flush();
  assert.equal(fs.readFileSync(tm.samplesPath(run.id), 'utf8').split('\n').length, 11);
  w.append(all.slice(10, 2500));
  w.append(all.slice(2500));
  await w.close();
  assert.equal(w.appended, 5000);
  assert.equal(w.dropped, 0);
  w.append(all.slice(0, 1)); // after close: dropped, not written
  assert.equal(w.dropped, 1);
  assert.deepEqual(await tm.readSamples(run.id), all);

  // A crash mid-write leaves a torn line.
  fs.appendFileSync(tm.samplesPath(run.id), '{"nodeId":"a","attempt":1,"t":5');
  const reader = tm.sampleReader(run.id);
  let n = 0;
  for await (const s of reader) {
    assert.ok(s.nodeId);
    n++;
  }
  assert.equal(n, 5000);
  assert.equal(reader.skipped, 1);
  assert.deepEqual(warned, [], 'a torn tail is expected after a crash: no warning');

  // Damage in the middle is skipped, counted and reported.
  const lines = fs.readFileSync(tm.samplesPath(run.id), 'utf8').split('\n');
  lines.splice(100, 0, 'garbage', '{"nodeId": 3}');
  fs.writeFileSync(tm.samplesPath(run.id), lines.join('\n'));
  const reader2 = tm.sampleReader(run.id);
  const got: Sample[] = [];
  for await (const s of reader2) got.push(s);
  assert.deepEqual(got, all);
  assert.equal(reader2.skipped, 3);
  assert.equal(warned.length, 1);
  assert.match(warned[0] ?? '', /skipped 2 malformed line/);

  await assert.rejects(tm.readSamples('20990101-000000-000-000000'), /no run/);
});

test('samples missing optional metrics read them as null', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0);
  tm.createRun(run);
  fs.writeFileSync(tm.samplesPath(run.id), '{"nodeId":"a","attempt":1,"t":0,"processes":1}\n');
  assert.deepEqual(await tm.readSamples(run.id), [
    {
      nodeId: 'a',
      attempt: 1,
      t: 0,
      cpuPercent: null,
      rssBytes: null,
      threads: null,
      processes: 1,
      readBytesPerSec: null,
      writeBytesPerSec: null,
    },
  ]);
});

// ------------------------------------------------------------------ compaction, concurrency, scale

test('the index is compacted when it holds many more lines than runs', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const run = makeRun(0, { status: 'running' });
  tm.createRun(run);
  for (let i = 0; i < 100; i++) {
    run.wallMs = i;
    tm.saveRun(run);
  }
  assert.equal(indexLines(store).length, 101);
  const listed = tm.list();
  assert.deepEqual(listed.warnings, []);
  assert.equal(listed.runs[0]?.wallMs, 99);
  assert.equal(indexLines(store).length, 1);
  assert.equal(new RunStore(store).list().runs[0]?.wallMs, 99);
  // The cache of the store object that compacted is still right.
  tm.saveRun({ ...run, wallMs: 100 });
  assert.equal(tm.list().runs[0]?.wallMs, 100);
});

test('concurrent writers in separate processes do not corrupt the index', async (t) => {
  const store = await tempStore(t);
  fs.mkdirSync(store, { recursive: true });
  const modulePath = path.join(__dirname, '../../src/store/runStore.js');
  const writers = 4;
  const perWriter = 40;
  const script = `
    const { RunStore } = require(${JSON.stringify(modulePath)});
    const os = require('node:os');
    const tm = new RunStore(${JSON.stringify(store)});
    const w = Number(process.argv[1]);
    for (let i = 0; i < ${perWriter}; i++) {
      const id = 'w' + w + '-' + String(i).padStart(3, '0');
      const rec = { schemaVersion: 1, id, status: 'running', runtime: 'local', maxParallel: 1,
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, w, i)).toISOString(), endedAt: null, wallMs: null,
        workflow: { name: 'wf' + w, file: '/ws/wf' + w + '.workflow.yaml', hash: 'h' },
        collector: { intervalMs: 100, platform: 'linux', mode: 'reaper', sources: [], overheadCpuMs: 0, ticks: 0, unavailable: [] },
        runner: { pid: process.pid, host: os.hostname(), startedAtTicks: null },
        profile: false, reason: null, tasks: [] };
      tm.createRun(rec);
      rec.status = 'completed'; rec.wallMs = i;
      tm.saveRun(rec);
      if (i % 10 === 0) tm.list();
    }`;
  const children = Array.from({ length: writers }, (_, w) =>
    spawn(process.execPath, ['-e', script, String(w)], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0] as number));
  assert.deepEqual(codes, Array(writers).fill(0));
  const listed = new RunStore(store).list();
  assert.deepEqual(listed.warnings, []);
  assert.equal(listed.runs.length, writers * perWriter);
  assert.ok(listed.runs.every((r) => r.status === 'completed'));
  // Every index line parses: no interleaved or torn appends.
  for (const line of indexLines(store)) JSON.parse(line);
});

test('1,000 runs list correctly (and quickly: see the printed time)', async (t) => {
  const store = await tempStore(t);
  const tm = new RunStore(store);
  const ids = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const r = makeRun(i, {
      workflow: { name: `wf${i % 7}`, file: `/ws/wf${i % 7}.workflow.yaml`, hash: 'h' },
    });
    tm.createRun(r);
    ids.add(r.id);
  }
  let started = performance.now();
  const cold = new RunStore(store).list();
  const coldMs = performance.now() - started;
  started = performance.now();
  const warm = tm.list();
  const warmMs = performance.now() - started;
  fs.rmSync(path.join(store, 'index.ndjson'));
  started = performance.now();
  const rebuilt = new RunStore(store).list();
  const rebuildMs = performance.now() - started;
  console.log(
    `list 1000 runs: ${coldMs.toFixed(1)} ms (new store object), ${warmMs.toFixed(1)} ms (warm), ` +
      `${rebuildMs.toFixed(1)} ms (index rebuilt from folders)`,
  );
  for (const listed of [cold, warm]) {
    assert.deepEqual(listed.warnings, []);
    assert.equal(listed.runs.length, 1000);
    assert.deepEqual(new Set(listed.runs.map((r) => r.id)), ids);
    const starts = listed.runs.map((r) => r.startedAt);
    assert.deepEqual(starts, [...starts].sort().reverse());
  }
  assert.equal(rebuilt.runs.length, 1000);
  assert.deepEqual(
    rebuilt.runs.map((r) => r.id),
    cold.runs.map((r) => r.id),
  );
});
