/**
 * The memory forecast before a CLI run, with real runs: the first run of a workflow has nothing to
 * forecast from; the next ones replay it with their slots. Over --memory-limit the run warns on
 * stderr in one line and still completes; under it, no warning. run.json keeps the forecast.
 * Two `spike` nodes (test/fixtures/spike.c) each touch 64 MiB and hold it, side by side.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { formatBytes } from '../../src/model/format';
import { runCli, tempWorkspace, type CliResult } from '../helpers/cli';
import { fixture } from '../fixtures/harness';

const MiB = 1024 * 1024;

function workflow(spike: string): string {
  const node = `{ type: shell, run: "${spike} 64 700 0 -" }`;
  return `name: twins\nruntime: parallel\nmaxParallel: 2\nnodes:\n  left: ${node}\n  right: ${node}\n`;
}

async function run(dir: string, extra: string[]): Promise<{ r: CliResult; run: RunRecord }> {
  const r = await runCli(
    ['run', 'twins.workflow.yaml', '--store', path.join(dir, 'store'), '--json', ...extra],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'completed');
  return { r, run: record };
}

/** The report's "Memory forecast" row, as printed. */
function reportRow(dir: string, id: string): string {
  const md = fs.readFileSync(path.join(dir, 'store', id, 'report.md'), 'utf8');
  return md.split('\n').find((l) => l.startsWith('| Memory forecast |')) ?? '';
}

test('memory forecast: none on a first run, a warning over --memory-limit, none under it', async () => {
  const dir = tempWorkspace({ 'twins.workflow.yaml': workflow(fixture('spike')) });

  const first = await run(dir, []);
  assert.equal(first.run.memoryForecast, null, 'no earlier completed run: no forecast');
  assert.doesNotMatch(first.r.stderr, /memory forecast/);

  // Below the forecast (two 64 MiB nodes at once): the warning, and the run still completes.
  const low = await run(dir, ['--memory-limit', '100M']);
  const f = low.run.memoryForecast;
  assert.ok(f, 'run.json holds the forecast');
  assert.equal(f.basedOnRunId, first.run.id);
  assert.equal(f.maxParallel, 2);
  assert.equal(f.limitBytes, 100 * MiB);
  assert.ok(f.peakRssBytes !== null && f.peakRssBytes > 128 * MiB, String(f.peakRssBytes));
  const warnings = low.r.stderr.split('\n').filter((l) => l.includes('memory forecast'));
  assert.equal(warnings.length, 1, low.r.stderr);
  const line = warnings[0] ?? '';
  assert.match(
    line,
    /^warning: memory forecast \d+\.\d MiB at maxParallel 2 exceeds the limit 100\.0 MiB \(--memory-limit 100\.0 MiB; available memory /,
  );
  assert.ok(line.includes(`based on run ${first.run.id}`), line);
  assert.match(line, /maxParallel 1 fits \(forecast \d+\.\d MiB\)$/);
  const row = reportRow(dir, low.run.id);
  assert.match(
    row,
    /forecast \d+\.\d MiB \(from run .+, maxParallel 2\) \(over the limit of 100\.0 MiB\), actual \d+\.\d MiB/,
  );

  // Above it: no warning; the forecast is still recorded, from the run just before.
  const high = await run(dir, ['--memory-limit', '1.5GiB']);
  assert.doesNotMatch(high.r.stderr, /memory forecast/);
  const g = high.run.memoryForecast;
  assert.ok(g);
  assert.equal(g.basedOnRunId, low.run.id);
  assert.ok(g.limitBytes !== null && g.limitBytes <= 1.5 * 1024 * MiB);
  console.log(
    `forecast ${formatBytes(f.peakRssBytes)} (from ${first.run.id}); report: ${row}\n` +
      `forecast ${formatBytes(g.peakRssBytes)} (from ${low.run.id}); report: ${reportRow(dir, high.run.id)}`,
  );
});

test('--memory-limit with a bad size is a one-line usage error naming the flag and value', async () => {
  const dir = tempWorkspace({ 'twins.workflow.yaml': workflow('true') });
  const r = await runCli(['run', 'twins.workflow.yaml', '--memory-limit', '2 lots'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'workflow-profiler: --memory-limit must be a size such as 512M, 2G, 1.5GiB or a number of bytes, not "2 lots"\n' +
      "Run 'workflow-profiler run --help' for usage.\n",
  );
  assert.equal(fs.existsSync(path.join(dir, '.workflow-runs')), false, 'nothing ran');
});
