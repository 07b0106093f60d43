/**
 * The CLI end to end on the bundled example, as the README shows it: `run` with the default store
 * in the current folder, then `list`, `show`, `report` and every `export` format by id prefix.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';

test('run the example with the default store, then list, show, report and export it', async () => {
  const dir = tempWorkspace({});
  fs.cpSync(path.join(repoRoot, 'examples'), path.join(dir, 'examples'), { recursive: true });

  const ran = await runCli(['run', 'examples/nightly-etl.workflow.yaml', '--json'], { cwd: dir });
  assert.equal(ran.code, 0, ran.stderr);
  const out = JSON.parse(ran.stdout) as { runId: string; runDir: string; status: string };
  assert.equal(out.status, 'completed');
  assert.equal(path.dirname(out.runDir), path.join(dir, '.workflow-runs'));
  const run = JSON.parse(fs.readFileSync(path.join(out.runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(run.id, out.runId);
  assert.ok(fs.existsSync(path.join(out.runDir, 'report.md')), 'report.md is written');
  for (const id of ['prepare', 'generate', 'aggregate', 'quality_gate', 'done', 'cleanup']) {
    assert.ok(
      run.tasks.some((t) => t.nodeId === id),
      `run.json has a TaskRun for ${id}`,
    );
  }

  const prefix = out.runId.slice(0, 10);
  const list = await runCli(['list', '--json'], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as { id: string; status: string }[];
  assert.deepEqual(
    listed.map((r) => [r.id, r.status]),
    [[out.runId, 'completed']],
  );
  const listText = await runCli(['list'], { cwd: dir });
  assert.match(listText.stdout, new RegExp(out.runId));

  const show = await runCli(['show', prefix], { cwd: dir });
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /generate/);

  const report = await runCli(['report', prefix], { cwd: dir });
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /^# /m);
  assert.match(report.stdout, /critical path/i);
  assert.match(report.stdout, /score\\?_customers/);

  const exported: Record<string, string> = {};
  for (const format of ['json', 'csv', 'chrome-trace']) {
    const file = path.join(dir, `export.${format}`);
    const r = await runCli(['export', prefix, '--format', format, '-o', file], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    exported[format] = fs.readFileSync(file, 'utf8');
  }
  assert.equal((JSON.parse(exported.json ?? '') as RunRecord).id, out.runId);
  const csvLines = (exported.csv ?? '').trim().split(/\r?\n/);
  assert.equal(csvLines.length, run.tasks.length + 1, 'one CSV row per TaskRun plus the header');
  const trace = JSON.parse(exported['chrome-trace'] ?? '') as { traceEvents: { ph: string }[] };
  assert.ok(trace.traceEvents.some((e) => e.ph === 'X'));

  // Stdout export without -o is the same document.
  const toStdout = await runCli(['export', prefix, '--format', 'json'], { cwd: dir });
  assert.equal(toStdout.stdout, exported.json);

  const unknown = await runCli(['show', 'zzz'], { cwd: dir });
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /zzz/);
});
