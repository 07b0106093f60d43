/**
 * Proves the harness end to end: the extension under development is loaded into a real
 * extension host, activates, and its commands are reachable through the VS Code API.
 */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'workflow-profiler.workflow-profiler';

function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded: is extensionDevelopmentPath right?`);
  return ext;
}

function activationMsOf(api: unknown): number | undefined {
  if (typeof api !== 'object' || api === null || !('activationMs' in api)) return undefined;
  return typeof api.activationMs === 'number' ? api.activationMs : undefined;
}

suite('smoke', () => {
  test('the extension activates', async () => {
    const ext = getExtension();
    // Activation is lazy (activationEvents); tests activate explicitly rather than relying on
    // the workspace happening to contain a workflow file.
    const t0 = performance.now();
    const api = await ext.activate();
    const wall = (performance.now() - t0).toFixed(1);
    // The extension may report its own activate() time in its API (activationMs).
    const own = activationMsOf(api);
    console.log(
      `      activate() resolved in ${wall} ms` +
        (own === undefined ? '' : ` (activate() body: ${own.toFixed(1)} ms)`),
    );
    assert.equal(ext.isActive, true);
  });

  test('workflowProfiler.ping is registered and answers with the version', async () => {
    const ext = getExtension();
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('workflowProfiler.ping'),
      'workflowProfiler.ping is not registered',
    );
    const answer = await vscode.commands.executeCommand<string>('workflowProfiler.ping');
    assert.equal(answer, (ext.packageJSON as { version: string }).version);
  });

  // The runner says which trust state it set up (--trust / --no-trust); other launchers (e.g.
  // @vscode/test-electron) do not, and then there is nothing to compare against.
  const expectedTrust = process.env.WORKFLOW_PROFILER_TEST_TRUST;
  (expectedTrust ? test : test.skip)('workspace trust matches what the runner set up', () => {
    assert.equal(vscode.workspace.isTrusted, expectedTrust === 'trusted');
  });
});
