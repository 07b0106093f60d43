/**
 * No process outlives its node, even when its reaper is SIGKILLed (the tree is then re-parented
 * to init, out of the reaper's reach: only the runner's own hold, a cgroup or the reaper's
 * process group, can still kill it). And the CPU of children reaped by the kernel (their parent
 * ignores SIGCHLD), which never reaches the reaper's rusage, is counted from the node's cgroup,
 * or the figure is named a lower bound.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import {
  fixture,
  identify,
  killSurvivors,
  newCollector,
  run,
  start,
  TREE_MEMBERS,
  tempDir,
  waitForPids,
  waitUntilDead,
} from '../fixtures/harness';
import { cgroupBase, NO_CGROUP_ENV } from '../../src/measure/cgroup';

type Members = Map<string, { pid: number; start: number }>;
let current: Members | null = null;

afterEach(() => {
  killSurvivors(current);
  current = null;
});

/** These tests are about the cgroup path: fail, saying what is missing, where it is not there. */
function requireWritableCgroup(): void {
  const base = cgroupBase();
  if (!base.dir) {
    throw new Error(
      `these tests need a writable cgroup2 hierarchy (run as root, or with a delegated cgroup): ${base.why}`,
    );
  }
}

/**
 * python3: ignores SIGCHLD, forks a child that burns `burnS` of CPU, and exits only once the
 * kernel has reaped it (polled: with SIGCHLD ignored there is nothing to wait for), so the child
 * is never re-parented to the reaper, however slow a loaded machine makes it.
 */
const SIGCHLD_IGNORING_PARENT = (burnS: number): string[] => [
  '-c',
  [
    'import os, signal, time',
    'signal.signal(signal.SIGCHLD, signal.SIG_IGN)',
    'pid = os.fork()',
    'if pid == 0:',
    '    t = time.process_time()',
    `    while time.process_time() - t < ${burnS}: pass`,
    '    os._exit(0)',
    'while True:',
    '    try:',
    '        os.kill(pid, 0)',
    '    except ProcessLookupError:',
    '        break',
    '    time.sleep(0.05)',
  ].join('\n'),
];

describe('a node whose reaper is SIGKILLed', () => {
  test('leaves no survivor 2 s later (background, double-forked, setsid children)', async () => {
    requireWritableCgroup();
    const pidFile = path.join(tempDir(), 'pids');
    const { collector } = newCollector();
    collector.start();
    const started = start(collector, fixture('tree'), [pidFile]);
    const members = identify(await waitForPids(pidFile, TREE_MEMBERS));
    current = members;
    const reaperPid = started.proc.pid;
    assert.ok(reaperPid !== undefined);
    const t0 = Date.now();
    process.kill(reaperPid, 'SIGKILL');
    const outcome = await started.proc.done;
    const alive = await waitUntilDead(members, 2000 - (Date.now() - t0));
    const info = collector.info();
    collector.stop();
    console.log(
      `  [contain] reaper SIGKILLed: node done after ${Date.now() - t0} ms, survivors ${alive.length}, mechanism ${info.containment?.mechanism ?? 'none'}`,
    );
    assert.deepEqual(alive, []);
    assert.equal(info.containment?.mechanism, 'cgroup');
    assert.equal(outcome.signal, 'SIGKILL', 'the reaper was killed, so the node was');
  });
});

