import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { reaperMetrics } from '../../src/runtime/processRunner';
import { emptyTreeStats, type TreeStats } from '../../src/measure/treeStats';
import {
  monoNsToMonoMs,
  parseReaperResult,
  reaperArgs,
  signalName,
  takeReaperResult,
  type ReaperResult,
} from '../../src/measure/reaper';

const sample = {
  version: 1,
  pid: 123,
  exitCode: 0,
  signal: 0,
  execErrno: 0,
  startNs: 1_000_000_000,
  endNs: 3_000_000_000,
  reaperEndNs: 3_001_000_000,
  cpuUserUs: 900_000,
  cpuSysUs: 100_000,
  maxRssKb: 2048,
  voluntaryCtxSwitches: 10,
  involuntaryCtxSwitches: 5,
  io: {
    rchar: 1,
    wchar: 2,
    syscr: 3,
    syscw: 4,
    readBytes: 4096,
    writeBytes: 8192,
    cancelledWriteBytes: 4096,
  },
  processesReaped: 2,
  straysKilled: 1,
  cancelled: false,
  cancelSignal: 0,
};

test('a reaper result is parsed into numbers, with "none" as null', () => {
  const r = parseReaperResult(JSON.stringify(sample));
  assert.equal(r.exitCode, 0);
  assert.equal(r.signal, null);
  assert.equal(r.execErrno, null);
  assert.equal(r.cancelSignal, null);
  assert.equal(r.maxRssBytes, 2048 * 1024);
  assert.equal(r.io?.writeBytes, 8192);
  const killed = parseReaperResult(JSON.stringify({ ...sample, exitCode: -1, signal: 9 }));
  assert.equal(killed.exitCode, null);
  assert.equal(signalName(killed.signal ?? 0), 'SIGKILL');
  assert.equal(parseReaperResult(JSON.stringify({ ...sample, io: null })).io, null);
});

test('malformed reaper results are rejected', () => {
  const bad = [
    '{"version":1,',
    '[]',
    JSON.stringify({ ...sample, version: 2 }),
    JSON.stringify({ ...sample, cpuUserUs: -1 }),
    JSON.stringify({ ...sample, maxRssKb: 'x' }),
    JSON.stringify({ ...sample, io: { rchar: 1 } }),
    JSON.stringify({ ...sample, endNs: 1 }),
    JSON.stringify({ ...sample, cancelled: undefined }),
  ];
  for (const text of bad) assert.throws(() => parseReaperResult(text), text);
});

test('a missing or bad result file is reported, and removed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-reaper-unit-'));
  try {
    assert.equal(takeReaperResult(path.join(dir, 'none.json')).result, null);
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, '{"version":1');
    const taken = takeReaperResult(file);
    assert.equal(taken.result, null);
    assert.ok(taken.problem);
    assert.equal(fs.existsSync(file), false);
    fs.writeFileSync(file, JSON.stringify(sample));
    assert.equal(takeReaperResult(file).result?.pid, 123);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('reaper argv puts the command after --', () => {
  assert.deepEqual(reaperArgs('/r.json', 'sh', ['-c', '--x'], 250), [
    '--result',
    '/r.json',
    '--grace-ms',
    '250',
    '--',
    'sh',
    '-c',
    '--x',
  ]);
});

test('monotonic nanoseconds map onto monoMs()', () => {
  // At the moment monoMs() read 500 ms, CLOCK_MONOTONIC read 10 s.
  assert.equal(monoNsToMonoMs(9_000_000_000, 500, 10_000_000_000n), -500);
  assert.equal(monoNsToMonoMs(10_250_000_000, 500, 10_000_000_000n), 750);
});

const stats = (over: Partial<TreeStats> = {}): TreeStats => ({ ...emptyTreeStats(), ...over });

test('exact reaper totals combine with sampled peaks', () => {
  const r: ReaperResult = parseReaperResult(JSON.stringify(sample));
  const none = reaperMetrics(r, stats());
  assert.equal(none.durationMs, 2000);
  assert.equal(none.cpuTimeMs, 1000);
  assert.equal(none.cpuPercent, 50);
  assert.equal(none.peakRssBytes, 2048 * 1024, 'ru_maxrss alone without samples');
  assert.equal(none.memoryDeltaBytes, null);
  assert.equal(none.peakThreads, null);
  assert.equal(none.sampleCount, 0);
  assert.equal(none.ioWriteBytes, 4096, 'cancelled writes never reached the disk');
  assert.equal(none.contextSwitches, 15);
  assert.equal(none.processCount, 2);
  assert.equal(none.strayProcessesKilled, 1);

  const sampled = reaperMetrics(
    r,
    stats({
      sampleCount: 3,
      peakRssBytes: 10 * 1024 * 1024, // a tree whose summed RSS beats any single process
      maxHwmBytes: 3 * 1024 * 1024,
      firstRssBytes: 1000,
      lastRssBytes: 5000,
      peakThreads: 7,
      processCount: 4,
    }),
  );
  assert.equal(sampled.peakRssBytes, 10 * 1024 * 1024);
  assert.equal(sampled.memoryDeltaBytes, 4000);
  assert.equal(sampled.peakThreads, 7);
  assert.equal(sampled.processCount, 4);
});
