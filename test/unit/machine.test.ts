/**
 * The machine context: parsing /proc/stat, /proc/loadavg and schedstat, otherCpuPercent, the
 * starved and busy-machine thresholds (probed just above and just below), the run.json check
 * (old files without `machine` still load), the report and compare's load warning.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  otherCpuPercent,
  parseLoadAverage,
  parseProcStatCpu,
  readCpuTimes,
  readLoadAverage,
} from '../../src/measure/machineProbe';
import { parseSchedstatWaitNs } from '../../src/measure/procfs';
import { ProcTable } from '../../src/measure/procTable';
import { runQueueWaitBound } from '../../src/measure/lowerBounds';
import { sampledMetrics } from '../../src/measure/pidusageFallback';
import { emptyTreeStats } from '../../src/measure/treeStats';
import {
  BUSY_MACHINE_OTHER_CPU_PERCENT,
  checkMachineContext,
  isBusyMachine,
  isStarved,
  loadWarnings,
  machineLine,
  machineOf,
  STARVED_MIN_MS,
  STARVED_SHARE_OF_DURATION,
  type MachineContext,
} from '../../src/model/machine';
import type { RunRecord } from '../../src/model/run';
import { checkRunRecord } from '../../src/store/runRecordCheck';
import { isDashboardSnapshot } from '../../src/protocol/dashboardValidate';
import { renderReport } from '../../src/report/markdown';
import { analyzeRun } from '../../src/report/analysis';
import { compareSeries } from '../../src/report/stats/compareSeries';
import { compareLoadWarning } from '../../src/report/stats/loadContext';
import { renderSeriesMarkdown, renderSeriesText } from '../../src/report/stats/renderSeries';
import { makeRun, ran } from '../helpers/makeRun';

const PROC_STAT = `cpu  10132153 290696 3084719 46828483 16683 0 25195 175 12 3
cpu0 1393280 32966 572056 13343292 6130 0 17875 0 0 0
intr 199292 0 0
ctxt 12345
`;

test('/proc/stat: busy is user+nice+system+irq+softirq+steal, total adds idle and iowait', () => {
  const t = parseProcStatCpu(PROC_STAT);
  const busy = 10132153 + 290696 + 3084719 + 0 + 25195 + 175;
  assert.deepEqual(t, { busyTicks: busy, totalTicks: busy + 46828483 + 16683 });
  // Old kernels print only user nice system idle.
  assert.deepEqual(parseProcStatCpu('cpu 1 2 3 4\n'), { busyTicks: 6, totalTicks: 10 });
  assert.equal(parseProcStatCpu('cpu0 1 2 3 4\n'), null, 'a per-CPU line is not the total');
  assert.equal(parseProcStatCpu('cpu 1 2 x 4\n'), null);
  assert.equal(parseProcStatCpu('cpu 1 2\n'), null);
  assert.equal(parseProcStatCpu(''), null);
});

test('/proc/loadavg: the 1-minute figure, null for anything else', () => {
  assert.equal(parseLoadAverage('0.52 0.58 0.59 1/123 4567\n'), 0.52);
  assert.equal(parseLoadAverage('12.00 3 1 2/3 4'), 12);
  assert.equal(parseLoadAverage(''), null);
  assert.equal(parseLoadAverage('nan 1 2'), null);
  assert.equal(parseLoadAverage('-1 1 2'), null);
  assert.equal(readLoadAverage('win32'), null, 'Windows has no load average: null, not 0');
});

test('schedstat: the second field is the run-queue wait in ns', () => {
  const b = (s: string): [Buffer, number] => [Buffer.from(s), Buffer.byteLength(s)];
  assert.equal(parseSchedstatWaitNs(...b('2811264 1193845 17\n')), 1193845);
  assert.equal(parseSchedstatWaitNs(...b('0 0 0\n')), 0);
  assert.equal(parseSchedstatWaitNs(...b('2811264\n')), null);
  assert.equal(parseSchedstatWaitNs(...b('a b c\n')), null);
  assert.equal(parseSchedstatWaitNs(...b('')), null);
});

test('otherCpuPercent: machine busy minus the run, over every CPU × wall, clamped', () => {
  const start = { busyTicks: 1000, totalTicks: 10_000 };
  // 2 CPUs for 1 s at 100 ticks/s: 200 ticks; 150 busy, of which 1000 ms were the run's.
  const end = { busyTicks: 1150, totalTicks: 10_200 };
  assert.equal(otherCpuPercent(start, end, 1000, 100), 25);
  assert.equal(otherCpuPercent(start, end, 0, 100), 75);
  assert.equal(otherCpuPercent(start, end, 1600, 100), 0, 'never below 0');
  assert.equal(otherCpuPercent(start, { busyTicks: 1300, totalTicks: 10_200 }, 0, 100), 100);
  assert.equal(otherCpuPercent(null, end, 0, 100), null, 'no /proc/stat: null, never 0');
  assert.equal(otherCpuPercent(start, start, 0, 100), null, 'no time passed');
});

test('this Linux machine: /proc/stat and /proc/loadavg read, schedstat of a live process', () => {
  assert.equal(process.platform, 'linux', 'the exact collector needs Linux');
  const t = readCpuTimes();
  assert.ok(t && t.totalTicks > t.busyTicks && t.busyTicks > 0, 'no /proc/stat');
  const load = readLoadAverage();
  assert.ok(load !== null && load >= 0, 'no /proc/loadavg');
  const table = new ProcTable();
  const self = table.read(process.pid);
  assert.ok(self, 'cannot read /proc/self');
  // This process is multi-threaded: its threads' waits come from /proc/PID/task/*/schedstat.
  const ns = table.runQueueWaitNs(self);
  assert.ok(ns !== null && ns >= 0, 'no schedstat (CONFIG_SCHED_INFO)');
  table.close();
});

