/**
 * Problems in a workflow file reach the Problems panel at the parser's exact line and column, follow
 * edits as you type, and a broken workflow never starts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, waitFor, workspaceUri, type RunCommandResult } from '../helpers';

const BROKEN = `name: broken
nodes:
  a:
    type: shel
    run: echo a
  b:
    type: shell
    run: echo b
    needs: [a, nope]
`;

type Found = [string, [number, number, number, number]][];

function diagnosticsOf(uri: vscode.Uri): Found {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'workflow-profiler')
    .map((d) => [
      d.message.split(' (')[0] ?? d.message,
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    ]);
}

async function waitForDiagnostics(uri: vscode.Uri, want: (f: Found) => boolean): Promise<Found> {
  let last: Found = [];
  try {
    return await waitFor('the expected diagnostics', () => {
      last = diagnosticsOf(uri);
      return want(last) ? last : undefined;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

suite('diagnostics', () => {
  const uri = workspaceUri('broken.workflow.yaml');

  suiteSetup(async () => {
    await api();
    fs.writeFileSync(uri.fsPath, BROKEN);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uri.fsPath, { force: true });
  });

  test('exact ranges for an unknown type and a needs naming no node', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitForDiagnostics(uri, (f) => f.length === 2);
    // 0-based here; the CLI prints the same places 1-based: 4:11 and 9:16.
    assert.deepEqual(found, [
      ['unknown node type `shel`', [3, 10, 3, 14]],
      ['`needs` names `nope`, which is not a node in this workflow', [8, 15, 8, 19]],
    ]);
    const severities = vscode.languages.getDiagnostics(uri).map((d) => d.severity);
    assert.deepEqual(severities, [
      vscode.DiagnosticSeverity.Error,
      vscode.DiagnosticSeverity.Error,
    ]);
  });

  test('diagnostics follow edits as you type', async () => {
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(uri),
    );
    // Fix the type: its problem goes, the other stays.
    await editor.edit((e) => e.insert(new vscode.Position(3, 14), 'l'));
    await waitForDiagnostics(uri, (f) => f.length === 1 && f[0]?.[1][0] === 8);
    // Make a cycle: b needs a, and now a needs b.
    await editor.edit((e) => e.insert(new vscode.Position(4, 15), '\n    needs: [b]'));
    const found = await waitForDiagnostics(uri, (f) =>
      f.some(([m]) => m.startsWith('dependency cycle')),
    );
    const cycle = found.find(([m]) => m.startsWith('dependency cycle'));
    assert.equal(cycle?.[0], 'dependency cycle: a -> b -> a');
    // At the entry that closes the loop: `a` in b's needs, now on line 10 (1-based).
    assert.deepEqual(cycle?.[1], [9, 12, 9, 13]);
  });

  test('a broken workflow never starts', async () => {
    const store = (await api()).storeDir();
    const before = fs.existsSync(store) ? fs.readdirSync(store).sort() : [];
    const r = await vscode.commands.executeCommand<RunCommandResult>('workflowProfiler.run', uri);
    assert.equal(r.status, 'invalid');
    assert.equal(r.runId, null);
    const after = fs.existsSync(store) ? fs.readdirSync(store).sort() : [];
    assert.deepEqual(after, before, 'no run folder was created');
  });
});
