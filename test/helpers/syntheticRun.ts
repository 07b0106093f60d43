/**
 * Large, realistic-looking runs for scale tests and the benchmark: a random DAG scheduled on a
 * parallel runtime (waits included), mixed node types, failures, skips and retries, custom
 * metrics on some nodes, and samples spread over the executed process nodes. Deterministic for a
 * given seed.
 */
import type { CompareChoice, CompareSnapshot } from '../../src/protocol/compare';
import { compareSnapshot } from '../../src/report/compareSnapshot';
import { DEFAULT_COMPARE_METRICS } from '../../src/query/compareSides';
import { compareSeries } from '../../src/report/stats/compareSeries';
import type { StatsSettings } from '../../src/model/seriesComparison';
import { emptyTaskRun, type RunRecord, type Sample, type TaskRun } from '../../src/model/run';
import { mulberry32 } from '../../src/report/stats/prng';
import { makeRun, MiB } from './makeRun';

const prng = mulberry32;

const VERBS = [
  'extract',
  'load',
  'transform',
  'score',
  'index',
  'compress',
  'fetch',
  'validate',
  'merge',
  'render',
];
const NOUNS = [
  'orders',
  'customers',
  'events',
  'invoices',
  'sessions',
  'images',
  'rates',
  'logs',
  'features',
  'reports',
];
const TYPES = [
  'shell',
  'python',
  'node',
  'python',
  'shell',
  'node',
  'http',
  'switch',
  'merge',
] as const;
const PROCESS_TYPES: ReadonlySet<string> = new Set(['shell', 'python', 'node']);

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function syntheticRun(
  nodes: number,
  samples: number,
  seed = 1,
): { run: RunRecord; samples: Sample[] } {
  const rnd = prng(seed);
  const slots = 8;
  const slotFree: number[] = new Array<number>(slots).fill(0);
  const ends: number[] = [];
  const tasks: TaskRun[] = [];
  const ids: string[] = [];
  const attemptsOf: TaskRun[][] = [];
  for (let i = 0; i < nodes; i++) {
    const id = `${VERBS[Math.floor(rnd() * VERBS.length)]}_${NOUNS[Math.floor(rnd() * NOUNS.length)]}_${i}`;
    ids.push(id);
    const type = TYPES[Math.floor(rnd() * TYPES.length)] as (typeof TYPES)[number];
    const needs: string[] = [];
    if (i > 0) {
      const k = Math.floor(rnd() * 3);
      for (let j = 0; j < k; j++) {
        const dep = Math.max(0, i - 1 - Math.floor(rnd() * 40));
        if (!needs.includes(ids[dep] as string)) needs.push(ids[dep] as string);
      }
    }
    const tags =
      rnd() < 0.6
        ? [['extract', 'transform', 'load', 'report'][Math.floor(rnd() * 4)] as string]
        : [];
    const ready = needs.reduce((m, d) => Math.max(m, ends[ids.indexOf(d)] ?? 0), 0);
    const roll = rnd();
    if (roll < 0.03 && i > 0) {
      const t = emptyTaskRun(id, type, {
        status: 'skipped',
        needs,
        tags,
        readyAtMs: round3(ready),
        reason: 'switch took the other branch',
      });
      tasks.push(t);
      attemptsOf.push([t]);
      ends.push(ready);
      continue;
    }
    const tries = roll > 0.97 ? 2 : 1;
    const mine: TaskRun[] = [];
    let readyAt = ready;
    for (let a = 1; a <= tries; a++) {
      let slot = 0;
      for (let s = 1; s < slots; s++)
        if ((slotFree[s] as number) < (slotFree[slot] as number)) slot = s;
      const start = Math.max(readyAt, slotFree[slot] as number) + rnd() * 0.5;
      const logic = type === 'switch' || type === 'merge';
      const dur = logic ? 0.2 + rnd() * 2 : Math.exp(Math.log(40) + rnd() * Math.log(120));
      const end = start + dur;
      slotFree[slot] = end;
      const failed = a < tries ? 'retried' : roll > 0.955 && roll <= 0.97 ? 'failed' : 'completed';
      const proc = PROCESS_TYPES.has(type);
      const cpu = proc ? 2 + rnd() * (rnd() < 0.2 ? 190 : 100) : null;
      const peak = proc ? (3 + rnd() * rnd() * 600) * MiB : null;
      const t = emptyTaskRun(id, type, {
        status: failed,
        attempt: a,
        attempts: tries,
        needs,
        tags,
        slot,
        readyAtMs: round3(readyAt),
        startMs: round3(start),
        endMs: round3(end),
        waitMs: round3(start - readyAt),
        durationMs: round3(dur),
        cpuTimeMs: cpu === null ? null : round3((dur * cpu) / 100),
        cpuPercent: cpu === null ? null : round3(cpu),
        peakRssBytes: peak === null ? null : Math.round(peak),
        memoryDeltaBytes: peak === null ? null : Math.round((rnd() - 0.3) * peak * 0.5),
        ioReadBytes: proc ? Math.round(rnd() * rnd() * 200 * MiB) : null,
        ioWriteBytes: proc ? Math.round(rnd() * rnd() * 80 * MiB) : null,
        ioReadChars: proc ? Math.round(rnd() * 300 * MiB) : null,
        ioWriteChars: proc ? Math.round(rnd() * 100 * MiB) : null,
        ioReadOps: proc ? Math.round(rnd() * 40_000) : null,
        ioWriteOps: proc ? Math.round(rnd() * 12_000) : null,
        peakThreads: proc ? 1 + Math.floor(rnd() * 16) : null,
        contextSwitches: proc ? Math.round(rnd() * 20_000) : null,
        processCount: proc ? 1 + Math.floor(rnd() * 4) : null,
        exitCode: proc ? (failed === 'completed' ? 0 : 1) : null,
        reason:
          failed === 'failed'
            ? 'exited with code 1'
            : failed === 'retried'
              ? 'exited with code 1; retrying'
              : null,
        custom: rnd() < 0.1 ? { rows: Math.round(rnd() * 1e6), ratio: round3(rnd()) } : {},
        http:
          type === 'http'
            ? {
                status: 200,
                bytes: Math.round(rnd() * 50_000),
                dnsMs: 1.2,
                connectMs: 3.4,
                tlsMs: null,
                firstByteMs: 20,
                downloadMs: 5,
                totalMs: round3(dur),
              }
            : null,
      });
      mine.push(t);
      tasks.push(t);
      readyAt = end;
    }
    attemptsOf.push(mine);
    ends.push(readyAt);
  }
  const wall = Math.max(0, ...ends) + 5;
  const run = makeRun(tasks, {
    id: `20250101-000000-000-s${seed.toString(16).padStart(4, '0')}`,
    workflow: {
      name: `synthetic-${nodes}`,
      file: `/w/synthetic-${nodes}.workflow.yaml`,
      hash: 'feedfacefeedface',
    },
    maxParallel: slots,
    wallMs: round3(wall),
    endedAt: new Date(Date.parse('2025-01-01T12:00:00.000Z') + wall).toISOString(),
    profile: true,
    status: tasks.some((t) => t.status === 'failed') ? 'failed' : 'completed',
  });

  // Samples: over the executed process attempts, in proportion to their duration.
  const sampled = tasks.filter(
    (t) => PROCESS_TYPES.has(t.type) && t.startMs !== null && t.durationMs !== null,
  );
  const total = sampled.reduce((s, t) => s + (t.durationMs as number), 0);
  const out: Sample[] = [];
  let left = samples;
  sampled.forEach((t, k) => {
    const n =
      k === sampled.length - 1
        ? left
        : Math.min(left, Math.round((samples * (t.durationMs as number)) / Math.max(1, total)));
    left -= n;
    const start = t.startMs as number;
    const dur = t.durationMs as number;
    const peak = t.peakRssBytes ?? 10 * MiB;
    for (let i = 0; i < n; i++) {
      const f = n === 1 ? 0.5 : i / (n - 1);
      out.push({
        nodeId: t.nodeId,
        attempt: t.attempt,
        t: round3(start + f * dur),
        cpuPercent: round3(Math.max(0, (t.cpuPercent ?? 0) * (0.6 + rnd() * 0.8))),
        rssBytes: Math.round(peak * (0.3 + 0.7 * Math.min(1, f * 1.5)) * (0.9 + rnd() * 0.1)),
        threads: t.peakThreads,
        processes: 1,
        readBytesPerSec: Math.round(rnd() * 50 * MiB),
        writeBytesPerSec: Math.round(rnd() * 20 * MiB),
      });
    }
  });
  out.sort((a, b) => a.t - b.t);
  return { run, samples: out };
}