test('starved: ≥ 25 % of the duration and ≥ 100 ms, probed at both edges', () => {
  assert.equal(STARVED_SHARE_OF_DURATION, 0.25);
  assert.equal(STARVED_MIN_MS, 100);
  const t = (durationMs: number | null, runQueueWaitMs: number | null): boolean =>
    isStarved({ nodeId: 'n', durationMs, runQueueWaitMs });
  assert.equal(t(1000, 250), true);
  assert.equal(t(1000, 249.9), false, 'just below the share');
  assert.equal(t(400, 100), true);
  assert.equal(t(300, 99.9), false, 'a third of a short node, but under 100 ms');
  assert.equal(t(1000, null), false, 'not measured is not starved');
  assert.equal(t(null, 500), false);
});

const machine = (otherCpuPercent: number | null): MachineContext => ({
  cores: 2,
  cpuModel: 'Test CPU',
  memoryBytes: 4 * 1024 ** 3,
  loadAverage: { start: 0.5, end: 3.25 },
  otherCpuPercent,
});

test('busy machine: other CPU ≥ 25 %, null is not busy', () => {
  assert.equal(BUSY_MACHINE_OTHER_CPU_PERCENT, 25);
  assert.equal(isBusyMachine(machine(25)), true);
  assert.equal(isBusyMachine(machine(24.9)), false);
  assert.equal(isBusyMachine(machine(null)), false);
  assert.equal(isBusyMachine(null), false);
  assert.equal(
    machineLine(machine(12)),
    '2 cores · load 0.50 → 3.25 · other CPU 12.0% · 4.0 GiB memory · Test CPU',
  );
  assert.equal(
    machineLine({ ...machine(null), loadAverage: { start: null, end: null } }).includes(
      'load n/a → n/a · other CPU n/a',
    ),
    true,
  );
});

