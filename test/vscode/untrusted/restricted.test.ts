/**
 * Restricted Mode: stored runs and reports stay viewable; Run and Profile are refused (with a
 * message that explains Workspace Trust) and nothing starts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, extension, waitFor, workspaceUri, type RunCommandResult } from '../helpers';

function storedRuns(store: string): string[] {
  return fs.existsSync(store) ? fs.readdirSync(store).filter((d) => /^\d{8}-/.test(d)) : [];
}

suite('untrusted workspace', () => {
  test('the workspace is in Restricted Mode and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await api();
    assert.equal(extension().isActive, true);
  });

  for (const command of ['workflowProfiler.run', 'workflowProfiler.profile']) {
    test(`${command} is refused and starts nothing`, async () => {
      const store = (await api()).storeDir();
      const before = storedRuns(store);
      const r = await vscode.commands.executeCommand<RunCommandResult>(
        command,
        workspaceUri('quick.workflow.yaml'),
      );
      assert.deepEqual(r, { runId: null, runDir: null, status: 'refused' });
      assert.deepEqual(storedRuns(store), before);
    });
  }

  test('a stored run and its report stay viewable', async () => {
    const store = (await api()).storeDir();
    // A run recorded elsewhere (by the CLI, into this workspace's store) must open here.
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const out = execFileSync(
      process.execPath,
      [cli, 'run', workspaceUri('quick.workflow.yaml').fsPath, '--store', store, '--json'],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    const { runId, runDir } = JSON.parse(out) as { runId: string; runDir: string };
    const report = await vscode.commands.executeCommand<vscode.Uri>(
      'workflowProfiler.openReport',
      runId,
    );
    assert.equal(report.fsPath, path.join(runDir, 'report.md'));
    const label = await waitFor('the report tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .map((t) => t.label)
        .find((l) => /report\.md/.test(l)),
    );
    assert.equal(label, 'Preview report.md');
  });
});
