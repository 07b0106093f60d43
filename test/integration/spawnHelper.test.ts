/**
 * The spawn helper (`wp-reaper --serve`) through startProcess, against the one-shot reaper that
 * Node spawns (WORKFLOW_PROFILER_SPAWN_HELPER=0) for the same commands: the same output, exit
 * codes, errors and exact figures. Killing the helper is the last test: after it, this process
 * uses the one-shot reaper for good, as the runner does.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { SPAWN_HELPER_ENV, SpawnHelper } from '../../src/measure/spawnHelper';
import {
  fixture,
  identify,
  killSurvivors,
  newCollector,
  readJson,
  run,
  start,
  tempDir,
  TREE_MEMBERS,
  waitForPids,
  waitUntilDead,
} from '../fixtures/harness';

type Members = Map<string, { pid: number; start: number }>;
let current: Members | null = null;
afterEach(() => {
  killSurvivors(current);
  current = null;
});

/** Runs fn with the helper switched off: Node spawns the one-shot reaper, as before it existed. */
async function oneShot<T>(fn: () => Promise<T>): Promise<T> {
  process.env[SPAWN_HELPER_ENV] = '0';
  try {
    return await fn();
  } finally {
    delete process.env[SPAWN_HELPER_ENV];
  }
}

const lines = (n: number, prefix: string): string =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}\n`).join('');

describe('nodes started by the spawn helper', () => {
  test('the helper runs the nodes (it is started, and the reaper is its child)', async () => {
    const r = await run('/bin/sh', ['-c', 'echo $PPID']);
    const helper = SpawnHelper.runningPid();
    assert.ok(helper !== undefined, 'no spawn helper was started');
    assert.equal(r.outcome.exitCode, 0);
    assert.ok(r.outcome.metrics.processCount === 1, 'exact figures: the reaper reaped one process');
  });

  test('a lot of output on both streams arrives whole and in order', async () => {
    const script =
      'seq -f "out%g" 1 150000; seq -f "err%g" 1 100000 >&2; seq -f "out%g" 150001 150010';
    const r = await run('/bin/sh', ['-c', script]);
    assert.equal(r.outcome.exitCode, 0);
    assert.equal(r.stdout, lines(150010, 'out'));
    assert.equal(r.stderr, lines(100000, 'err'));
  });

  test('exit codes, signals and a missing command, as with the one-shot reaper', async () => {
    const cases: [string, string[]][] = [
      ['/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']],
      ['/bin/sh', ['-c', 'kill -KILL $$']],
      ['/bin/sh', ['-c', 'kill -TERM $$']],
      ['no-such-command-wp', []],
    ];
    for (const [file, args] of cases) {
      const viaHelper = await run(file, args);
      const viaSpawn = await oneShot(() => run(file, args));
      const view = (r: typeof viaHelper): unknown => ({
        exitCode: r.outcome.exitCode,
        signal: r.outcome.signal,
        spawnError: r.outcome.spawnError,
        stdout: r.stdout,
        stderr: r.stderr,
        cpuNull: r.outcome.metrics.cpuTimeMs === null,
      });
      assert.deepEqual(view(viaHelper), view(viaSpawn), `${file} ${args.join(' ')}`);
    }
    const missing = await run('no-such-command-wp', []);
    assert.equal(missing.outcome.spawnError, 'spawn no-such-command-wp ENOENT');
  });

  test('the environment and working directory are the node’s', async () => {
    const dir = tempDir();
    const { collector } = newCollector();
    collector.start();
    process.env['WP_TEST_VALUE'] = 'a b=c';
    const s = start(collector, '/bin/sh', ['-c', 'pwd -P; echo "$WP_TEST_VALUE"'], { cwd: dir });
    delete process.env['WP_TEST_VALUE'];
    await s.proc.done;
    collector.stop();
    assert.equal(s.stdout(), `${fs.realpathSync(dir)}\na b=c\n`);
  });

  test('several nodes at once: each its own output, exit code and pid', async () => {
    const { collector } = newCollector();
    collector.start();
    const started = Array.from({ length: 6 }, (_, i) =>
      start(collector, '/bin/sh', ['-c', `sleep 0.${3 - (i % 3)}; echo node${i}; exit ${i}`], {
        nodeId: `n${i}`,
      }),
    );
    const outcomes = await Promise.all(started.map((s) => s.proc.done));
    collector.stop();
    outcomes.forEach((o, i) => {
      assert.equal(o.exitCode, i);
      assert.equal(started[i]?.stdout(), `node${i}\n`);
      assert.ok(o.metrics.durationMs !== null && o.metrics.durationMs >= 90);
    });
    const pids = new Set(started.map((s) => s.proc.pid));
    assert.equal(pids.size, 6);
  });

  test('cancel with grace and a timeout kill every member of a tree', async () => {
    for (const how of ['cancel', 'timeout'] as const) {
      const dir = tempDir();
      const pidFile = path.join(dir, 'pids');
      const { collector } = newCollector();
      collector.start();
      const s = start(
        collector,
        fixture('tree'),
        [pidFile],
        how === 'timeout' ? { timeoutMs: 400 } : {},
      );
      const members = identify(await waitForPids(pidFile, TREE_MEMBERS));
      current = members;
      if (how === 'cancel') s.proc.cancel('test');
      const outcome = await s.proc.done;
      collector.stop();
      assert.equal(outcome.cancelled, true, how);
      assert.equal(outcome.timedOut, how === 'timeout');
      assert.deepEqual(await waitUntilDead(members, 2000), [], how);
      assert.ok(outcome.metrics.cpuTimeMs !== null, 'exact figures after a cancel');
    }
  });

  test('CPU, peak memory and I/O match the one-shot reaper’s for the same fixtures', async () => {
    const dir = tempDir();
    const truthFile = path.join(dir, 'spike.json');
    const spike = async (): Promise<{ peak: number | null; own: number }> => {
      const r = await run(fixture('spike'), ['200', '20', '200', truthFile]);
      return {
        peak: r.outcome.metrics.peakRssBytes,
        own: readJson<{ vmHwmBytes: number }>(truthFile).vmHwmBytes,
      };
    };
    const a = await spike();
    const b = await oneShot(spike);
    for (const x of [a, b]) {
      assert.ok(x.peak !== null);
      assert.ok(Math.abs(x.peak - x.own) / x.own < 0.03, `peak ${x.peak} vs own ${x.own}`);
    }
    const burn = async (): Promise<{ cpu: number | null; own: number }> => {
      const f = path.join(dir, 'burn.json');
      const r = await run(fixture('burn'), ['0.3', f]);
      return { cpu: r.outcome.metrics.cpuTimeMs, own: readJson<{ cpuUs: number }>(f).cpuUs / 1000 };
    };
    for (const x of [await burn(), await oneShot(burn)]) {
      assert.ok(x.cpu !== null);
      assert.ok(Math.abs(x.cpu - x.own) / x.own < 0.03, `cpu ${x.cpu} vs own ${x.own}`);
    }
    const io = async (): Promise<number | null> =>
      (await run('/bin/sh', ['-c', `head -c 300000 /dev/zero > ${dir}/io.bin; cat ${dir}/io.bin`]))
        .outcome.metrics.ioWriteChars;
    const [ioHelper, ioSpawn] = [await io(), await oneShot(io)];
    assert.ok(ioHelper !== null && ioHelper >= 600000);
    assert.equal(ioHelper, ioSpawn);
  });

  test('the helper killed mid-run: the tree dies, the node ends, later nodes fall back', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const { collector } = newCollector();
    collector.start();
    const s = start(collector, fixture('tree'), [pidFile]);
    const members = identify(await waitForPids(pidFile, TREE_MEMBERS));
    current = members;
    const helper = SpawnHelper.runningPid();
    assert.ok(helper !== undefined);
    process.kill(helper, 'SIGKILL');
    const outcome = await s.proc.done;
    assert.deepEqual(await waitUntilDead(members, 2000), []);
    assert.match(s.stderr(), /spawn helper died/);
    assert.notEqual(outcome.exitCode, 0);
    assert.equal(outcome.metrics.cpuTimeMs === null || outcome.lowerBounds.length > 0, true);

    const after = start(collector, '/bin/sh', ['-c', 'echo after']);
    const next = await after.proc.done;
    collector.stop();
    assert.equal(SpawnHelper.runningPid(), undefined, 'no helper is restarted');
    assert.equal(next.exitCode, 0);
    assert.equal(after.stdout(), 'after\n');
    assert.ok(next.metrics.cpuTimeMs !== null && next.metrics.processCount === 1);
  });
});