describe('a parent that ignores SIGCHLD', () => {
  test('with the cgroup: cpuTimeMs counts the kernel-reaped child, the rest is named a lower bound', async () => {
    requireWritableCgroup();
    const { outcome, stderr } = await run('python3', SIGCHLD_IGNORING_PARENT(0.6));
    const m = outcome.metrics;
    console.log(
      `  [contain] SIGCHLD ignored, cgroup: cpuTimeMs ${m.cpuTimeMs}, lower bounds ${outcome.lowerBounds.map((b) => b.metric).join(', ')}`,
    );
    assert.equal(outcome.exitCode, 0, stderr);
    assert.ok((m.cpuTimeMs ?? 0) >= 550, `cpuTimeMs ${m.cpuTimeMs} misses the child's 600 ms`);
    const named = outcome.lowerBounds.map((b) => b.metric);
    assert.ok(!named.includes('cpuTimeMs'), 'cpu.stat is exact: not a lower bound');
    assert.ok(named.includes('contextSwitches'), `lower bounds: ${named.join(', ')}`);
    assert.ok(named.includes('ioReadChars'), `lower bounds: ${named.join(', ')}`);
    for (const b of outcome.lowerBounds) assert.match(b.reason, /SIGCHLD|sampl/);
  });

  test('without the cgroup (turned off): cpuTimeMs is named a lower bound and why', async () => {
    const before = process.env[NO_CGROUP_ENV];
    process.env[NO_CGROUP_ENV] = '1';
    try {
      const collected = newCollector();
      collected.collector.start();
      const { outcome, stderr } = await run('python3', SIGCHLD_IGNORING_PARENT(0.6), {
        collected,
      });
      const info = collected.collector.info();
      collected.collector.stop();
      const m = outcome.metrics;
      console.log(
        `  [contain] SIGCHLD ignored, no cgroup: cpuTimeMs ${m.cpuTimeMs}, containment ${info.containment?.mechanism ?? '?'}`,
      );
      assert.equal(outcome.exitCode, 0, stderr);
      assert.equal(info.containment?.mechanism, 'process-group');
      // rusage alone misses the child's 600 ms: the figure is low, and must say so.
      assert.ok((m.cpuTimeMs ?? 0) < 550, `cpuTimeMs ${m.cpuTimeMs}`);
      const cpu = outcome.lowerBounds.find((b) => b.metric === 'cpuTimeMs');
      assert.ok(cpu, `cpuTimeMs ${m.cpuTimeMs} is not named a lower bound`);
      assert.match(cpu.reason, /SIGCHLD/);
    } finally {
      if (before === undefined) delete process.env[NO_CGROUP_ENV];
      else process.env[NO_CGROUP_ENV] = before;
    }
  });
});

describe('node cgroups reused from one node to the next', () => {
  test('the next node runs in the emptied cgroup, and its CPU is its own, not the cumulative total', async () => {
    requireWritableCgroup();
    const collected = newCollector();
    collected.collector.start();
    try {
      const where = ['-c', 'cat /proc/self/cgroup; echo $$'];
      const first = await run('/bin/sh', where, { collected });
      const burn = await run('python3', SIGCHLD_IGNORING_PARENT(0.6), { collected });
      const after = await run('/bin/sh', where, { collected });
      const cgroupOf = (out: string): string =>
        out.split('\n').find((l) => l.startsWith('0::')) ?? '';
      console.log(
        `  [contain] reuse: ${cgroupOf(first.stdout)} then ${cgroupOf(after.stdout)}; burn cpuTimeMs ${burn.outcome.metrics.cpuTimeMs}, next ${after.outcome.metrics.cpuTimeMs}`,
      );
      assert.match(cgroupOf(first.stdout), /\/node-1$/);
      assert.equal(
        cgroupOf(after.stdout),
        cgroupOf(first.stdout),
        'the emptied cgroup was not reused',
      );
      // The burning node's 600 ms come from the same cgroup's cpu.stat: the next node's figure
      // is a difference from it, so it must not carry them.
      assert.ok(
        (burn.outcome.metrics.cpuTimeMs ?? 0) >= 550,
        `burn ${burn.outcome.metrics.cpuTimeMs}`,
      );
      assert.ok(
        (after.outcome.metrics.cpuTimeMs ?? 600) < 300,
        `next ${after.outcome.metrics.cpuTimeMs}`,
      );
      const named = after.outcome.lowerBounds.map((b) => b.metric);
      assert.ok(!named.includes('cpuTimeMs'), 'a reused cgroup is as exact as a new one');
    } finally {
      collected.collector.stop();
    }
  });
});
