/**
 * A failed run's notification says which node failed and why (its first error line), and its
 * "Show Log" button opens that node's log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, waitFor, workspaceUri, type RunCommandResult, type RunNotice } from '../helpers';

const LINE = 'boom: the widget table is missing';
const WORKFLOW = `name: failing
runtime: local
nodes:
  broken:
    type: shell
    run: |
      echo "${LINE}" >&2
      exit 3
`;

suite('failure notification', () => {
  const uri = workspaceUri('failing.workflow.yaml');

  suiteSetup(() => fs.writeFileSync(uri.fsPath, WORKFLOW));
  suiteTeardown(async () => {
    fs.rmSync(uri.fsPath, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('names the failed node and its error line, and Show Log opens its log', async () => {
    const a = await api();
    const notices: RunNotice[] = [];
    const sub = a.onDidNotifyRun((n) => notices.push(n));
    try {
      const r = await vscode.commands.executeCommand<RunCommandResult>('workflowProfiler.run', uri);
      assert.equal(r.status, 'failed');
      assert.ok(r.runDir);
      const note = await waitFor('the end-of-run notification', () =>
        notices.find((n) => n.runId === r.runId),
      );
      assert.match(note.message, /^failing failed in \S+ \S+\. /);
      assert.ok(note.message.includes(`broken failed: ${LINE}`), note.message);
      assert.deepEqual(note.items, ['Show Log', 'Open Dashboard', 'Open Report']);

      // Pressing "Show Log" opens the failed node's log.
      note.choose('Show Log');
      const log = path.join(r.runDir, 'logs', 'broken.log');
      const opened = await waitFor('the log in an editor', () => {
        const doc = vscode.window.activeTextEditor?.document;
        return doc?.uri.fsPath === log ? doc : undefined;
      });
      assert.ok(opened.getText().includes(LINE));
    } finally {
      sub.dispose();
    }
  });
});
