/**
 * The memory forecast and "Profile Repeatedly…" in a real VS Code. With workflowProfiler.memoryLimit
 * below the forecast, running warns and honours the answer (Lower Parallelism runs with the slots
 * that fit, dismissing runs nothing, Run Anyway runs as asked); above it, no warning. The
 * notification's buttons are pressed through the warning the extension hands out: the command
 * goes through the same path as a click. Profile Repeatedly with N=2 stores two runs of one series.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  api,
  nextRender,
  workspaceDir,
  workspaceUri,
  type MemoryWarning,
  type RunCommandResult,
  type SeriesNotice,
} from '../helpers';

const MiB = 1024 * 1024;

interface StoredRun {
  id: string;
  status: string;
  maxParallel: number;
  series: { id: string; index: number; warmup: boolean } | null;
  memoryForecast: {
    peakRssBytes: number | null;
    limitBytes: number | null;
    basedOnRunId: string;
    maxParallel: number;
  } | null;
}

function stored(runDir: string): StoredRun {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as StoredRun;
}

function runIds(store: string): string[] {
  return fs.existsSync(store) ? fs.readdirSync(store).filter((d) => /^\d{8}-/.test(d)) : [];
}

// Two Python nodes that each hold 40 MiB of written bytes for half a second, side by side.
const NODE = `{ type: python, code: "import time\\nb = b'x' * (40 << 20)\\ntime.sleep(0.5)" }`;
const WORKFLOW = `name: memory\nruntime: parallel\nmaxParallel: 2\nnodes:\n  left: ${NODE}\n  right: ${NODE}\n`;

async function setLimit(value: string | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('workflowProfiler')
    .update('memoryLimit', value, vscode.ConfigurationTarget.Workspace);
}

/** Runs the workflow, answering a memory warning (if one comes) with `answer`. */
async function runAnswering(
  uri: vscode.Uri,
  answer: string | undefined,
): Promise<{ r: RunCommandResult; warnings: MemoryWarning[] }> {
  const warnings: MemoryWarning[] = [];
  const sub = (await api()).onDidWarnMemory((w) => {
    warnings.push(w);
    w.choose(answer);
  });
  try {
    const r = await vscode.commands.executeCommand<RunCommandResult>('workflowProfiler.run', uri);
    return { r, warnings };
  } finally {
    sub.dispose();
  }
}

