/**
 * The runtimes through the real CLI and runner process: real processes, real run folders.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { RunRecord, TaskRun } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';

interface Ran {
  code: number | null;
  run: RunRecord;
  runDir: string;
  stderr: string;
}

async function runWorkflow(dir: string, file: string, extra: string[] = []): Promise<Ran> {
  const r = await runCli(['run', file, '--store', path.join(dir, 'store'), '--json', ...extra], {
    cwd: dir,
  });
  let parsed: { runDir: string; status: string };
  try {
    parsed = JSON.parse(r.stdout) as { runDir: string; status: string };
  } catch {
    throw new Error(`stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  const run = JSON.parse(
    fs.readFileSync(path.join(parsed.runDir, 'run.json'), 'utf8'),
  ) as RunRecord;
  assert.equal(parsed.status, run.status);
  return { code: r.code, run, runDir: parsed.runDir, stderr: r.stderr };
}

const final = (run: RunRecord, id: string): TaskRun => {
  const list = run.tasks.filter((t) => t.nodeId === id);
  const t = list[list.length - 1];
  if (!t) throw new Error(`no TaskRun for ${id} in ${run.tasks.map((x) => x.nodeId).join(', ')}`);
  return t;
};

test('LocalRuntime runs one node at a time in dependency order', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: chain
runtime: local
nodes:
  c: { type: shell, run: "sleep 0.2", needs: [b] }
  a: { type: shell, run: "sleep 0.2" }
  b: { type: shell, run: "sleep 0.2", needs: [a] }
  d: { type: shell, run: "sleep 0.2" }
`,
  });
  const { code, run } = await runWorkflow(dir, 'w.workflow.yaml');
  assert.equal(code, 0);
  assert.equal(run.status, 'completed');
  const ordered = [...run.tasks].sort((x, y) => (x.startMs ?? 0) - (y.startMs ?? 0));
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1] as TaskRun;
    const cur = ordered[i] as TaskRun;
    assert.ok(
      (cur.startMs ?? 0) >= (prev.endMs ?? 0),
      `${cur.nodeId} started before ${prev.nodeId} ended`,
    );
  }
  const pos = (id: string): number => ordered.findIndex((t) => t.nodeId === id);
  assert.ok(pos('a') < pos('b') && pos('b') < pos('c'));
  // Wall time is the real elapsed time, not a sum: here they agree within scheduling overhead.
  assert.ok((run.wallMs ?? 0) >= 800 && (run.wallMs ?? 0) < 2500, `wall ${run.wallMs}`);
});

test('ParallelRuntime runs up to maxParallel at once and records queueing as waitMs', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: fan
runtime: parallel
maxParallel: 2
nodes:
  a: { type: shell, run: "sleep 0.5" }
  b: { type: shell, run: "sleep 0.5" }
  c: { type: shell, run: "sleep 0.5" }
`,
  });
  const { run } = await runWorkflow(dir, 'w.workflow.yaml');
  const events = run.tasks.flatMap((t) => [
    [t.startMs ?? 0, 1],
    [t.endMs ?? 0, -1],
  ]);
  events.sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number));
  let cur = 0;
  let max = 0;
  for (const [, d] of events) {
    cur += d as number;
    max = Math.max(max, cur);
  }
  assert.equal(max, 2, 'exactly two at once');
  const c = final(run, 'c');
  assert.ok((c.waitMs ?? 0) >= 400, `c queued for a slot: waitMs ${c.waitMs}`);
  assert.ok((final(run, 'a').waitMs ?? 1) < 50);
  for (const t of run.tasks)
    assert.ok(
      (t.durationMs ?? 0) >= 490 && (t.durationMs ?? 0) < 700,
      `${t.nodeId} ${t.durationMs}`,
    );
  assert.ok((run.wallMs ?? 0) < 1400, `wall ${run.wallMs} is not the sum of durations`);
});

test('a failed node skips its dependents while independent branches go on; continueOnError lets them run', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: fail
runtime: parallel
maxParallel: 2
nodes:
  bad: { type: shell, run: "exit 3" }
  after-bad: { type: shell, run: "true", needs: [bad] }
  soft: { type: shell, run: "exit 1", continueOnError: true }
  after-soft: { type: shell, run: "true", needs: [soft] }
  other: { type: shell, run: "sleep 0.3" }
`,
  });
  const { code, run } = await runWorkflow(dir, 'w.workflow.yaml');
  assert.equal(code, 1);
  assert.equal(run.status, 'failed');
  assert.equal(final(run, 'bad').status, 'failed');
  assert.equal(final(run, 'bad').exitCode, 3);
  assert.equal(final(run, 'after-bad').status, 'skipped');
  assert.match(final(run, 'after-bad').reason ?? '', /upstream `bad` failed/);
  assert.equal(final(run, 'soft').status, 'failed');
  assert.equal(final(run, 'after-soft').status, 'completed');
  assert.equal(final(run, 'other').status, 'completed');
});

test('each retry attempt is recorded', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: retry
nodes:
  flaky:
    type: shell
    retries: 2
    run: |
      n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
      echo "attempt $n"; [ $n -ge 2 ]
`,
  });
  const { code, run, runDir } = await runWorkflow(dir, 'w.workflow.yaml');
  assert.equal(code, 0);
  const attempts = run.tasks.filter((t) => t.nodeId === 'flaky');
  assert.deepEqual(
    attempts.map((t) => [t.attempt, t.status]),
    [
      [1, 'retried'],
      [2, 'completed'],
    ],
  );
  assert.equal(attempts[1]?.attempts, 2);
  assert.match(fs.readFileSync(path.join(runDir, 'logs', 'flaky.log'), 'utf8'), /attempt 1/);
  assert.match(
    fs.readFileSync(path.join(runDir, 'logs', 'flaky.attempt-2.log'), 'utf8'),
    /attempt 2/,
  );
});

test('switch routes to one branch, the other is skipped, merge combines, outputs flow through WORKFLOW_INPUTS', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: route
runtime: parallel
nodes:
  count:
    type: node
    code: |
      require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, JSON.stringify({ rows: 42, _metrics: { rows: 42, ratio: 0.5 } }))
  side:
    type: python
    code: |
      import json, os
      json.dump({"items": [1, 2]}, open(os.environ["WORKFLOW_OUTPUT"], "w"))
  check: { type: switch, needs: [count], on: "count.outputs.rows > 10", then: [big], else: [small] }
  big:
    type: shell
    run: 'cat "$WORKFLOW_INPUTS" > seen-inputs.json; echo "{\\"size\\": \\"big\\", \\"items\\": [3]}" > "$WORKFLOW_OUTPUT"'
  small: { type: shell, run: 'echo small' }
  join: { type: merge, needs: [big, small, side], mode: concat }
  report:
    type: node
    needs: [join]
    code: |
      const fs = require('fs');
      const inputs = JSON.parse(fs.readFileSync(process.env.WORKFLOW_INPUTS, 'utf8'));
      fs.writeFileSync('merged.json', JSON.stringify(inputs));
`,
  });
  const { code, run } = await runWorkflow(dir, 'w.workflow.yaml');
  assert.equal(code, 0, JSON.stringify(run.tasks.map((t) => [t.nodeId, t.status, t.reason])));
  assert.equal(final(run, 'big').status, 'completed');
  assert.equal(final(run, 'small').status, 'skipped');
  assert.match(final(run, 'small').reason ?? '', /switch `check` took `then`/);
  assert.deepEqual(final(run, 'count').custom, { rows: 42, ratio: 0.5 });
  const seen = JSON.parse(fs.readFileSync(path.join(dir, 'seen-inputs.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.deepEqual(seen['check'], { branch: 'then', value: true });
  const merged = JSON.parse(fs.readFileSync(path.join(dir, 'merged.json'), 'utf8')) as {
    join: { items: number[] };
  };
  assert.deepEqual(merged.join.items.sort(), [1, 2, 3]);
});

test('an http node against a local server records status, bytes and its phases', async () => {
  const body = JSON.stringify({ ok: true, pad: 'x'.repeat(10_000) });
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body);
    }, 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const dir = tempWorkspace({
      'w.workflow.yaml': `name: http
runtime: parallel
nodes:
  get: { type: http, url: "http://localhost:${port}/data", method: GET }
  missing: { type: http, url: "http://localhost:${port}/missing" }
`,
    });
    const { run } = await runWorkflow(dir, 'w.workflow.yaml');
    const get = final(run, 'get');
    assert.equal(get.status, 'completed');
    assert.ok(get.http);
    assert.equal(get.http.status, 200);
    assert.equal(get.http.bytes, Buffer.byteLength(body));
    for (const k of ['dnsMs', 'connectMs', 'firstByteMs', 'downloadMs'] as const) {
      assert.equal(typeof get.http[k], 'number', `${k} measured`);
    }
    assert.ok(
      (get.http.firstByteMs ?? 0) >= 45,
      `first byte waits for the server's 50 ms: ${get.http.firstByteMs}`,
    );
    assert.ok(get.http.totalMs >= (get.http.firstByteMs ?? 0));
    assert.equal(
      get.cpuTimeMs,
      null,
      'an in-runner node has no process of its own: not measured, not 0',
    );
    const missing = final(run, 'missing');
    assert.equal(missing.status, 'failed');
    assert.equal(missing.http?.status, 404);
  } finally {
    server.close();
  }
});

test('a workflow node runs a nested file and its TaskRuns are recorded under it', async () => {
  const dir = tempWorkspace({
    'main.workflow.yaml': `name: outer
nodes:
  prep: { type: shell, run: "true" }
  inner: { type: workflow, file: sub/inner.workflow.yaml, needs: [prep] }
`,
    'sub/inner.workflow.yaml': `name: inner
runtime: parallel
nodes:
  x: { type: shell, run: "sleep 0.1" }
  y: { type: shell, run: "sleep 0.1" }
`,
  });
  const { code, run } = await runWorkflow(dir, 'main.workflow.yaml');
  assert.equal(code, 0);
  const nested = run.tasks.filter((t) => t.parentId === 'inner');
  assert.deepEqual(nested.map((t) => t.nodeId).sort(), ['inner/x', 'inner/y']);
  const inner = final(run, 'inner');
  assert.equal(inner.status, 'completed');
  for (const t of nested) {
    assert.ok((t.startMs ?? 0) >= (inner.startMs ?? 0) && (t.endMs ?? 0) <= (inner.endMs ?? 0));
  }
});

test('a secret in the environment never lands in logs or the run record', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: secret
nodes:
  leak: { type: shell, run: 'echo "token=$API_TOKEN and $DB_PASSWORD"', env: { DB_PASSWORD: "correct-horse-battery" } }
`,
  });
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env: { API_TOKEN: 'tok-1234567890' },
  });
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const log = fs.readFileSync(path.join(runDir, 'logs', 'leak.log'), 'utf8');
  assert.equal(log.trim(), 'token=*** and ***');
  for (const f of ['run.json', 'report.md']) {
    const text = fs.readFileSync(path.join(runDir, f), 'utf8');
    assert.ok(!text.includes('tok-1234567890') && !text.includes('correct-horse-battery'), f);
  }
});

test('large output streams to the log file whole', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `name: loud
nodes:
  loud: { type: shell, run: "head -c 20000000 /dev/zero | tr '\\\\0' 'x'" }
`,
  });
  const { run, runDir } = await runWorkflow(dir, 'w.workflow.yaml');
  assert.equal(run.status, 'completed');
  assert.equal(fs.statSync(path.join(runDir, 'logs', 'loud.log')).size, 20_000_000);
});
