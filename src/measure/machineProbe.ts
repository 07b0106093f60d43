/**
 * The machine a run runs on, and how busy it is with other work: read once at the run's start
 * and once at its end (run.json's `machine`, see src/model/machine.ts for the definitions).
 * Parsers are pure and exported for tests; the probe reads /proc, and says null where the
 * platform has no such figure instead of a fake 0.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { MachineContext } from '../model/machine';
import { systemConstants } from './procfs';

/** Cumulative CPU time of the whole machine, in clock ticks (the `cpu` line of /proc/stat). */
export interface CpuTimes {
  /** user + nice + system + irq + softirq + steal: time some CPU was not available to us. */
  busyTicks: number;
  /** busy + idle + iowait: every online CPU's time. */
  totalTicks: number;
}

/**
 * The `cpu` line of /proc/stat: "cpu user nice system idle iowait irq softirq steal guest
 * guest_nice". guest and guest_nice are already inside user and nice, so they are not added
 * again. steal (time the hypervisor gave to other guests) counts as busy: the run could not
 * have it either. Null when the text has no such line (or fewer than the four fields every
 * kernel has).
 */
export function parseProcStatCpu(text: string): CpuTimes | null {
  const line = /^cpu\s+([^\n]*)/m.exec(text)?.[1];
  if (line === undefined) return null;
  const f = line.trim().split(/\s+/).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x) || x < 0)) return null;
  const at = (i: number): number => f[i] ?? 0;
  const busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
  return { busyTicks: busy, totalTicks: busy + at(3) + at(4) };
}

/** The 1-minute load average, the first field of /proc/loadavg; null when it is not a number. */
export function parseLoadAverage(text: string): number | null {
  const first = text.trim().split(/\s+/)[0];
  if (first === undefined || !/^\d+(\.\d+)?$/.test(first)) return null;
  return Number(first);
}

/**
 * CPU used by processes outside the run, as a percentage of the machine's capacity over the
 * run: (busy growth − the run's own CPU) / total growth × 100, clamped to 0..100 (the run's CPU
 * and /proc/stat are counted by different clocks, so a quiet machine can come out a little
 * below 0). Null when the machine's counters did not grow (no time passed) or one is missing.
 */
export function otherCpuPercent(
  start: CpuTimes | null,
  end: CpuTimes | null,
  ownCpuMs: number,
  ticksPerSecond: number,
): number | null {
  if (!start || !end || ticksPerSecond <= 0) return null;
  const totalTicks = end.totalTicks - start.totalTicks;
  const busyTicks = end.busyTicks - start.busyTicks;
  if (totalTicks <= 0 || busyTicks < 0) return null;
  const otherMs = (busyTicks * 1000) / ticksPerSecond - ownCpuMs;
  const pct = (otherMs / ((totalTicks * 1000) / ticksPerSecond)) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)) * 10) / 10;
}

function readText(path: string): string | null {
  try {
    return fs.readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/** Machine-wide CPU times now; null off Linux (or without /proc). */
export function readCpuTimes(): CpuTimes | null {
  const text = readText('/proc/stat');
  return text === null ? null : parseProcStatCpu(text);
}

/**
 * The 1-minute load average now: /proc/loadavg on Linux, os.loadavg() on the other Unix
 * systems; null on Windows, where os.loadavg() returns a fake [0, 0, 0].
 */
export function readLoadAverage(platform: NodeJS.Platform = process.platform): number | null {
  if (platform === 'linux') {
    const text = readText('/proc/loadavg');
    return text === null ? null : parseLoadAverage(text);
  }
  if (platform === 'win32') return null;
  const one = os.loadavg()[0];
  return one !== undefined && Number.isFinite(one) ? Math.round(one * 100) / 100 : null;
}

/** What the probe read at the start; `finish` turns it into the run's MachineContext. */
export interface MachineProbe {
  /** The context as known at the start (end figures null): run.json holds it while running. */
  readonly atStart: MachineContext;
  /**
   * The context at the end. `nodesCpuMs` is the CPU of every node tree of the run (all
   * attempts); the runner's own CPU since the start is added here.
   */
  finish(nodesCpuMs: number): MachineContext;
}

export function startMachineProbe(): MachineProbe {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim();
  const atStart: MachineContext = {
    cores: os.availableParallelism(),
    cpuModel: model ? model : null,
    memoryBytes: os.totalmem(),
    loadAverage: { start: readLoadAverage(), end: null },
    otherCpuPercent: null,
  };
  const cpuStart = readCpuTimes();
  const ownStart = process.cpuUsage();
  return {
    atStart,
    finish(nodesCpuMs: number): MachineContext {
      const cpuEnd = readCpuTimes();
      const own = process.cpuUsage(ownStart);
      const runnerCpuMs = (own.user + own.system) / 1000;
      return {
        ...atStart,
        loadAverage: { start: atStart.loadAverage.start, end: readLoadAverage() },
        otherCpuPercent: otherCpuPercent(
          cpuStart,
          cpuEnd,
          runnerCpuMs + nodesCpuMs,
          systemConstants().clockTicksPerSecond,
        ),
      };
    },
  };
}
