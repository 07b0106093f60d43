/** The runner is a forked process speaking typed events; the caller never blocks on the run. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { startRun } from '../../src/runtime/runnerClient';
import type { RunnerEvent } from '../../src/protocol/runner';
import type { Sample } from '../../src/model/run';
import { RunStore } from '../../src/store/runStore';
import { pidAlive, requireBuilt, tempWorkspace } from '../helpers/cli';
import { distDir } from '../helpers/paths';

test('events arrive in order over IPC while the caller keeps running', async () => {
  requireBuilt();
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: ipc
runtime: parallel
nodes:
  talk: { type: shell, run: "for i in 1 2 3; do echo line $i; sleep 0.2; done" }
  burn: { type: node, code: "const t=Date.now(); while (Date.now()-t < 600) {}" }
  after: { type: shell, run: "true", needs: [talk, burn] }
`,
  });
  const events: RunnerEvent[] = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 50);
  const handle = startRun(
    {
      file: path.join(dir, 'w.workflow.yaml'),
      intervalMs: 100,
      storeDir: path.join(dir, 'store'),
      profile: true,
      forwardLogs: true,
    },
    { onEvent: (e) => events.push(e), runnerPath: path.join(distDir, 'runner.js') },
  );
  assert.ok(handle.pid && handle.pid !== process.pid, 'a separate runner process');
  const result = await handle.result;
  clearInterval(timer);
  assert.equal(result.status, 'completed', result.error ?? '');
  assert.ok(ticks >= 10, `the caller's event loop kept turning during the run (${ticks} ticks)`);

  const types = events.map((e) => e.type);
  assert.equal(types[0], 'run-started');
  assert.equal(types[types.length - 1], 'run-finished');
  assert.ok(types.includes('samples'), 'samples streamed');
  const logText = events
    .filter((e): e is Extract<RunnerEvent, { type: 'log' }> => e.type === 'log')
    .map((e) => e.text)
    .join('');
  assert.match(logText, /line 1\nline 2\nline 3/);
  const started = events
    .filter((e) => e.type === 'task-started')
    .map((e) => (e.type === 'task-started' ? e.task.nodeId : ''));
  const finished = events
    .filter((e) => e.type === 'task-finished')
    .map((e) => (e.type === 'task-finished' ? e.task.nodeId : ''));
  assert.deepEqual(started.sort(), ['after', 'burn', 'talk']);
  assert.deepEqual(finished.sort(), ['after', 'burn', 'talk']);
  const at = (type: string, id: string): number =>
    events.findIndex((e) => e.type === type && 'task' in e && e.task.nodeId === id);
  assert.ok(at('task-started', 'after') > at('task-finished', 'talk'), 'after waits for talk');
  assert.ok(at('task-started', 'after') > at('task-finished', 'burn'), 'after waits for burn');
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(!pidAlive(handle.pid), 'the runner exits when the run is done');
});

test('cancel() over IPC ends the run as cancelled', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: long
nodes:
  long: { type: shell, run: "sleep 30" }
`,
  });
  const handle = startRun(
    {
      file: path.join(dir, 'w.workflow.yaml'),
      intervalMs: 100,
      storeDir: path.join(dir, 'store'),
      profile: false,
      forwardLogs: false,
    },
    {
      runnerPath: path.join(distDir, 'runner.js'),
      onEvent: (e) => {
        if (e.type === 'task-started') handle.cancel('test cancel');
      },
    },
  );
  const t0 = Date.now();
  const result = await handle.result;
  assert.equal(result.status, 'cancelled');
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(result.run?.tasks[0]?.status, 'cancelled');
});

test('a large run-finished event is delivered before the runner disconnects', async () => {
  // run-finished carries the whole record; far over a pipe's buffer, its write completes
  // asynchronously, and a disconnect right after send() used to drop it (status "interrupted").
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: big
nodes:
  wide:
    type: node
    code: >-
      const m = {}; for (let i = 0; i < 40000; i++) m['metric_' + i] = i;
      require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, JSON.stringify({ _metrics: m }))
`,
  });
  const events: string[] = [];
  const handle = startRun(
    {
      file: path.join(dir, 'w.workflow.yaml'),
      intervalMs: 100,
      storeDir: path.join(dir, 'store'),
      profile: false,
      forwardLogs: false,
    },
    { runnerPath: path.join(distDir, 'runner.js'), onEvent: (e) => events.push(e.type) },
  );
  const result = await handle.result;
  assert.equal(result.status, 'completed', result.error ?? '');
  assert.equal(events[events.length - 1], 'run-finished');
  assert.equal(Object.keys(result.run?.tasks[0]?.custom ?? {}).length, 40000);
});

test('live samples arrive batched, and together are exactly the stored samples, in order', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: batched
runtime: parallel
nodes:
  a: { type: shell, run: "sleep 1.5" }
  b: { type: shell, run: "sleep 0.3; sleep 1" }
  c: { type: node, code: "const t=Date.now(); while (Date.now()-t < 1200) {}" }
`,
  });
  const live: Sample[] = [];
  let batches = 0;
  let flushed = false;
  const handle = startRun(
    {
      file: path.join(dir, 'w.workflow.yaml'),
      intervalMs: 20,
      storeDir: path.join(dir, 'store'),
      profile: true,
      forwardLogs: false,
    },
    {
      runnerPath: path.join(distDir, 'runner.js'),
      onEvent: (e) => {
        if (e.type === 'task-started' && !flushed) {
          // What a live panel opening does: harmless at any moment, whether samples are held or not.
          flushed = true;
          handle.flushSamples();
        }
        if (e.type !== 'samples') return;
        batches++;
        live.push(...e.samples);
      },
    },
  );
  const result = await handle.result;
  assert.equal(result.status, 'completed', result.error ?? '');
  const ticks = result.run?.collector.ticks ?? 0;
  const stored = await new RunStore(path.join(dir, 'store')).readSamples(result.runId ?? '');
  assert.ok(stored.length > 0, 'samples were stored');
  assert.deepEqual(live, stored, 'the live samples are the stored ones, none lost or reordered');
  // Per node: the same peaks a sample per tick would show.
  for (const id of ['a', 'b', 'c']) {
    const peak = (xs: Sample[]): number =>
      Math.max(...xs.filter((s) => s.nodeId === id).map((s) => s.rssBytes ?? 0));
    assert.equal(peak(live), peak(stored), `peak rss of ${id}`);
  }
  // About a batch per 500 ms, not one per tick (a tick every 20 ms).
  assert.ok(ticks >= 20, `${ticks} ticks`);
  assert.ok(batches * 4 < ticks, `${batches} batches for ${ticks} ticks`);
});
