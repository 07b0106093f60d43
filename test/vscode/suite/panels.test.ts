/**
 * The panels through the real host: the dashboard and compare webviews load their bundles under
 * the CSP, receive their snapshots over the typed protocol and report every chart drawn.
 */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { api, nextRender, workspaceUri, type RunCommandResult } from '../helpers';

// A plain run keeps no samples, so it has no "over time" chart; a profiled run has all seven.
const ALWAYS = ['timeline', 'resources', 'radar', 'io', 'heatmap'];

suite('panels', () => {
  const uri = workspaceUri('quick.workflow.yaml');
  const ids: string[] = [];

  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('profiling opens the dashboard live, and it draws', async () => {
    const a = await api();
    const drawn: string[] = [];
    const sub = a.onDidRenderPanel((r) => drawn.push(`${r.kind}:${r.id}:${r.charts.join(',')}`));
    try {
      const r = await vscode.commands.executeCommand<RunCommandResult>(
        'workflowProfiler.profile',
        uri,
      );
      assert.equal(r.status, 'completed');
      assert.ok(r.runId);
      ids.push(r.runId);
      const id = r.runId;
      const deadline = Date.now() + 20_000;
      while (!drawn.some((d) => d.startsWith(`dashboard:${id}:`)) && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 100));
      // The last drawing of the run's dashboard is its final snapshot: every chart, samples too.
      const last = drawn.filter((d) => d.startsWith(`dashboard:${id}:`)).pop();
      assert.ok(last, `no dashboard drew for ${id}; drawn: ${drawn.join(' ')}`);
      const charts = last.split(':')[2]?.split(',') ?? [];
      for (const c of [...ALWAYS, 'overTime']) assert.ok(charts.includes(c), `${c} in ${last}`);
    } finally {
      sub.dispose();
    }
  });

  test('openDashboard on a finished run draws every chart', async () => {
    const a = await api();
    const r = await vscode.commands.executeCommand<RunCommandResult>('workflowProfiler.run', uri);
    assert.ok(r.runId);
    ids.push(r.runId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const drawn = nextRender(a, (x) => x.kind === 'dashboard' && x.id === r.runId);
    await vscode.commands.executeCommand('workflowProfiler.openDashboard', r.runId);
    const done = await drawn;
    console.log(
      `      [panels] dashboard drew ${done.charts.length} charts in ${done.ms.toFixed(0)} ms: ${done.charts.join(', ')}`,
    );
    for (const c of ALWAYS) assert.ok(done.charts.includes(c), `${c} in ${done.charts.join(', ')}`);
  });

  test('compareRuns on two runs opens the compare panel, and it draws', async () => {
    const a = await api();
    assert.equal(ids.length, 2, 'the two runs of the tests above');
    const drawn = nextRender(a, (x) => x.kind === 'compare');
    const comparison = await vscode.commands.executeCommand<{ candidateId: string }>(
      'workflowProfiler.compareRuns',
      ids,
    );
    assert.equal(comparison.candidateId, ids[1]);
    const done = await drawn;
    console.log(
      `      [panels] compare drew in ${done.ms.toFixed(0)} ms: ${done.charts.join(', ')}`,
    );
    assert.ok(done.charts.length >= 1);
  });
});