/**
 * The compare snapshot of two sides as the panel's host makes it: compareSeries over the CLI's
 * default metrics, each side named by a spec (a series id, or its runs' ids).
 */
export function sidesSnapshot(
  baseline: RunRecord[],
  candidate: RunRecord[],
  opts: {
    specs?: [string, string];
    warmups?: [string[], string[]];
    choices?: CompareChoice[];
    settings?: Partial<StatsSettings>;
  } = {},
): CompareSnapshot {
  const result = compareSeries(baseline, candidate, DEFAULT_COMPARE_METRICS, opts.settings);
  const spec = (runs: RunRecord[]): string => runs.map((r) => r.id).join(',');
  return compareSnapshot({
    baseline: {
      spec: opts.specs?.[0] ?? spec(baseline),
      runs: baseline,
      warmups: opts.warmups?.[0] ?? [],
    },
    candidate: {
      spec: opts.specs?.[1] ?? spec(candidate),
      runs: candidate,
      warmups: opts.warmups?.[1] ?? [],
    },
    result,
    choices: opts.choices,
  });
}

/**
 * `runs` runs of one synthetic workflow of `nodes` nodes, a day apart, with run-to-run noise: the
 * first half the baseline, the rest the candidate, in whose every run one node regresses and one
 * improves. Returns the runs (oldest first) and the compare snapshot of the two halves.
 */
