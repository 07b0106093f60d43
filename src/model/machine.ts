/**
 * The machine a run ran on, and how busy it was: run.json's `machine`, the thresholds of the
 * "starved" and "busy machine" warnings, and their wording. Pure, so the report, the dashboard
 * (in the browser) and compare all judge load by the same rules.
 */
import { formatBytes, formatMs, formatPercent, formatRatio, NA } from './format';

/**
 * run.json's `machine`. Every figure is null where the platform cannot measure it, never a fake 0.
 *
 * - `cores`: CPUs this run may use (os.availableParallelism(): the process's CPU affinity, which
 *   a container or `taskset` may set below the machine's CPU count).
 * - `cpuModel`: the first CPU's model name (os.cpus()), null when the platform gives none.
 * - `memoryBytes`: total memory (os.totalmem()).
 * - `loadAverage`: the 1-minute load average (/proc/loadavg; os.loadavg() on macOS) at the run's
 *   start and end; null on Windows, which has none, and `end` null until the run ends.
 * - `otherCpuPercent`: CPU used on the machine by processes outside the run while it ran, as a
 *   percentage of the machine's whole capacity over the run (every online CPU × wall time):
 *   the growth of /proc/stat's busy time (user, nice, system, irq, softirq, steal) minus the
 *   run's own CPU (the runner's and every node tree's), over the growth of its total time,
 *   clamped to 0..100. Null off Linux, and until the run ends.
 */
export interface MachineContext {
  cores: number;
  cpuModel: string | null;
  memoryBytes: number;
  loadAverage: { start: number | null; end: number | null };
  otherCpuPercent: number | null;
}

/**
 * A node is starved when it waited on a run queue (runnable, no CPU free) for at least this share
 * of its duration... A CPU-bound node that gets a core to itself waits a few per cent at most; a
 * quarter of its time means it shared the cores with about a third more runnable work than there
 * were cores, enough to move its duration and CPU % well outside run-to-run noise.
 */
export const STARVED_SHARE_OF_DURATION = 0.25;
/** ...and for at least this long, so a 20 ms node delayed by one 10 ms time slice is not. */
export const STARVED_MIN_MS = 100;
/**
 * A run is on a busy machine when processes outside it used at least this share of the machine's
 * capacity: on 2 cores, half a core busy with something else the whole run.
 */
export const BUSY_MACHINE_OTHER_CPU_PERCENT = 25;
/**
 * compare calls the two sides' load very different when their median otherCpuPercent differs by
 * more than this many points (or one side has starved nodes and the other none).
 */
export const LOAD_DIFFERENCE_POINTS = 20;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);

/** Null when `v` has the shape of a MachineContext, else what is wrong (for run.json checks). */
export function checkMachineContext(v: unknown): string | null {
  if (!isObj(v)) return '"machine" is not an object';
  if (!Number.isSafeInteger(v['cores']) || (v['cores'] as number) < 1) {
    return '"machine.cores" is not a positive integer';
  }
  if (v['cpuModel'] !== null && typeof v['cpuModel'] !== 'string') {
    return '"machine.cpuModel" is not a string or null';
  }
  if (!isNum(v['memoryBytes']) || v['memoryBytes'] < 0) {
    return '"machine.memoryBytes" is not a non-negative number';
  }
  const load = v['loadAverage'];
  if (!isObj(load) || !isNumOrNull(load['start']) || !isNumOrNull(load['end'])) {
    return '"machine.loadAverage" needs "start" and "end", each a number or null';
  }
  const other = v['otherCpuPercent'];
  if (!isNumOrNull(other) || (isNum(other) && (other < 0 || other > 100))) {
    return '"machine.otherCpuPercent" is not a number from 0 to 100, or null';
  }
  return null;
}

/** A run's machine context, or null for runs recorded before it existed (or a damaged one). */
export function machineOf(run: { machine?: unknown }): MachineContext | null {
  return run.machine !== undefined && checkMachineContext(run.machine) === null
    ? (run.machine as MachineContext)
    : null;
}

/** What the starvation rule needs of a TaskRun. */
export interface WaitedTask {
  nodeId: string;
  durationMs: number | null;
  runQueueWaitMs: number | null;
}

/** Whether the node waited for a CPU for a large share of its duration (see the thresholds). */
export function isStarved(t: WaitedTask): boolean {
  const wait = t.runQueueWaitMs;
  const d = t.durationMs;
  if (wait === null || d === null || d <= 0) return false;
  return wait >= STARVED_MIN_MS && wait >= STARVED_SHARE_OF_DURATION * d;
}

/** Whether processes outside the run used a heavy share of the machine. */
export function isBusyMachine(m: MachineContext | null): boolean {
  return m?.otherCpuPercent != null && m.otherCpuPercent >= BUSY_MACHINE_OTHER_CPU_PERCENT;
}

/** Load averages print as the kernel does, with two decimals. */
const load = (v: number | null): string => (v === null ? NA : v.toFixed(2));

/** "2 cores · load 0.52 → 3.91 · other CPU 12.0 %": the machine line of the report and header. */
export function machineLine(m: MachineContext): string {
  return [
    `${m.cores} ${m.cores === 1 ? 'core' : 'cores'}`,
    `load ${load(m.loadAverage.start)} → ${load(m.loadAverage.end)}`,
    `other CPU ${formatPercent(m.otherCpuPercent)}`,
    `${formatBytes(m.memoryBytes)} memory`,
    ...(m.cpuModel ? [m.cpuModel] : []),
  ].join(' · ');
}

/** What each figure of the machine line means, for a tooltip or a footnote. */
export const MACHINE_LINE_HELP =
  'cores: CPUs this run could use; load: 1-minute load average at start → end; other CPU: CPU used by processes outside the run while it ran, as a share of every CPU × the wall time (from /proc/stat minus the run’s own CPU)';

/** One warning about load, in words, naming the node when it is about one. */
export interface LoadWarning {
  kind: 'starved' | 'busy-machine';
  /** The starved node; null for the whole run. */
  nodeId: string | null;
  /** The sentence after the node's name (or the whole sentence when nodeId is null). */
  text: string;
}

/** The starved nodes' warnings, then the busy machine's, for any run (tasks: final attempts or all). */
export function loadWarnings(
  machine: MachineContext | null,
  tasks: readonly WaitedTask[],
): LoadWarning[] {
  const out: LoadWarning[] = [];
  for (const t of tasks) {
    if (!isStarved(t)) continue;
    const wait = t.runQueueWaitMs as number;
    const share = wait / (t.durationMs as number);
    out.push({
      kind: 'starved',
      nodeId: t.nodeId,
      text: ` was starved of CPU: its processes waited ${formatMs(wait)} on a run queue, runnable with no core free (${formatRatio(Math.min(share, 1), 0)} of its ${formatMs(t.durationMs)}); its duration and CPU % reflect the machine's load as much as its own work.`,
    });
  }
  if (isBusyMachine(machine)) {
    const m = machine as MachineContext;
    out.push({
      kind: 'busy-machine',
      nodeId: null,
      text: `Busy machine: processes outside this run used ${formatPercent(m.otherCpuPercent, 0)} of the machine's ${m.cores} ${m.cores === 1 ? 'core' : 'cores'} while it ran (load ${load(m.loadAverage.start)} → ${load(m.loadAverage.end)}); durations and CPU % may be slower than on a quiet machine, so compare it only with runs under similar load.`,
    });
  }
  return out;
}
