/**
 * Files the validator used to accept (or choke on) that then crashed or swamped the run: each
 * is now an error at FILE:LINE:COL, exit 2, found quickly and without forking a runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempWorkspace, type CliResult } from '../helpers/cli';
import { parseWorkflowText } from '../../src/workflow/parse';

const STACK = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

interface Timed extends CliResult {
  ms: number;
  file: string;
  store: string;
}

async function runFile(
  files: Record<string, string>,
  main: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Timed> {
  const dir = tempWorkspace(files);
  const store = path.join(dir, 'store');
  const t0 = Date.now();
  const r = await runCli(['run', main, '--store', store, '--no-samples'], { cwd: dir, env });
  return { ...r, ms: Date.now() - t0, file: path.join(dir, main), store };
}

/** Exit 2, every stderr line located in `file`, one of them matching `message`, no run made. */
function assertInvalid(r: Timed, message: RegExp, file = r.file): void {
  assert.doesNotMatch(r.stderr, STACK, r.stderr.slice(0, 1500));
  assert.equal(r.code, 2, r.stderr.slice(0, 1500));
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0);
  for (const l of lines) assert.match(l.slice(0, 2000), /^.+:\d+:\d+: (error|warning): \S/);
  assert.ok(
    lines.some((l) => l.startsWith(`${file}:`) && message.test(l)),
    `no located line matching ${String(message)}:\n${r.stderr.slice(0, 1500)}`,
  );
  // Invalid files never start: no run folder at all.
  assert.equal(fs.existsSync(r.store) ? fs.readdirSync(r.store).length : 0, 0);
}

test('a node id of 300 characters is an error at the id', async () => {
  const id = `n${'x'.repeat(299)}`;
  const r = await runFile(
    { 'w.workflow.yaml': `nodes:\n  ${id}:\n    type: shell\n    run: "true"\n` },
    'w.workflow.yaml',
  );
  assertInvalid(r, /:2:3: error: .*longer than 128 characters/);
});

test('an HTTP header value with CR/LF is an error at the value', async () => {
  const r = await runFile(
    {
      'w.workflow.yaml': [
        'nodes:',
        '  get:',
        '    type: http',
        '    url: http://127.0.0.1:9/',
        '    headers:',
        '      X-Ok: fine',
        '      X-Bad: "a\\r\\nX-Injected: 1"',
        '',
      ].join('\n'),
    },
    'w.workflow.yaml',
  );
  assertInvalid(r, /:7:14: error: .*CR, LF or NUL/);
});

for (const huge of ['9007199254740991', '100000000']) {
  test(`maxParallel: ${huge} is an error at the value, found at once`, async () => {
    const r = await runFile(
      {
        'w.workflow.yaml': `runtime: parallel\nmaxParallel: ${huge}\nnodes:\n  a: { type: shell, run: "true" }\n`,
      },
      'w.workflow.yaml',
    );
    assertInvalid(r, /:2:14: error: `maxParallel` must be .*1024/);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });
}

test('--max-parallel above 1024 is a usage error', async () => {
  const r = await runFile(
    { 'w.workflow.yaml': 'nodes:\n  a: { type: shell, run: "true" }\n' },
    'w.workflow.yaml',
  );
  assert.equal(r.code, 0, r.stderr);
  const dir = path.dirname(r.file);
  const big = await runCli(['run', r.file, '--store', r.store, '--max-parallel', '100000000'], {
    cwd: dir,
  });
  assert.equal(big.code, 2);
  assert.match(big.stderr, /--max-parallel must be .*1024/);
});

test('a needs cycle of 5,000 nodes is exit 2 with a position, no stack trace', async () => {
  const n = 5000;
  const lines = ['nodes:'];
  for (let i = 0; i < n; i++)
    lines.push(`  n${i}: { type: shell, run: "true", needs: [n${(i + 1) % n}] }`);
  const r = await runFile({ 'w.workflow.yaml': `${lines.join('\n')}\n` }, 'w.workflow.yaml');
  assertInvalid(r, /:\d+:\d+: error: dependency cycle: n0 -> n1 -> .*5000 nodes/);
  // The message names the cycle without listing 5,000 ids.
  assert.ok(r.stderr.length < 2000, `stderr is ${r.stderr.length} characters`);
});

