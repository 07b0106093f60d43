/**
 * The linux-x64 package as a user installs it: VS Code installed the .vsix into a fresh
 * extensions folder (scripts/vscode/run-tests.mjs --install), and the only development extension
 * is a driver with no code. These tests drive that installed Workflow Profiler through its
 * commands and the API its activate() returns: it is loaded from the install, activates, runs a
 * workflow to `completed` with the reaper it ships, and its dashboard draws.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  api,
  extension,
  nextRender,
  readRun,
  workspaceUri,
  type RunCommandResult,
} from '../helpers';

/** This file runs as out/vscode-test/test/vscode/installed/*.js in the repository. */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const NODES = ['count', 'hello', 'total'];
// A plain run keeps no samples: every chart but "over time".
const CHARTS = ['timeline', 'resources', 'radar', 'io', 'heatmap'];

/** The part of run.json's collector block these tests read (src/model/run.ts). */
interface StoredCollector {
  collector: { mode: string; reaper?: { used: boolean; fallbackReason: string | null } };
}

function installedPath(): string {
  const dir = process.env.WORKFLOW_PROFILER_TEST_INSTALLED_PATH;
  assert.ok(
    dir,
    'WORKFLOW_PROFILER_TEST_INSTALLED_PATH is not set: run this suite with scripts/vscode/run-tests.mjs --install PACKAGE',
  );
  return fs.realpathSync(dir);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

suite('installed package', () => {
  let runId: string | undefined;

  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('Workflow Profiler is loaded from the installed package, not from the repository', () => {
    const repoManifest = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
    ) as { name: string; version: string };
    assert.equal(repoManifest.name, 'workflow-profiler', `${repoRoot} is the repository`);
    const ext = extension();
    const loadedFrom = fs.realpathSync(ext.extensionPath);
    console.log(`      [installed] ${EXTENSION_ID} loaded from ${loadedFrom}`);
    assert.equal(loadedFrom, installedPath());
    assert.ok(!isInside(loadedFrom, repoRoot), `${loadedFrom} is inside ${repoRoot}`);
    assert.equal(
      path.basename(loadedFrom),
      `${EXTENSION_ID}-${repoManifest.version}`,
      'the folder VS Code names after the installed id and version',
    );
    assert.equal((ext.packageJSON as { version: string }).version, repoManifest.version);
    // The package's own files: its target, and the static reaper with its executable bit kept.
    const target = JSON.parse(
      fs.readFileSync(path.join(loadedFrom, 'dist', 'target.json'), 'utf8'),
    ) as { target: string };
    assert.equal(target.target, 'linux-x64');
    const reaper = fs.statSync(path.join(loadedFrom, 'dist', 'wp-reaper'));
    assert.ok((reaper.mode & 0o111) !== 0, 'dist/wp-reaper is executable');
  });

  test('activates, and every contributed command is registered', async () => {
    const a = await api();
    assert.equal(extension().isActive, true);
    console.log(`      [installed] activate() body took ${a.activationMs.toFixed(1)} ms`);
    const contributed = (
      extension().packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 9, `${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('a run resolves completed, every node measured by the packaged reaper', async () => {
    const store = (await api()).storeDir();
    const t0 = Date.now();
    const r = await vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.run',
      workspaceUri('quick.workflow.yaml'),
    );
    console.log(`      [installed] quick.workflow.yaml ${r.status} in ${Date.now() - t0} ms`);
    assert.equal(r.status, 'completed');
    assert.ok(r.runId && r.runDir);
    assert.equal(path.dirname(r.runDir), store);
    const run = readRun(r.runDir);
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.tasks.map((t) => t.nodeId).sort(), NODES);
    for (const t of run.tasks) assert.equal(t.status, 'completed', t.nodeId);
    const { collector } = JSON.parse(
      fs.readFileSync(path.join(r.runDir, 'run.json'), 'utf8'),
    ) as StoredCollector;
    assert.equal(
      collector.reaper?.used,
      true,
      `the reaper was not used: ${collector.reaper?.fallbackReason ?? 'no reaper block'}`,
    );
    assert.equal(collector.mode, 'reaper');
    runId = r.runId;
  });

  test('the dashboard of that run opens and draws', async () => {
    assert.ok(runId, 'the run of the test above');
    const a = await api();
    const drawn = nextRender(a, (x) => x.kind === 'dashboard' && x.id === runId);
    await vscode.commands.executeCommand('workflowProfiler.openDashboard', runId);
    const done = await drawn;
    console.log(
      `      [installed] dashboard drew ${done.charts.join(', ')} in ${done.ms.toFixed(0)} ms`,
    );
    for (const c of CHARTS) assert.ok(done.charts.includes(c), `${c} in ${done.charts.join(', ')}`);
  });
});
