import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsCollector } from '../../src/measure/metricsCollector';
import {
  PIDUSAGE_UNAVAILABLE,
  PidusageSampler,
  sampledMetrics,
  type PidusageDeps,
  type PidusageStat,
} from '../../src/measure/pidusageFallback';
import type { Sample } from '../../src/model/run';

/** A fake pidusage: each call advances every live pid's CPU time by 40 ms. */
function fakeDeps(platform: NodeJS.Platform, live: Map<number, PidusageStat>) {
  const calls: { pids: number[]; maxage: number }[] = [];
  let cleared = 0;
  const deps: PidusageDeps = {
    platform,
    pidusage: async (pids, options) => {
      calls.push({ pids: [...pids], maxage: options.maxage });
      // Like `ps`: a batch fails as a whole when a pid is gone.
      if (pids.some((p) => !live.has(p))) throw new Error('No matching pid found');
      const out: Record<string, PidusageStat> = {};
      for (const p of pids) {
        const s = live.get(p) as PidusageStat;
        s.ctime += 40;
        out[String(p)] = { ...s };
      }
      return out;
    },
    clear: () => {
      cleared += 1;
    },
  };
  return { deps, calls, cleared: () => cleared };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

test('the sampler batches pids, retries one by one when a pid is gone', async () => {
  const live = new Map([[10, { memory: 1000, ctime: 0 }]]);
  const fake = fakeDeps('darwin', live);
  const sampler = new PidusageSampler(fake.deps, 100);
  const first = await sampler.sample([10, 11]);
  assert.deepEqual([...first.keys()], [10]);
  assert.deepEqual(first.get(10), { rssBytes: 1000, cpuMs: 40 });
  assert.deepEqual(
    fake.calls.map((c) => c.pids),
    [[10, 11], [10], [11]],
  );
  assert.ok(
    fake.calls.every((c) => c.maxage >= 1000),
    'a short expiry closes Linux descriptors',
  );
  assert.equal((await sampler.sample([])).size, 0);
});

test('clear() is called on macOS and Windows, never on Linux (it would leak descriptors)', () => {
  for (const [platform, expected] of [
    ['darwin', 1],
    ['win32', 1],
    ['linux', 0],
  ] as const) {
    const fake = fakeDeps(platform, new Map());
    new PidusageSampler(fake.deps, 100).dispose();
    assert.equal(fake.cleared(), expected, platform);
  }
});

test('the collector in pidusage mode on a fake macOS: root-only samples, nulls for the rest', async () => {
  const live = new Map([[4242, { memory: 50_000_000, ctime: 0 }]]);
  const fake = fakeDeps('darwin', live);
  const samples: Sample[] = [];
  const collector = new MetricsCollector({
    intervalMs: 100,
    originMono: 0,
    onSamples: (b) => samples.push(...b),
    mode: 'pidusage',
    pidusage: fake.deps,
  });
  const handle = collector.track('node', 1, 4242, { rootIsReaper: false });
  collector.tick(); // at once: too short a window for a CPU % worth showing
  await settle();
  await new Promise((r) => setTimeout(r, 60));
  collector.tick();
  await settle();
  (live.get(4242) as PidusageStat).memory = 80_000_000;
  await new Promise((r) => setTimeout(r, 60));
  collector.tick();
  await settle();
  live.delete(4242); // exited
  collector.tick();
  await settle();

  assert.equal(samples.length, 3);
  for (const s of samples) {
    assert.equal(s.nodeId, 'node');
    assert.equal(s.threads, null);
    assert.equal(s.readBytesPerSec, null);
    assert.equal(s.writeBytesPerSec, null);
    assert.equal(s.processes, 1);
  }
  assert.equal(samples[0]?.cpuPercent, null);
  for (const s of samples.slice(1)) {
    // 40 ms of CPU per call over about 60 ms windows (the first window began at track()).
    assert.ok(s.cpuPercent !== null && s.cpuPercent > 20 && s.cpuPercent <= 140, `${s.cpuPercent}`);
  }
  const stats = handle.finish();
  assert.equal(stats.sampleCount, 3);
  assert.equal(stats.peakRssBytes, 80_000_000);
  assert.equal(stats.firstRssBytes, 50_000_000);
  assert.equal(stats.lastCpuMs, 120);
  assert.equal(stats.processCount, null);
  assert.equal(stats.peakThreads, null);
  assert.equal(stats.lastIo, null);

  const m = sampledMetrics(stats, 200);
  assert.equal(m.cpuTimeMs, 120);
  assert.equal(m.cpuPercent, 60);
  assert.equal(m.peakRssBytes, 80_000_000);
  assert.equal(m.memoryDeltaBytes, 30_000_000);
  for (const k of PIDUSAGE_UNAVAILABLE) {
    assert.equal(m[k as keyof typeof m], null, `${k} must be null, not 0`);
  }

  const info = collector.info();
  assert.equal(info.mode, 'pidusage');
  assert.equal(info.platform, 'darwin');
  assert.equal(info.ticks, 4);
  assert.deepEqual(info.unavailable, PIDUSAGE_UNAVAILABLE);
  assert.ok(info.sources.some((s) => s.metric === 'cpuTimeMs' && /estimate/.test(s.source)));
  assert.ok(info.sources.some((s) => /`ps`/.test(s.source)));
  collector.stop();
  assert.equal(fake.cleared(), 1);
});

test('with no sample at all, sampled metrics are null, never 0', () => {
  const m = sampledMetrics(
    {
      sampleCount: 0,
      peakRssBytes: null,
      maxHwmBytes: null,
      firstRssBytes: null,
      lastRssBytes: null,
      peakThreads: null,
      processCount: null,
      lastCpuMs: null,
      lastIo: null,
      runQueueWaitMs: null,
    },
    15,
  );
  assert.equal(m.durationMs, 15);
  for (const [k, v] of Object.entries(m)) {
    if (k === 'durationMs' || k === 'sampleCount') continue;
    assert.equal(v, null, k);
  }
  assert.equal(m.sampleCount, 0);
});
