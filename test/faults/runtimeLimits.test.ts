/**
 * What a node hands on cannot kill the runner: output JSON nested too deep, an HTTP body nested
 * too deep, a concat merge of 200,000 items. The node at fault fails with a clear reason, the
 * run goes on under the usual failure rules, and the run is finished with a report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { RunRecord, TaskRun } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';

interface Ran {
  code: number | null;
  run: RunRecord;
  runDir: string;
  stderr: string;
}

/** Runs through the CLI; the run's own folder decides, so a crashed runner still shows. */
async function run(files: Record<string, string>, extra: string[] = []): Promise<Ran> {
  const dir = tempWorkspace(files);
  const store = path.join(dir, 'store');
  const r = await runCli(['run', 'w.workflow.yaml', '--store', store, '--no-samples', ...extra], {
    cwd: dir,
  });
  const runs = fs.existsSync(store) ? fs.readdirSync(store).filter((d) => !d.startsWith('.')) : [];
  const runDirs = runs
    .map((d) => path.join(store, d))
    .filter((d) => fs.existsSync(path.join(d, 'run.json')));
  assert.equal(runDirs.length, 1, `one run expected; stderr:\n${r.stderr}`);
  const runDir = runDirs[0] as string;
  const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  return { code: r.code, run: record, runDir, stderr: r.stderr };
}

function task(run: RunRecord, id: string): TaskRun {
  const t = run.tasks.filter((x) => x.nodeId === id).pop();
  if (!t) throw new Error(`no task ${id} in ${run.tasks.map((x) => x.nodeId).join(', ')}`);
  return t;
}

function assertFinished(r: Ran): void {
  assert.notEqual(r.run.status, 'running', `run left running; stderr:\n${r.stderr}`);
  assert.ok(fs.existsSync(path.join(r.runDir, 'report.md')), 'no report.md');
  assert.doesNotMatch(r.stderr, /RangeError|Maximum call stack/);
}

const DEEP = 5000;
const deepJson = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;

test('output JSON nested 5,000 deep fails that node; dependents skipped, the rest runs', async () => {
  const writer = `require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, ${JSON.stringify(deepJson)});`;
  const r = await run({
    'w.workflow.yaml': [
      'nodes:',
      `  deep: { type: node, code: ${JSON.stringify(writer)} }`,
      '  after: { type: shell, run: "true", needs: [deep] }',
      '  other: { type: shell, run: "true" }',
      '',
    ].join('\n'),
  });
  assertFinished(r);
  assert.equal(r.code, 1);
  assert.equal(r.run.status, 'failed');
  assert.equal(task(r.run, 'deep').status, 'failed');
  assert.match(task(r.run, 'deep').reason ?? '', /output JSON is nested deeper than 256 levels/);
  assert.equal(task(r.run, 'after').status, 'skipped');
  assert.equal(task(r.run, 'other').status, 'completed');
});

test('with continueOnError, deep output fails the node but not the run', async () => {
  const writer = `require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, ${JSON.stringify(deepJson)});`;
  const r = await run({
    'w.workflow.yaml': [
      'nodes:',
      `  deep: { type: node, code: ${JSON.stringify(writer)}, continueOnError: true }`,
      '  after: { type: shell, run: "true", needs: [deep] }',
      '',
    ].join('\n'),
  });
  assertFinished(r);
  assert.equal(task(r.run, 'deep').status, 'failed');
  assert.equal(r.run.status, 'completed');
  assert.equal(r.code, 0);
});

test('--max-output-depth and --max-output-size set the output limits', async () => {
  const nested = `${'['.repeat(20)}1${']'.repeat(20)}`;
  const writer = `require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, '{"v":${nested},"pad":"${'x'.repeat(2000)}"}');`;
  const files = {
    'w.workflow.yaml': `nodes:\n  n: { type: node, code: ${JSON.stringify(writer)} }\n`,
  };
  const ok = await run(files);
  assert.equal(task(ok.run, 'n').status, 'completed');
  const deep = await run(files, ['--max-output-depth', '10']);
  assertFinished(deep);
  assert.match(task(deep.run, 'n').reason ?? '', /nested deeper than 10 levels/);
  const big = await run(files, ['--max-output-size', '1K']);
  assertFinished(big);
  assert.equal(task(big.run, 'n').status, 'failed');
  assert.match(task(big.run, 'n').reason ?? '', /over the 1024-byte limit/);
});

test('an HTTP body nested 5,000 deep fails the http node, not the runner', async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const r = await run({
      'w.workflow.yaml': [
        'nodes:',
        `  get: { type: http, url: "http://127.0.0.1:${port}/" }`,
        '  after: { type: shell, run: "true", needs: [get] }',
        '',
      ].join('\n'),
    });
    assertFinished(r);
    assert.equal(r.run.status, 'failed');
    assert.equal(task(r.run, 'get').status, 'failed');
    assert.match(task(r.run, 'get').reason ?? '', /body JSON is nested deeper than 256 levels/);
    assert.equal(task(r.run, 'after').status, 'skipped');
  } finally {
    server.close();
  }
});

test('a concat merge of 200,000 items completes and hands them all on', async () => {
  const writer =
    "require('fs').writeFileSync(process.env.WORKFLOW_OUTPUT, JSON.stringify({ items: Array.from({ length: 200000 }, (_, i) => i) }));";
  const reader =
    "const fs = require('fs'); const i = JSON.parse(fs.readFileSync(process.env.WORKFLOW_INPUTS, 'utf8')); fs.writeFileSync(process.env.WORKFLOW_OUTPUT, JSON.stringify({ n: i.all.items.length }));";
  const r = await run({
    'w.workflow.yaml': [
      'nodes:',
      `  many: { type: node, code: ${JSON.stringify(writer)} }`,
      '  one: { type: shell, run: "true" }',
      '  all: { type: merge, mode: concat, needs: [many, one] }',
      `  count: { type: node, code: ${JSON.stringify(reader)}, needs: [all] }`,
      '',
    ].join('\n'),
  });
  assertFinished(r);
  assert.equal(r.run.status, 'completed', r.stderr);
  assert.equal(task(r.run, 'all').status, 'completed');
  const out = JSON.parse(fs.readFileSync(path.join(r.runDir, 'outputs', 'count.json'), 'utf8')) as {
    n: number;
  };
  // `one` wrote no output, so it adds nothing.
  assert.equal(out.n, 200000);
});