export function syntheticComparison(
  runs: number,
  nodes: number,
  seed = 7,
): { runs: RunRecord[]; snapshot: CompareSnapshot } {
  const base = syntheticRun(nodes, 0, seed).run;
  const rnd = prng(seed + 1);
  const out: RunRecord[] = [];
  // The planted changes go to the two longest nodes, well above the noise floors.
  const longest = [...base.tasks]
    .filter((t) => t.durationMs !== null && t.status === 'completed')
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .map((t) => t.nodeId);
  const [slower, faster] = [longest[0], longest[1]];
  const half = Math.max(1, Math.floor(runs / 2));
  for (let r = 0; r < runs; r++) {
    const last = r >= half;
    const scale = (t: TaskRun): number => {
      if (last && t.nodeId === slower) return 1.6;
      if (last && t.nodeId === faster) return 0.55;
      return 0.97 + rnd() * 0.06;
    };
    const tasks = base.tasks.map((t) => {
      const k = scale(t);
      const mul = (v: number | null): number | null => (v === null ? null : round3(v * k));
      return {
        ...t,
        durationMs: mul(t.durationMs),
        endMs:
          t.startMs !== null && t.durationMs !== null
            ? round3(t.startMs + t.durationMs * k)
            : t.endMs,
        cpuTimeMs: mul(t.cpuTimeMs),
        peakRssBytes: t.peakRssBytes === null ? null : Math.round(t.peakRssBytes * k),
        ioReadBytes: t.ioReadBytes === null ? null : Math.round(t.ioReadBytes * k),
      };
    });
    const day = new Date(Date.parse('2025-01-01T02:00:00.000Z') + r * 86_400_000).toISOString();
    out.push({
      ...base,
      id: `2025010${1 + (r % 9)}-020000-000-r${String(r).padStart(3, '0')}`,
      startedAt: day,
      status: r === Math.floor(runs / 2) && runs > 3 ? 'failed' : 'completed',
      wallMs:
        base.wallMs === null
          ? null
          : round3(base.wallMs * (0.95 + rnd() * 0.1) * (last ? 1.12 : 1)),
      tasks,
    });
  }
  // Fewer resamples than the CLI's 4,000: thousands of nodes would take seconds to build.
  const settings = { iterations: nodes > 200 ? 300 : 1000 };
  return {
    runs: out,
    snapshot: sidesSnapshot(out.slice(0, half), out.slice(half), { settings }),
  };
}