test('a 10 MB unknown type value: parseWorkflowText under 200 ms, message truncated', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const text = `nodes:\n  a:\n    type: ${big}\n    run: "true"\n`;
  parseWorkflowText(text.slice(0, 1000), 'warm.workflow.yaml'); // load and compile the parser
  // The best of three: the cost of the parse, not of whatever else the machine is doing.
  let ms = Infinity;
  let outcome = parseWorkflowText('', 'big.workflow.yaml');
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    outcome = parseWorkflowText(text, 'big.workflow.yaml');
    ms = Math.min(ms, performance.now() - t0);
  }
  assert.equal(outcome.workflow, null);
  const p = outcome.problems.find((x) => /unknown node type/.test(x.message));
  assert.ok(p, JSON.stringify(outcome.problems).slice(0, 500));
  assert.deepEqual(p.range.start, { line: 3, col: 11 });
  assert.ok(p.message.length < 300, `message is ${p.message.length} characters`);
  assert.match(p.message, /`x{80}…`/);
  console.log(`parseWorkflowText, 10 MB type value: ${ms.toFixed(0)} ms`);
  assert.ok(ms < 200, `took ${ms.toFixed(0)} ms`);
});

test('a nested expansion bomb is exit 2 at the root, quickly, in little memory', async () => {
  const files: Record<string, string> = {};
  const depth = 15;
  for (let i = 0; i < depth; i++) {
    const next = `w${i + 1}.workflow.yaml`;
    files[`w${i}.workflow.yaml`] =
      i === depth - 1
        ? 'nodes:\n  a: { type: shell, run: "true" }\n  b: { type: shell, run: "true" }\n'
        : `nodes:\n  a: { type: workflow, file: ${next} }\n  b: { type: workflow, file: ${next} }\n`;
  }
  // A heap of 64 MB: expanding 65,000 tasks would not fit, checking the files does.
  const r = await runFile(files, 'w0.workflow.yaml', {
    NODE_OPTIONS: '--max-old-space-size=64',
  });
  assertInvalid(r, /:2:3: error: .*expands to \d+ nodes.*over the limit of 10000/);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  console.log(`expansion bomb rejected in ${r.ms} ms`);
});

test('--max-nodes lowers the expansion limit', async () => {
  const files = {
    'w.workflow.yaml': 'nodes:\n  a: { type: workflow, file: c.workflow.yaml }\n',
    'c.workflow.yaml':
      'nodes:\n  x: { type: shell, run: "true" }\n  y: { type: shell, run: "true" }\n',
  };
  const dir = tempWorkspace(files);
  const store = path.join(dir, 'store');
  const ok = await runCli(['run', 'w.workflow.yaml', '--store', store, '--max-nodes', '3'], {
    cwd: dir,
  });
  assert.equal(ok.code, 0, ok.stderr);
  const r = await runCli(['run', 'w.workflow.yaml', '--store', store, '--max-nodes', '2'], {
    cwd: dir,
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /w\.workflow\.yaml:2:3: error: .*expands to 3 nodes.*limit of 2/);
});

test('a quoted value with CR/LF stays on its one located line', async () => {
  const r = await runFile(
    {
      'w.workflow.yaml':
        'nodes:\n  a: { type: shell, run: "true", needs: "b\\r\\nX-Injected: 1\\u001b[31m" }\n',
    },
    'w.workflow.yaml',
  );
  assertInvalid(r, /:2:41: error: `needs` names `b\\r\\nX-Injected: 1\\u001b\[31m`/);
});

test('nested ids too long for a file name are an error at the workflow node', async () => {
  const a = 'a'.repeat(128);
  const b = 'b'.repeat(128);
  const r = await runFile(
    {
      'w.workflow.yaml': `nodes:\n  ok: { type: shell, run: "true" }\n  ${a}: { type: workflow, file: c.workflow.yaml }\n`,
      'c.workflow.yaml': `nodes:\n  ${b}: { type: shell, run: "true" }\n`,
    },
    'w.workflow.yaml',
  );
  assertInvalid(r, /:3:3: error: .*nested node id .* is 258 characters as a file name, over 200/);
});
