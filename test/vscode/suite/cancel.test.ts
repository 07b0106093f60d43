/**
 * Cancelling from the editor kills every process of the node's tree (a background child, a
 * double-forked grandchild, a setsid child and one that ignores SIGTERM) within 2 s, and the run
 * is recorded as cancelled.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  api,
  pidAlive,
  readRun,
  sleep,
  waitFor,
  workspaceDir,
  workspaceUri,
  type RunCommandResult,
} from '../helpers';

suite('cancel', () => {
  test('workflowProfiler.cancel ends the run as cancelled and leaves no process behind', async () => {
    await api();
    const pidsFile = path.join(workspaceDir(), 'tree-pids.txt');
    fs.rmSync(pidsFile, { force: true });
    const running = Promise.resolve(
      vscode.commands.executeCommand<RunCommandResult>(
        'workflowProfiler.run',
        workspaceUri('tree.workflow.yaml'),
      ),
    );
    const pids = await waitFor('the tree to start its four processes', () => {
      if (!fs.existsSync(pidsFile)) return undefined;
      const list = fs.readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number);
      return list.length >= 4 ? list : undefined;
    });
    await sleep(200);
    assert.deepEqual(
      pids.filter((p) => !pidAlive(p)),
      [],
      'every test process is alive before',
    );

    const t0 = Date.now();
    const cancelled = await vscode.commands.executeCommand<boolean>('workflowProfiler.cancel');
    assert.equal(cancelled, true);
    const r = await running;
    const alive = await waitFor(
      'every process to die',
      () => {
        const a = pids.filter(pidAlive);
        return a.length === 0 || Date.now() - t0 > 2000 ? a : undefined;
      },
      5000,
    );
    console.log(
      `      [cancel] run ended ${r.status}; tree gone ${Date.now() - t0} ms after cancel`,
    );
    assert.deepEqual(alive, [], `still alive 2 s after cancel: ${alive.join(', ')}`);
    assert.equal(r.status, 'cancelled');
    assert.ok(r.runDir);
    const run = readRun(r.runDir);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.tasks.find((t) => t.nodeId === 'first')?.status, 'completed');
    assert.equal(run.tasks.find((t) => t.nodeId === 'tree')?.status, 'cancelled');
  });

  test('cancel with nothing running says so and returns false', async () => {
    await api();
    assert.equal(await vscode.commands.executeCommand<boolean>('workflowProfiler.cancel'), false);
  });
});
