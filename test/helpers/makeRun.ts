/**
 * Hand-built RunRecords for report tests: no runner, no I/O. `ran` makes a TaskRun that started
 * and ended at the given offsets; everything not given stays null (not measured), as in real runs.
 */
import {
  emptyTaskRun,
  type CollectorInfo,
  type RunRecord,
  type Sample,
  type TaskRun,
} from '../../src/model/run';

export const MiB = 1024 * 1024;

export function collector(extra: Partial<CollectorInfo> = {}): CollectorInfo {
  return {
    intervalMs: 100,
    platform: 'linux',
    mode: 'reaper',
    sources: [
      { metric: 'durationMs', source: 'wp-reaper: CLOCK_MONOTONIC from fork to exit' },
      { metric: 'cpuTimeMs', source: 'wp-reaper: getrusage(RUSAGE_CHILDREN) user + system' },
    ],
    overheadCpuMs: 4,
    ticks: 10,
    unavailable: [],
    ...extra,
  };
}

export function makeRun(tasks: TaskRun[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    id: '20250101-120000-000-abcd',
    status: 'completed',
    runtime: 'parallel',
    maxParallel: 4,
    startedAt: '2025-01-01T12:00:00.000Z',
    endedAt: '2025-01-01T12:00:01.000Z',
    wallMs: 1000,
    workflow: { name: 'test-flow', file: '/w/test.workflow.yaml', hash: '0123456789abcdef' },
    collector: collector(),
    runner: { pid: 1234, host: 'host', startedAtTicks: null },
    profile: false,
    reason: null,
    tasks,
    ...extra,
  };
}

/** A node attempt that ran from `startMs` for `durationMs`, completed unless told otherwise. */
export function ran(
  nodeId: string,
  startMs: number,
  durationMs: number,
  extra: Partial<TaskRun> = {},
): TaskRun {
  return emptyTaskRun(nodeId, extra.type ?? 'shell', {
    status: 'completed',
    readyAtMs: startMs,
    startMs,
    endMs: startMs + durationMs,
    waitMs: 0,
    durationMs,
    slot: 0,
    ...extra,
  });
}

/** A node that never ran. */
export function unrun(
  nodeId: string,
  status: 'skipped' | 'cancelled' | 'pending',
  extra: Partial<TaskRun> = {},
): TaskRun {
  return emptyTaskRun(nodeId, extra.type ?? 'shell', { status, ...extra });
}

/** Samples of one node attempt every `intervalMs` from `fromMs` to `toMs` (inclusive). */
export function samplesOf(
  nodeId: string,
  fromMs: number,
  toMs: number,
  rssBytes: number | null,
  cpuPercent: number | null,
  intervalMs = 100,
  attempt = 1,
): Sample[] {
  const out: Sample[] = [];
  for (let t = fromMs; t <= toMs; t += intervalMs) {
    out.push({
      nodeId,
      attempt,
      t,
      cpuPercent,
      rssBytes,
      threads: 1,
      processes: 1,
      readBytesPerSec: null,
      writeBytesPerSec: null,
    });
  }
  return out;
}

/**
 * A nightly ETL as the real runtime would record it: parallel with 2 slots, a CPU-bound
 * transform on the critical path, a flaky upload retried once, an HTTP notification, a switch
 * that skipped a branch, a nested workflow and custom metrics.
 */