suite('memory forecast and Profile Repeatedly', () => {
  const uri = workspaceUri('memory.workflow.yaml');

  suiteSetup(() => fs.writeFileSync(uri.fsPath, WORKFLOW));
  suiteTeardown(async () => {
    await setLimit(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('memoryLimit below the forecast: warned; Lower Parallelism, dismiss and Run Anyway are honoured; above it: no warning', async () => {
    const store = (await api()).storeDir();
    const first = await runAnswering(uri, undefined);
    assert.equal(first.r.status, 'completed');
    assert.deepEqual(first.warnings, [], 'no earlier run: no forecast, no warning');
    assert.equal(stored(first.r.runDir ?? '').memoryForecast, null);

    // Each node holds about 50 MiB (40 MiB and the interpreter): two at once do not fit in 75M.
    await setLimit('75M');
    const lowered = await runAnswering(uri, 'Lower Parallelism');
    assert.equal(lowered.r.status, 'completed');
    assert.equal(lowered.warnings.length, 1);
    const w = lowered.warnings[0] as MemoryWarning;
    assert.deepEqual(w.items, ['Run Anyway', 'Lower Parallelism']);
    assert.equal(w.lowerTo, 1);
    assert.match(
      w.message,
      /memory forecast \d+\.\d MiB at maxParallel 2 exceeds the limit 75\.0 MiB/,
    );
    assert.match(w.message, /workflowProfiler\.memoryLimit 75\.0 MiB/);
    assert.ok(w.message.includes(`based on run ${first.r.runId ?? ''}`), w.message);
    assert.match(w.message, /"Lower Parallelism" runs it with maxParallel 1/);
    const low = stored(lowered.r.runDir ?? '');
    assert.equal(low.maxParallel, 1, 'ran with the slots whose forecast fits');
    assert.equal(low.memoryForecast?.maxParallel, 1);
    assert.equal(low.memoryForecast?.basedOnRunId, first.r.runId);
    assert.equal(low.memoryForecast?.limitBytes, 75 * MiB);

    const before = runIds(store).length;
    const dismissed = await runAnswering(uri, undefined);
    assert.equal(dismissed.warnings.length, 1);
    assert.deepEqual(dismissed.r, { runId: null, runDir: null, status: 'refused' });
    assert.equal(runIds(store).length, before, 'dismissed: nothing ran');

    const anyway = await runAnswering(uri, 'Run Anyway');
    assert.equal(anyway.warnings.length, 1);
    assert.equal(anyway.r.status, 'completed');
    const big = stored(anyway.r.runDir ?? '');
    assert.equal(big.maxParallel, 2);
    assert.equal(big.memoryForecast?.maxParallel, 2);
    assert.ok((big.memoryForecast?.peakRssBytes ?? 0) > 75 * MiB);
    console.log(
      `      [forecast] ${w.message}\n      [forecast] maxParallel 2: forecast ${((big.memoryForecast?.peakRssBytes ?? 0) / MiB).toFixed(1)} MiB`,
    );

    await setLimit('2G');
    const fits = await runAnswering(uri, undefined);
    assert.equal(fits.r.status, 'completed');
    assert.deepEqual(fits.warnings, [], 'under the limit: no warning');
    assert.ok(stored(fits.r.runDir ?? '').memoryForecast);

    await setLimit('lots');
    const bad = await runAnswering(uri, undefined);
    assert.equal(bad.r.status, 'refused', 'a bad memoryLimit setting runs nothing');
    await setLimit(undefined);
  });

  test('Profile Repeatedly with N=2 stores two runs sharing a series id, then offers a comparison', async () => {
    const a = await api();
    const notices: SeriesNotice[] = [];
    const sub = a.onDidNotifySeries((n) => notices.push(n));
    try {
      const quick = workspaceUri('quick.workflow.yaml');
      const r = await vscode.commands.executeCommand<{
        series: string;
        runs: { runId: string; runDir: string; status: string }[];
        status: string;
      }>('workflowProfiler.profileRepeatedly', quick, { count: 2 });
      assert.equal(r.status, 'completed');
      assert.equal(r.runs.length, 2);
      const runs = r.runs.map((x) => stored(x.runDir));
      assert.deepEqual(
        runs.map((x) => x.series),
        [
          { id: r.series, index: 0, warmup: false },
          { id: r.series, index: 1, warmup: false },
        ],
      );
      assert.ok(runs.every((x) => x.status === 'completed'));
      assert.equal(notices.length, 1);
      assert.deepEqual(notices[0]?.items, ['Open Dashboard'], 'no earlier series yet');

      const again = await vscode.commands.executeCommand<{ series: string }>(
        'workflowProfiler.profileRepeatedly',
        quick,
        { count: 2 },
      );
      assert.notEqual(again.series, r.series);
      const notice = notices[1] as SeriesNotice;
      assert.deepEqual(notice.items, ['Open Dashboard', 'Compare with Previous Series']);
      // The Compare panel opens on the two series and draws their comparison.
      const drawn = nextRender(
        a,
        (x) => x.kind === 'compare' && x.id.includes(r.series) && x.id.includes(again.series),
        60_000,
      );
      await notice.choose('Compare with Previous Series');
      const done = await drawn;
      assert.ok(done.charts.length >= 1, `compare drew ${done.charts.join(', ')}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.ok(fs.existsSync(path.join(workspaceDir(), 'quick.workflow.yaml')));
    } finally {
      sub.dispose();
    }
  });

  test('Profile Repeatedly refuses a count outside 1..100 and runs nothing', async () => {
    const store = (await api()).storeDir();
    const before = runIds(store).length;
    const r = await vscode.commands.executeCommand<unknown>(
      'workflowProfiler.profileRepeatedly',
      workspaceUri('quick.workflow.yaml'),
      { count: 101 },
    );
    assert.equal(r, undefined);
    assert.equal(runIds(store).length, before);
  });
});