test('warnings name the starved node and its wait in time, and the busy machine', () => {
  const w = loadWarnings(machine(40), [
    { nodeId: 'burn', durationMs: 2000, runQueueWaitMs: 900 },
    { nodeId: 'quiet', durationMs: 2000, runQueueWaitMs: 3 },
  ]);
  assert.deepEqual(
    w.map((x) => [x.kind, x.nodeId]),
    [
      ['starved', 'burn'],
      ['busy-machine', null],
    ],
  );
  assert.match(w[0]?.text ?? '', /waited 900\.0 ms on a run queue, .*45% of its 2\.000 s/);
  assert.match(w[1]?.text ?? '', /40%/);
  assert.deepEqual(
    loadWarnings(machine(3), [{ nodeId: 'q', durationMs: 50, runQueueWaitMs: 1 }]),
    [],
  );
});

test('run.json: old files without machine load; a damaged machine is named', () => {
  const old = JSON.parse(JSON.stringify(makeRun([ran('a', 0, 10)]))) as Record<string, unknown>;
  delete old['machine'];
  assert.equal(checkRunRecord(old), null, 'a run.json from before `machine` still loads');
  assert.equal(machineOf(old as unknown as RunRecord), null);
  assert.equal(checkRunRecord({ ...old, machine: machine(10) }), null);
  assert.equal(checkRunRecord({ ...old, machine: machine(null) }), null);
  assert.match(checkRunRecord({ ...old, machine: { ...machine(10), cores: 0 } }) ?? '', /cores/);
  assert.match(checkRunRecord({ ...old, machine: machine(130) }) ?? '', /otherCpuPercent/);
  assert.match(
    checkRunRecord({ ...old, machine: { ...machine(1), loadAverage: { start: '1' } } }) ?? '',
    /loadAverage/,
  );
  assert.match(checkMachineContext(null) ?? '', /not an object/);
  const snap = { run: { ...old, machine: machine(10) }, samples: [], plan: [], customHistory: [] };
  assert.equal(isDashboardSnapshot(snap), true);
  assert.equal(isDashboardSnapshot({ ...snap, run: old }), true, 'an old run in the dashboard');
  assert.equal(isDashboardSnapshot({ ...snap, run: { ...old, machine: 'x' } }), false);
});

test('report: the machine line, the starved node and the busy machine among the insights', () => {
  const run = makeRun(
    [
      ran('burn', 0, 2000, { cpuTimeMs: 1000, cpuPercent: 50, runQueueWaitMs: 950 }),
      ran('quiet', 0, 2000, { cpuTimeMs: 1900, cpuPercent: 95, runQueueWaitMs: 20, slot: 1 }),
    ],
    { machine: machine(30), wallMs: 2000 },
  );
  const md = renderReport(run);
  // The report escapes Markdown, dots included.
  assert.match(md, /\| Machine \| 2 cores · load 0\\\.50 → 3\\\.25 · other CPU 30\\\.0%/);
  assert.match(
    md,
    /\*\*burn\*\* was starved of CPU: its processes waited 950\.0 ms on a run queue/,
  );
  assert.ok(!/\*\*quiet\*\* was starved/.test(md));
  assert.match(md, /Busy machine: processes outside this run used 30%/);
  const kinds = analyzeRun(run, []).insights.map((i) => i.kind);
  assert.ok(kinds.includes('starved') && kinds.includes('busy-machine'));

  const old = makeRun([ran('a', 0, 10)]);
  delete (old as Partial<RunRecord>).machine;
  const oldMd = renderReport(old);
  assert.match(oldMd, /\| Machine \| n\/a \| not recorded/);
  assert.ok(!/starved|Busy machine/.test(oldMd));
});