export function etlRun(): { run: RunRecord; samples: Sample[] } {
  const tasks: TaskRun[] = [
    ran('extract', 2.1, 812.4, {
      slot: 0,
      cpuTimeMs: 201.3,
      cpuPercent: 24.8,
      peakRssBytes: 48.2 * MiB,
      memoryDeltaBytes: 12 * MiB,
      ioReadBytes: 96 * MiB,
      ioWriteBytes: 31 * MiB,
      ioReadChars: 97 * MiB,
      ioWriteChars: 31 * MiB,
      ioReadOps: 24_576,
      ioWriteOps: 7_940,
      peakThreads: 1,
      contextSwitches: 1_210,
      processCount: 1,
      custom: { rows: 120_000 },
    }),
    ran('fetch-rates', 2.3, 640.0, {
      type: 'http',
      slot: 1,
      http: {
        status: 200,
        bytes: 18_432,
        dnsMs: 1.2,
        connectMs: 3.4,
        tlsMs: 11.8,
        firstByteMs: 590.2,
        downloadMs: 33.4,
        totalMs: 640.0,
      },
    }),
    ran('lint', 642.5, 150.2, {
      slot: 1,
      readyAtMs: 2.0,
      waitMs: 640.5,
      cpuTimeMs: 141.0,
      cpuPercent: 93.9,
      peakRssBytes: 35 * MiB,
      memoryDeltaBytes: 3 * MiB,
      ioReadBytes: 2 * MiB,
      ioWriteBytes: 0,
      ioReadOps: 812,
      ioWriteOps: 3,
      peakThreads: 1,
      contextSwitches: 52,
      processCount: 1,
    }),
    ran('transform', 815.2, 2_950.6, {
      type: 'python',
      needs: ['extract', 'fetch-rates'],
      slot: 0,
      cpuTimeMs: 2_921.1,
      cpuPercent: 99.0,
      peakRssBytes: 312 * MiB,
      memoryDeltaBytes: 250 * MiB,
      ioReadBytes: 0,
      ioWriteBytes: 4 * MiB,
      ioReadOps: 310,
      ioWriteOps: 1_024,
      peakThreads: 4,
      contextSwitches: 5_002,
      processCount: 1,
      custom: { rows_out: 118_800, error_rate: 0.01 },
    }),
    ran('report', 3_766.4, 120.3, {
      type: 'node',
      needs: ['transform'],
      slot: 0,
      cpuTimeMs: 96.0,
      cpuPercent: 79.8,
      peakRssBytes: 61 * MiB,
      memoryDeltaBytes: -2 * MiB,
      ioReadBytes: 0,
      ioWriteBytes: 64 * 1024,
      ioReadOps: 40,
      ioWriteOps: 12,
      peakThreads: 7,
      contextSwitches: 88,
      processCount: 1,
    }),
    ran('upload', 3_766.6, 400.0, {
      needs: ['transform'],
      slot: 1,
      status: 'retried',
      attempts: 1,
      exitCode: 1,
      reason: 'exit code 1',
      cpuTimeMs: 12.0,
      cpuPercent: 3.0,
      peakRssBytes: 9 * MiB,
      ioReadOps: 20,
      ioWriteOps: 4,
    }),
    ran('upload', 4_166.8, 1_210.0, {
      needs: ['transform'],
      slot: 1,
      attempt: 2,
      attempts: 2,
      readyAtMs: 4_166.6,
      waitMs: 0.2,
      cpuTimeMs: 30.1,
      cpuPercent: 2.5,
      peakRssBytes: 9 * MiB,
      memoryDeltaBytes: 0,
      ioReadBytes: 0,
      ioWriteBytes: 0,
      ioReadOps: 60,
      ioWriteOps: 20,
      peakThreads: 1,
      contextSwitches: 30,
      processCount: 2,
    }),
    ran('check', 3_887.0, 0.4, {
      type: 'switch',
      needs: ['report'],
      slot: 0,
      reason: 'took `then`',
    }),
    unrun('alert', 'skipped', {
      type: 'http',
      needs: ['check'],
      reason: 'switch `check` took `then`',
    }),
    ran('archive', 3_887.6, 1_300.0, {
      type: 'workflow',
      needs: ['check'],
      slot: 0,
      readyAtMs: 3_887.5,
      waitMs: 0.1,
    }),
    ran('archive/pack', 3_888.0, 900.0, {
      parentId: 'archive',
      slot: 0,
      cpuTimeMs: 850.2,
      cpuPercent: 94.5,
      peakRssBytes: 22 * MiB,
      memoryDeltaBytes: 1 * MiB,
      ioReadBytes: 40 * MiB,
      ioWriteBytes: 11 * MiB,
      ioReadOps: 3_000,
      ioWriteOps: 800,
      peakThreads: 1,
      contextSwitches: 140,
      processCount: 3,
    }),
    ran('archive/verify', 4_788.4, 398.0, {
      parentId: 'archive',
      needs: ['archive/pack'],
      slot: 0,
      cpuTimeMs: 380.0,
      cpuPercent: 95.5,
      peakRssBytes: 15 * MiB,
      memoryDeltaBytes: 0,
      ioReadBytes: 11 * MiB,
      ioWriteBytes: 0,
      ioReadOps: 900,
      ioWriteOps: 2,
      peakThreads: 1,
      contextSwitches: 41,
      processCount: 1,
    }),
  ];
  const run = makeRun(tasks, {
    workflow: {
      name: 'nightly-etl',
      file: 'examples/nightly-etl.workflow.yaml',
      hash: 'f3a9c2d18e7b6a5c',
    },
    maxParallel: 2,
    wallMs: 5_390.2,
    endedAt: '2025-01-01T12:00:05.390Z',
    profile: true,
    collector: collector({ ticks: 54, overheadCpuMs: 38.5 }),
  });
  const samples = [
    ...samplesOf('extract', 100, 800, 40 * MiB, 25),
    ...samplesOf('lint', 700, 700, 30 * MiB, 90),
    ...samplesOf('transform', 900, 3700, 300 * MiB, 99),
    ...samplesOf('report', 3800, 3800, 60 * MiB, 80),
    ...samplesOf('upload', 3800, 4100, 8 * MiB, 3),
    ...samplesOf('upload', 4200, 5300, 8 * MiB, 2, 100, 2),
    ...samplesOf('archive/pack', 3900, 4700, 20 * MiB, 95),
    ...samplesOf('archive/verify', 4800, 5100, 14 * MiB, 95),
  ];
  return { run, samples };
}
