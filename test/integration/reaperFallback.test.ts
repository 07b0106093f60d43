/**
 * A reaper that cannot run never breaks a run: with the reaper replaced by a binary for another
 * architecture (the aarch64 build on an x86-64 machine, or the x86-64 build on an arm64 one) and
 * by a missing file, the CLI's runs complete, every process node is measured by sampling, and the
 * reason is in run.json's collector block and in the report's "How this was measured". The
 * working reaper is the control: the same workflow records it as used.
 *
 * The foreign binary is cross-compiled here with scripts/reapers.mjs; without the cross-compiler
 * the test fails naming the Debian package to install.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { requireReaper } from '../fixtures/harness';
import { testReaperBinary } from '../../src/measure/reaperCheck';

const REAPER_ENV = 'WORKFLOW_PROFILER_REAPER';

/** Two process nodes with a child each, long enough for several samples at 50 ms. */
const WORKFLOW = `name: fallback
runtime: local
nodes:
  burn:
    type: shell
    run: |
      sh -c 'i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done' &
      i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done
      wait
  after:
    type: shell
    needs: burn
    run: sleep 0.3 && echo done
`;

/** A reaper this machine cannot execute, built by the project's own cross-build script. */
function foreignReaper(dir: string): { file: string; arch: string } {
  const target = process.arch === 'arm64' ? 'linux-x64' : 'linux-arm64';
  const arch = process.arch === 'arm64' ? 'x86-64' : 'aarch64';
  const file = path.join(dir, 'wp-reaper');
  const r = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'scripts/reapers.mjs'), target, file],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`cannot build the ${target} reaper: ${r.stderr.trim()}`);
  return { file, arch };
}

async function runWith(reaper: string | null): Promise<{ run: RunRecord; report: string }> {
  const dir = tempWorkspace({ 'fallback.workflow.yaml': WORKFLOW });
  const env: NodeJS.ProcessEnv = {};
  if (reaper !== null) env[REAPER_ENV] = reaper;
  const ran = await runCli(['run', 'fallback.workflow.yaml', '--interval', '50', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(ran.code, 0, `the run failed:\n${ran.stderr}`);
  const out = JSON.parse(ran.stdout) as { runDir: string; status: string };
  assert.equal(out.status, 'completed');
  const run = JSON.parse(fs.readFileSync(path.join(out.runDir, 'run.json'), 'utf8')) as RunRecord;
  const report = fs.readFileSync(path.join(out.runDir, 'report.md'), 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { run, report };
}

function howMeasured(report: string): string {
  const at = report.indexOf('## How this was measured');
  assert.ok(at >= 0, 'the report has no "How this was measured" section');
  return report.slice(at);
}

/** Every node completed and was measured by sampling: numbers, not nulls, where sampling can. */
function assertSampled(run: RunRecord): void {
  assert.equal(run.collector.mode, 'procfs');
  for (const id of ['burn', 'after']) {
    const task = run.tasks.find((t) => t.nodeId === id);
    assert.ok(task, `no TaskRun for ${id}`);
    assert.equal(task.status, 'completed', `${id}: ${task.reason ?? ''}`);
    assert.ok(task.durationMs !== null && task.durationMs > 0, `${id}: no duration`);
    assert.equal(typeof task.peakRssBytes, 'number', `${id}: no sampled peak memory`);
  }
  const burn = run.tasks.find((t) => t.nodeId === 'burn');
  assert.ok(burn?.cpuTimeMs !== null && (burn?.cpuTimeMs ?? 0) > 0, 'burn: no sampled CPU time');
  const cpuSource = run.collector.sources.find((s) => s.metric === 'cpuTimeMs')?.source ?? '';
  assert.match(cpuSource, /sampled estimate/);
}

test('a reaper built for another architecture: sampled metrics and the reason recorded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-foreign-'));
  try {
    const { file, arch } = foreignReaper(dir);
    const { run, report } = await runWith(file);
    assertSampled(run);
    assert.equal(run.collector.reaper?.used, false);
    const reason = run.collector.reaper?.fallbackReason ?? '';
    assert.match(reason, new RegExp(`built for ${arch} \\(ELF machine \\d+\\)`));
    assert.ok(reason.includes(file), `the reason names the binary: ${reason}`);
    const section = howMeasured(report);
    assert.match(section, /Native reaper: not used, so every node was measured by sampling/);
    assert.match(section, new RegExp(`built for ${arch}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing reaper: sampled metrics and the reason recorded', async () => {
  const missing = path.join(os.tmpdir(), `wp-no-such-reaper-${process.pid}`);
  const { run, report } = await runWith(missing);
  assertSampled(run);
  assert.equal(run.collector.reaper?.used, false);
  assert.equal(
    run.collector.reaper?.fallbackReason,
    `${REAPER_ENV} names ${missing}, which does not exist`,
  );
  assert.match(howMeasured(report), /does not exist/);
});

test('the working reaper passes its self-test and is recorded as used', async () => {
  const { run, report } = await runWith(null);
  assert.equal(run.collector.mode, 'reaper');
  assert.equal(run.collector.reaper?.used, true);
  assert.equal(run.collector.reaper?.fallbackReason, null);
  assert.match(run.collector.reaper?.version ?? '', /^wp-reaper 1 /);
  assert.match(howMeasured(report), /Native reaper: `wp-reaper 1 [^`]+` passed its self-test/);
});

test('the self-test names what is wrong with a binary that is not a working reaper', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-badreaper-'));
  try {
    const script = path.join(dir, 'script');
    fs.writeFileSync(script, '#!/bin/sh\necho wp-reaper 1\n', { mode: 0o755 });
    assert.match(testReaperBinary(script).reason ?? '', /is not an ELF executable/);

    const reaper = requireReaper();
    const noExec = path.join(dir, 'wp-reaper');
    fs.copyFileSync(reaper, noExec);
    fs.chmodSync(noExec, 0o644);
    assert.match(testReaperBinary(noExec).reason ?? '', /is not executable/);

    // An executable for this machine that does not speak the reaper's arguments.
    const other = testReaperBinary(process.execPath);
    assert.equal(other.path, null);
    assert.match(other.reason ?? '', /the self-test of .* failed: it exited with \d+/);

    const good = testReaperBinary(reaper);
    assert.deepEqual(good, { path: reaper, version: good.version, reason: null });
    assert.match(good.version ?? '', /^wp-reaper 1 /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