test('runQueueWaitMs: null without samples, always a lower bound when measured', () => {
  assert.equal(sampledMetrics(emptyTreeStats(), 10).runQueueWaitMs, null);
  const m = sampledMetrics({ ...emptyTreeStats(), sampleCount: 3, runQueueWaitMs: 12.5 }, 10);
  assert.equal(m.runQueueWaitMs, 12.5);
  const [b] = runQueueWaitBound(m, 100, 0);
  assert.equal(b?.metric, 'runQueueWaitMs');
  assert.match(b?.reason ?? '', /sampled every 100 ms/);
  assert.match(runQueueWaitBound(m, 100, 3)[0]?.reason ?? '', /at least 3 of the tree's processes/);
  assert.deepEqual(runQueueWaitBound({ ...m, runQueueWaitMs: null }, 100, 3), []);
});

// ---- compare under different load.

const JITTER = [0, 1.5, -1, 2, -0.5];
function loadRun(i: number, aMs: number, other: number | null, waitMs: number | null): RunRecord {
  const j = JITTER[i] as number;
  return makeRun(
    [
      ran('a', 0, aMs + j, {
        cpuTimeMs: aMs * 0.9 + j,
        runQueueWaitMs: waitMs,
        peakRssBytes: 1024 * 1024,
      }),
      ran('b', aMs, 120 + j, { cpuTimeMs: 2, peakRssBytes: 1024 * 1024 }),
    ],
    {
      id: `20250101-12000${i}-000-load${aMs}`,
      startedAt: `2025-01-01T12:00:0${i}.000Z`,
      machine: machine(other),
    },
  );
}
const sideOf = (aMs: number, other: number | null, waitMs: number | null = 5): RunRecord[] =>
  [0, 1, 2, 3, 4].map((i) => loadRun(i, aMs, other, waitMs));
const METRICS = ['durationMs', 'cpuTimeMs', 'peakRssBytes'] as const;

test('compare: same load, a 40 % slower node is regressed and no load warning', () => {
  const c = compareSeries(sideOf(500, 5), sideOf(700, 12), METRICS);
  assert.equal(c.loadWarning, null);
  assert.equal(c.nodes.find((n) => n.nodeId === 'a')?.metrics.durationMs?.verdict, 'regressed');
  assert.ok(!/Load:/.test(renderSeriesText(c)));
});

test('compare: very different outside CPU turns duration and CPU time verdicts insufficient, saying why', () => {
  const c = compareSeries(sideOf(500, 5), sideOf(700, 60), METRICS);
  assert.match(c.loadWarning ?? '', /median 5% .* and 60% during the candidate/);
  const a = c.nodes.find((n) => n.nodeId === 'a');
  for (const m of ['durationMs', 'cpuTimeMs'] as const) {
    assert.equal(a?.metrics[m]?.verdict, 'insufficient', m);
    assert.match(a?.metrics[m]?.note ?? '', /very different load.*would have been regressed/);
  }
  // Unchanged stays unchanged, and memory does not follow load.
  assert.equal(c.nodes.find((n) => n.nodeId === 'b')?.metrics.durationMs?.verdict, 'unchanged');
  assert.equal(a?.metrics.peakRssBytes?.verdict, 'unchanged');
  assert.equal(c.moreRunsNeeded, 0, 'more runs under the same load would not settle it');
  const text = renderSeriesText(c);
  assert.match(text, /^Load: other processes used/m);
  assert.match(text, /Not called because the load differed \(see Load\): a Duration \+40/);
  assert.ok(!/run 0 more times/.test(text));
  assert.match(renderSeriesMarkdown(c), /^> Load\\: other processes/m);
  const json = JSON.parse(JSON.stringify(c)) as { loadWarning: unknown };
  assert.equal(typeof json.loadWarning, 'string');
});

test('compare: one side starved and the other not is a load warning; 20 points apart is not', () => {
  assert.match(
    compareLoadWarning(sideOf(500, 5), sideOf(700, 5, 400)) ?? '',
    /5 of 5 candidate runs had starved nodes/,
  );
  assert.equal(compareLoadWarning(sideOf(500, 5), sideOf(500, 25)), null, '20 points: not more');
  assert.notEqual(compareLoadWarning(sideOf(500, 5), sideOf(500, 25.5)), null);
  assert.equal(compareLoadWarning(sideOf(500, null), sideOf(500, 90)), null, 'unknown: not judged');
});
