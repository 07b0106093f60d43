/**
 * Running and profiling from the editor: the command resolves when the run ends, the run is stored
 * under the extension's storage with every node, and the CodeLens shows what each node cost.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, lensTitles, readRun, waitFor, workspaceUri, type RunCommandResult } from '../helpers';

const NODES = ['hello', 'count', 'total'];
/** The workflow-level lenses above the per-node ones. */
const TOP_LENSES = 4;
// e.g. `12.3 ms · 2.0 MiB · 94.5% CPU`: a duration, a size and a CPU share.
const COST = /^\d[\d.]* (ms|s) · \d[\d.]* (B|KiB|MiB|GiB) · \d[\d.]*% CPU$/;

suite('run and profile', () => {
  // A copy of its own, so no other suite has run it before "not run yet" is checked.
  const uri = workspaceUri('lens.workflow.yaml');

  suiteSetup(() => {
    fs.copyFileSync(workspaceUri('quick.workflow.yaml').fsPath, uri.fsPath);
  });
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('CodeLens before a run: Run | Profile | Profile Repeatedly | Compare, and "not run yet" above each node', async () => {
    await api();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const titles = await lensTitles(uri);
    assert.deepEqual(titles.slice(0, TOP_LENSES), [
      '$(play) Run',
      '$(pulse) Profile',
      '$(history) Profile Repeatedly…',
      '$(git-compare) Compare last runs',
    ]);
    assert.deepEqual(
      titles.slice(TOP_LENSES),
      NODES.map(() => 'not run yet'),
    );
  });

  test('workflowProfiler.run resolves completed with every node stored under storageUri', async () => {
    const store = (await api()).storeDir();
    const t0 = Date.now();
    const r = await vscode.commands.executeCommand<RunCommandResult>('workflowProfiler.run', uri);
    console.log(
      `      [run] lens.workflow.yaml ${r.status} in ${Date.now() - t0} ms (command to result)`,
    );
    assert.equal(r.status, 'completed');
    assert.ok(r.runId && r.runDir);
    assert.equal(path.dirname(r.runDir), store);
    const run = readRun(r.runDir);
    assert.equal(run.id, r.runId);
    assert.equal(run.status, 'completed');
    assert.equal(run.profile, false);
    assert.deepEqual(run.tasks.map((t) => t.nodeId).sort(), [...NODES].sort());
    for (const t of run.tasks) assert.equal(t.status, 'completed', t.nodeId);
    assert.ok(fs.existsSync(path.join(r.runDir, 'report.md')));
  });

  test('CodeLens after the run shows each node cost', async () => {
    const titles = await waitFor('CodeLens with costs', async () => {
      const t = await lensTitles(uri);
      return t.slice(TOP_LENSES).every((x) => x !== 'not run yet') ? t : undefined;
    });
    for (const title of titles.slice(TOP_LENSES)) assert.match(title, COST);
  });

  test('workflowProfiler.profile keeps samples; openReport opens the run report', async () => {
    const r = await vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.profile',
      uri,
    );
    assert.equal(r.status, 'completed');
    assert.ok(r.runDir && r.runId);
    assert.equal(readRun(r.runDir).profile, true);
    const report = await vscode.commands.executeCommand<vscode.Uri>(
      'workflowProfiler.openReport',
      r.runId,
    );
    assert.equal(report.fsPath, path.join(r.runDir, 'report.md'));
  });

  test('exportRun writes each format where it is told', async () => {
    const store = (await api()).storeDir();
    const id = fs
      .readdirSync(store)
      .filter((d) => /^\d{8}-/.test(d))
      .sort()
      .pop();
    assert.ok(id, 'a stored run');
    const out = path.join(path.dirname(store), 'export-test.trace.json');
    const target = await vscode.commands.executeCommand<vscode.Uri>(
      'workflowProfiler.exportRun',
      id,
      { format: 'chrome-trace', file: out },
    );
    assert.equal(target.fsPath, out);
    const trace = JSON.parse(fs.readFileSync(out, 'utf8')) as { traceEvents: { ph: string }[] };
    assert.ok(trace.traceEvents.some((e) => e.ph === 'X'));
  });
});
