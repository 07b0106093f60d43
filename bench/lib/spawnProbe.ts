/**
 * Run as its own small Node process by the runner case (`node spawnProbe.js MODE COUNT`), so the
 * cost of spawning is measured from a process of a runner's size, not from the bench's own heap:
 * Node's spawn forks the whole parent, so its cost grows with the parent's memory.
 *
 *   node-spawn     spawn('/bin/sh', ['-c', 'true']) one after another, each to its 'close'
 *   process-layer  the runner's process layer: startProcess under the reaper, with a collector
 *                  sampling every 100 ms (what the runner does per node, minus the bookkeeping);
 *                  the reaper is forked by the spawn helper, as in the runner
 *   process-layer-oneshot  the same with the helper switched off: Node spawns the one-shot
 *                  reaper per node (the fallback when the helper cannot start or died)
 *   helper         the spawn helper alone: one start request after another, each to its close
 *
 * An optional third argument holds that many MiB of touched memory first (ballast), to show how
 * the cost of spawning grows with the parent's size.
 *
 * Prints one JSON object: { perNodeMs, rssBytes }.
 */
import { spawn } from 'node:child_process';
import { newCollector, requireReaper, run } from '../../test/fixtures/harness';
import { SPAWN_HELPER_ENV, SpawnHelper } from '../../src/measure/spawnHelper';

async function nodeSpawn(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/** One `sh -c true` through the spawn helper, without the process layer around it. */
function viaHelper(helper: SpawnHelper): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (message: string): void => reject(new Error(message));
    helper.start(
      { file: '/bin/sh', args: ['-c', 'true'], cwd: '/', env: {}, graceMs: 500, cgroupDir: null },
      {
        started: () => undefined,
        stdout: () => undefined,
        stderr: () => undefined,
        exit: () => undefined,
        close: () => resolve(),
        error: fail,
      },
      () => {
        throw new Error('the spawn helper died');
      },
    );
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'process-layer-oneshot') process.env[SPAWN_HELPER_ENV] = '0';
  // The helper row measures the helper, even in a run that switched it off for the runner.
  if (mode === 'helper') delete process.env[SPAWN_HELPER_ENV];
  const layer = mode === 'process-layer' || mode === 'process-layer-oneshot';
  const count = Number(process.argv[3] ?? '100');
  const ballast = Array.from({ length: Number(process.argv[4] ?? '0') }, () =>
    Buffer.alloc(1024 * 1024, 1),
  );
  const collected = layer ? newCollector() : null;
  const helper = mode === 'helper' ? SpawnHelper.for(requireReaper()) : null;
  collected?.collector.start();
  const once =
    mode === 'node-spawn'
      ? nodeSpawn
      : helper
        ? () => viaHelper(helper)
        : layer
          ? async (): Promise<void> => {
              const r = await run('/bin/sh', ['-c', 'true'], {
                collected: collected ?? undefined,
              });
              if (r.outcome.exitCode !== 0) throw new Error(`sh -c true: ${r.stderr}`);
            }
          : null;
  if (!once) throw new Error(`unknown mode ${mode ?? ''}`);
  for (let i = 0; i < 5; i++) await once(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await once();
  const perNodeMs = Number(process.hrtime.bigint() - start) / 1e6 / count;
  collected?.collector.stop();
  const rssBytes = process.memoryUsage().rss;
  process.stdout.write(JSON.stringify({ perNodeMs, rssBytes, ballast: ballast.length }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
