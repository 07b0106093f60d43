/**
 * The panels through the real host: the dashboard and compare webviews load their bundles under
 * the CSP, receive their snapshots over the typed protocol and report every chart drawn.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  api,
  extension,
  nextRender,
  workspaceDir,
  workspaceUri,
  type RunCommandResult,
} from '../helpers';

/** `run FILE --repeat N --warmup 1 --json` with the extension's own CLI, into its store. */
function repeatedRuns(storeDir: string, file: string, repeat: number): Promise<string> {
  const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        cli,
        'run',
        file,
        '--repeat',
        String(repeat),
        '--warmup',
        '1',
        '--json',
        '--store',
        storeDir,
      ],
      { cwd: workspaceDir(), timeout: 90_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        const out = JSON.parse(stdout) as { series: string; status: string };
        if (out.status !== 'completed') return reject(new Error(`series ${out.status}: ${stderr}`));
        resolve(out.series);
      },
    );
  });
}

/** What compare --json holds per node and metric; only what the test reads. */
interface HostComparison {
  baseline: { runs: string[] };
  candidate: { runs: string[] };
  nodes: { nodeId: string; metrics: Record<string, { verdict: string; low: number | null }> }[];
}

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
    const comparison = await vscode.commands.executeCommand<HostComparison>(
      'workflowProfiler.compareRuns',
      ids,
    );
    assert.deepEqual(comparison.baseline.runs, [ids[0]]);
    assert.deepEqual(comparison.candidate.runs, [ids[1]]);
    // One run a side: nothing can be called a change from noise alone.
    for (const n of comparison.nodes)
      for (const m of Object.values(n.metrics))
        assert.ok(['insufficient', 'unchanged'].includes(m.verdict), `${n.nodeId} ${m.verdict}`);
    const done = await drawn;
    console.log(
      `      [panels] compare drew in ${done.ms.toFixed(0)} ms: ${done.charts.join(', ')}`,
    );
    assert.ok(done.charts.length >= 1);
  });

  test("the compare panel on two series made by run --repeat: the host's result has verdicts", async function () {
    this.timeout(240_000);
    const a = await api();
    const file = uri.fsPath;
    const first = await repeatedRuns(a.storeDir(), file, 3);
    const second = await repeatedRuns(a.storeDir(), file, 3);
    await vscode.commands.executeCommand('workflowProfiler.refresh');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const drawn = nextRender(a, (x) => x.kind === 'compare' && x.id.includes(second), 60_000);
    // From the workflow, as its CodeLens does: its two newest series, the older the baseline.
    const c = await vscode.commands.executeCommand<HostComparison>(
      'workflowProfiler.compareRuns',
      uri,
    );
    // Three measured runs a side, the warm-up of each left out.
    assert.equal(c.baseline.runs.length, 3);
    assert.equal(c.candidate.runs.length, 3);
    assert.deepEqual(c.nodes.map((n) => n.nodeId).sort(), ['count', 'hello', 'total']);
    for (const n of c.nodes) {
      const d = n.metrics['durationMs'];
      assert.ok(d, `${n.nodeId} has a duration verdict`);
      // The same workflow twice: decided from statistics (an interval), and no regression called
      // on a node whose median did not move far.
      assert.ok(
        ['regressed', 'improved', 'unchanged'].includes(d.verdict),
        `${n.nodeId}: ${d.verdict}`,
      );
      assert.notEqual(d.low, null, `${n.nodeId} has an interval`);
    }
    const done = await drawn;
    assert.equal(done.id, `${first} | ${second}`);
    assert.deepEqual(done.charts, ['deltas', 'sideBySide', 'trend']);
    console.log(
      `      [panels] series compare: ${c.nodes.map((n) => `${n.nodeId} ${n.metrics['durationMs']?.verdict}`).join(', ')}; drew in ${done.ms.toFixed(0)} ms`,
    );
  });
});
