/** The extension loads into a real extension host, activates quickly and registers everything. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, extension } from '../helpers';

suite('activation', () => {
  test('activates, and reports how long activate() took', async () => {
    const t0 = performance.now();
    const a = await api();
    const wall = performance.now() - t0;
    console.log(
      `      [activation] activate() resolved in ${wall.toFixed(1)} ms; its body took ${a.activationMs.toFixed(1)} ms`,
    );
    assert.equal(extension().isActive, true);
    assert.equal(typeof a.activationMs, 'number');
  });

  test('every contributed command is registered', async () => {
    await api();
    const contributed = (
      extension().packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 9);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('runs are stored under the workspace storage, not in the workspace', async () => {
    const dir = (await api()).storeDir();
    assert.equal(path.basename(dir), 'runs');
    assert.match(dir, /workspaceStorage/);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(!dir.startsWith(folder), `${dir} is inside the workspace ${folder}`);
  });

  test('the workspace is trusted as the runner set it up', () => {
    const expected = process.env.WORKFLOW_PROFILER_TEST_TRUST ?? 'trusted';
    assert.equal(vscode.workspace.isTrusted, expected === 'trusted');
  });
});
