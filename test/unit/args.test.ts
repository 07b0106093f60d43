import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args';

test('run takes a file and the documented options', () => {
  const a = parseArgs([
    'run',
    'x.workflow.yaml',
    '--runtime',
    'parallel',
    '--max-parallel=3',
    '--interval',
    '50',
    '--store',
    's',
    '--json',
  ]);
  assert.equal(a.command, 'run');
  assert.equal(a.target, 'x.workflow.yaml');
  assert.equal(a.runtime, 'parallel');
  assert.equal(a.maxParallel, 3);
  assert.equal(a.intervalMs, 50);
  assert.equal(a.store, 's');
  assert.equal(a.json, true);
});

test('defaults: store .workflow-runs, 100 ms interval, samples kept', () => {
  const a = parseArgs(['list']);
  assert.equal(a.store, '.workflow-runs');
  assert.equal(a.intervalMs, 100);
  assert.equal(a.samples, true);
});

test('bad usage is a UsageError naming what is wrong', () => {
  assert.throws(
    () => parseArgs(['run']),
    (e: unknown) => e instanceof UsageError && /needs a workflow FILE/.test(e.message),
  );
  assert.throws(
    () => parseArgs(['run', 'f', '--runtime', 'fast']),
    /--runtime must be local, parallel or slurm/,
  );
  assert.throws(() => parseArgs(['run', 'f', '--max-parallel', '0']), /at least 1/);
  assert.throws(() => parseArgs(['export', 'r']), /--format/);
  assert.throws(() => parseArgs(['export', 'r', '--format', 'xml']), /json, csv or chrome-trace/);
  assert.throws(() => parseArgs(['frobnicate']), /unknown command/);
  assert.throws(() => parseArgs(['list', '--wat']), /unknown option --wat/);
  assert.throws(() => parseArgs(['run', 'f', '--store']), /--store needs a value/);
  assert.throws(() => parseArgs(['list', 'extra']), /unexpected argument/);
});

test('export takes --format and -o', () => {
  const a = parseArgs(['export', 'abc', '--format', 'chrome-trace', '-o', 't.json']);
  assert.equal(a.format, 'chrome-trace');
  assert.equal(a.output, 't.json');
});
