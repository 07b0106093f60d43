/** The `workflow` task type: tasks.json entries and provided tasks run through the same runner. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, readRun, waitFor } from '../helpers';

suite('task type', () => {
  test('a tasks.json entry and one provided task per workflow file', async () => {
    await api();
    const tasks = await vscode.tasks.fetchTasks({ type: 'workflow' });
    const names = tasks.map((t) => t.name).sort();
    assert.ok(names.includes('profile quick'), `tasks: ${names.join(', ')}`);
    assert.ok(names.includes('run quick.workflow.yaml'), `tasks: ${names.join(', ')}`);
    assert.ok(names.includes('run tree.workflow.yaml'), `tasks: ${names.join(', ')}`);
    const configured = tasks.find((t) => t.name === 'profile quick');
    assert.ok(configured?.execution instanceof vscode.CustomExecution);
  });

  test('running the tasks.json entry profiles the workflow and ends with exit code 0', async () => {
    const store = (await api()).storeDir();
    const before = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
    const tasks = await vscode.tasks.fetchTasks({ type: 'workflow' });
    const task = tasks.find((t) => t.name === 'profile quick');
    assert.ok(task, 'the tasks.json entry is provided');
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name !== 'profile quick') return;
        sub.dispose();
        resolve(e.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    const code = await Promise.race([
      ended,
      new Promise<string>((r) => setTimeout(() => r('timeout'), 25_000)),
    ]);
    assert.equal(code, 0);
    const created = await waitFor('the task run folder', () => {
      const list = fs.readdirSync(store).filter((d) => !before.has(d) && /^\d{8}-/.test(d));
      return list.length > 0 ? list : undefined;
    });
    assert.equal(created.length, 1);
    const run = readRun(`${store}/${created[0]}`);
    assert.equal(run.status, 'completed');
    assert.equal(run.profile, true);
  });
});
