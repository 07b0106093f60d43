/**
 * Opt-in phase timing of a run, for finding where a run's fixed cost goes: with
 * WORKFLOW_PROFILER_TRACE=1 each phase's end is one stderr line, `trace: PHASE AT ms CPU ms cpu`:
 * AT in milliseconds since this process started (performance.now(): Node's time origin is the
 * process start), CPU the process's own user+system time so far (process.cpuUsage(), children not
 * included). Off, it costs one comparison per phase.
 */
import { performance } from 'node:perf_hooks';

const enabled = process.env['WORKFLOW_PROFILER_TRACE'] === '1';

export function tracePhase(phase: string): void {
  if (!enabled) return;
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stderr.write(
    `trace: ${phase} ${performance.now().toFixed(1)} ms ${cpuMs.toFixed(1)} ms cpu\n`,
  );
}

/** The phases of a trace, as tracePhase wrote them into `stderr`, in order. */
export function phasesOf(stderr: string): TracedPhase[] {
  const out: TracedPhase[] = [];
  for (const m of stderr.matchAll(/^trace: (.+) (\d+(?:\.\d+)?) ms (\d+(?:\.\d+)?) ms cpu$/gm)) {
    out.push({ phase: m[1] ?? '', atMs: Number(m[2]), cpuMs: Number(m[3]) });
  }
  return out;
}

export interface TracedPhase {
  phase: string;
  /** Since the process started. */
  atMs: number;
  /** The process's user+system time at that moment. */
  cpuMs: number;
}
