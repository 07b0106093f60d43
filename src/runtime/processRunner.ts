/**
 * Starts one node's process tree, streams its output, measures it and kills it whole.
 *
 * On Linux the command runs under the native reaper (src/tracking/reaper.ts), which reports exact
 * totals for the whole tree and kills it on cancel or when this process dies. The reaper is
 * forked by the run's spawn helper (measure/spawnHelper.ts), or spawned by Node when there is none. Elsewhere (or when
 * the reaper is not built) the command is spawned directly in its own process group, and its
 * metrics are sampled estimates (null where nothing could be measured, never 0).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { monoMs } from '../model/clock';
import type {
  ProcessMetrics,
  ProcessOutcome,
  ProcessSpec,
  RunningProcess,
} from '../measure/processTypes';
import type { MetricsCollector } from '../measure/metricsCollector';
import { emptyTreeStats, type TrackHandle, type TreeStats } from '../measure/treeStats';
import { ioMetricsOf, memoryDeltaOf, sampledMetrics } from '../measure/pidusageFallback';
import { maxOf } from '../model/numbers';
import { descendantsOf } from '../measure/procfs';
import type { NodeContainer } from '../measure/containment';
import { reaperLowerBounds, runQueueWaitBound, sampledLowerBounds } from '../measure/lowerBounds';
import type { LowerBound } from '../model/run';
import {
  DEFAULT_GRACE_MS,
  errnoName,
  monoNsToMonoMs,
  newResultFile,
  reaperArgs,
  signalName,
  reaperResultOf,
  takeReaperResult,
  type ReaperOutcome,
  type ReaperResult,
} from '../measure/reaper';
import { sendSignal, spawnChild, type ChildEvents, type NodeChild } from '../measure/nodeChild';
import { SpawnHelper } from '../measure/spawnHelper';
import { reaperPath } from '../measure/reaperCheck';

/** After asking the reaper to cancel, how long before we kill everything ourselves. */
const REAPER_UNRESPONSIVE_MS = DEFAULT_GRACE_MS + 3000;
/** After the root exits, how long output pipes may stay open (held by an escaped process). */
const PIPE_DRAIN_MS = 2000;

function nullMetrics(): ProcessMetrics {
  return { ...sampledMetrics(emptyTreeStats(), null), processCount: null };
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Exact totals from the reaper, combined with what only sampling can see. `cgroupCpuMs` is the
 * node cgroup's cpu.stat, read once it was empty (null without one): it also holds the CPU of
 * children the kernel reaped, which rusage misses, so it is the CPU time where the reaper joined
 * the cgroup. What stays a lower bound is said by reaperBounds.
 */
export function reaperMetrics(
  r: ReaperResult,
  stats: TreeStats,
  cgroupCpuMs: number | null = null,
): ProcessMetrics {
  const durationMs = round3((r.endNs - r.startNs) / 1e6);
  const cpu = reaperCpu(r, cgroupCpuMs);
  const cpuTimeMs = cpu.fromCgroup ? round3(cpu.cgroupCpuMs ?? 0) : cpu.rusageCpuMs;
  return {
    durationMs,
    cpuTimeMs,
    cpuPercent: durationMs > 0 ? Math.round((cpuTimeMs / durationMs) * 10000) / 100 : null,
    // ru_maxrss is the largest single process's high-water mark; the summed peak can only be
    // sampled. Either may be the larger: a tree of ten 50 MB processes, or a 20 ms spike.
    peakRssBytes: maxOf(stats.peakRssBytes, r.maxRssBytes, stats.maxHwmBytes),
    // Sampled: the kernel frees everything at exit, so "at exit" would always read 0.
    memoryDeltaBytes: memoryDeltaOf(stats),
    ...ioMetricsOf(r.io),
    peakThreads: stats.peakThreads,
    contextSwitches: r.voluntaryCtxSwitches + r.involuntaryCtxSwitches,
    processCount: Math.max(r.processesReaped, stats.processCount ?? 0),
    strayProcessesKilled: r.straysKilled,
    // Only sampling sees it: rusage has no run-queue time.
    runQueueWaitMs: stats.runQueueWaitMs,
    sampleCount: stats.sampleCount,
  };
}

/** The reaper's rusage CPU, and the cgroup's where the reaper joined it. */
function reaperCpu(
  r: ReaperResult,
  cgroupCpuMs: number | null,
): { rusageCpuMs: number; cgroupCpuMs: number | null; fromCgroup: boolean } {
  const fromCgroup = cgroupCpuMs !== null && r.cgroupErrno === null;
  return {
    rusageCpuMs: round3((r.cpuUserUs + r.cpuSysUs) / 1000),
    cgroupCpuMs: fromCgroup ? cgroupCpuMs : null,
    fromCgroup,
  };
}

/** Which of reaperMetrics' figures are only lower bounds, and why. */
export function reaperBounds(
  r: ReaperResult,
  stats: TreeStats,
  cgroupCpuMs: number | null,
  metrics: ProcessMetrics,
): LowerBound[] {
  const cpu = reaperCpu(r, cgroupCpuMs);
  return reaperLowerBounds(
    metrics,
    { kernelReaping: stats.kernelReaping === true, ...cpu },
    cpu.fromCgroup,
  );
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function failedToStart(message: string): RunningProcess {
  const now = monoMs();
  const outcome: ProcessOutcome = {
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    spawnError: message,
    startMono: now,
    endMono: now,
    metrics: nullMetrics(),
    lowerBounds: [],
  };
  return {
    pid: undefined,
    started: Promise.resolve(undefined),
    done: Promise.resolve(outcome),
    cancel: () => undefined,
  };
}

export function startProcess(spec: ProcessSpec, collector: MetricsCollector): RunningProcess {
  if (!isDirectory(spec.cwd)) return failedToStart(`working directory not found: ${spec.cwd}`);
  const reaper = collector.mode === 'reaper' ? reaperPath() : null;
  const posixGroup = !reaper && process.platform !== 'win32';
  // The runner's own hold on the tree, should the reaper die (see measure/containment.ts).
  const container: NodeContainer | null = reaper ? collector.containment.node() : null;
  // One helper per runner forks every node's reaper; without it, Node spawns a one-shot reaper.
  const helper = reaper ? SpawnHelper.for(reaper) : null;
  let resultFile: string | null = null;

  const startMono = monoMs();
  let child: NodeChild | null = null;
  let pid: number | undefined;
  let resolveStarted: (pid: number | undefined) => void = () => undefined;
  const started = new Promise<number | undefined>((resolve) => (resolveStarted = resolve));
  let tracking: TrackHandle | null = null;
  let cgroupCpuMs: number | null = null;
  const endContainer = (): void => {
    if (container) cgroupCpuMs = container.end().cgroupCpuMs;
  };

  let cancelled = false;
  let timedOut = false;
  let exitMono: number | null = null;
  let spawnError: string | null = null;
  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, fn: () => void): void => {
    timers.push(setTimeout(fn, ms));
  };

  // Sampling stops when the root exits: its pid may be reused from then on.
  let finalStats: TreeStats | null = null;
  const stopTracking = (): TreeStats => {
    finalStats ??= tracking ? tracking.finish() : emptyTreeStats();
    return finalStats;
  };

  let resolveDone: ((outcome: ProcessOutcome) => void) | null = null;
  const done = new Promise<ProcessOutcome>((resolve) => {
    resolveDone = resolve;
  });
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    for (const t of timers) clearTimeout(t);
    const stats = stopTracking();
    const endMono = exitMono ?? monoMs();
    const outcome: ProcessOutcome = {
      exitCode: child?.exitCode ?? null,
      signal: child?.signal ?? null,
      timedOut,
      cancelled,
      spawnError,
      startMono,
      endMono,
      metrics: spawnError ? nullMetrics() : sampledMetrics(stats, round3(endMono - startMono)),
      lowerBounds: [],
    };
    const exact =
      reaper && child && !spawnError
        ? applyReaperResult(outcome, reaperOutcome(child, resultFile), stats, spec, cgroupCpuMs)
        : false;
    if (!exact && !spawnError) {
      const mode = collector.mode === 'pidusage' ? 'pidusage' : 'procfs';
      outcome.lowerBounds = sampledLowerBounds(outcome.metrics, mode, collector.intervalMs);
    }
    const unsampled = (outcome.metrics.processCount ?? 0) - (stats.processCount ?? 0);
    outcome.lowerBounds.push(
      ...runQueueWaitBound(outcome.metrics, collector.intervalMs, Math.max(0, unsampled)),
    );
    resolveStarted(pid);
    resolveDone?.(outcome);
  };

  const events: ChildEvents = {
    started: (p) => {
      pid = p;
      resolveStarted(p);
      container?.setProcessGroup(p);
      tracking = collector.track(spec.nodeId, spec.attempt, p, {
        rootIsReaper: !!reaper,
        cgroupDir: container?.cgroupDir,
      });
    },
    stdout: (c) => spec.onStdout(c),
    stderr: (c) => spec.onStderr(c),
    error: (message) => {
      spawnError = message;
      endContainer();
      settle();
    },
    exit: () => {
      exitMono = monoMs();
      stopTracking();
      for (const t of timers) clearTimeout(t);
      // The node is over: nothing of its tree may outlive it, even if the reaper was killed.
      endContainer();
      // Strays of a directly spawned tree (the reaper kills its own).
      if (posixGroup && pid !== undefined) sendSignal(-pid, 'SIGKILL');
      // A process outside our reach may hold the pipes open: do not wait for it forever.
      const drain = setTimeout(() => {
        child?.releaseOutput();
        settle();
      }, PIPE_DRAIN_MS);
      drain.unref();
      timers.push(drain);
    },
    close: () => settle(),
  };

  const oneShot = (): NodeChild => {
    resultFile = reaper ? newResultFile() : null;
    return spawnChild(
      reaper ?? spec.file,
      reaper && resultFile
        ? reaperArgs(resultFile, spec.file, spec.args, DEFAULT_GRACE_MS, container?.cgroupDir)
        : spec.args,
      {
        cwd: spec.cwd,
        env: spec.env,
        // A process group of its own: without the reaper, the best handle on the tree; with it,
        // the group (the reaper's pid) the tree stays in should the reaper be killed.
        detached: posixGroup || !!reaper,
        windowsHide: true,
      },
      events,
    );
  };
  try {
    child = helper
      ? helper.start(
          {
            file: spec.file,
            args: spec.args,
            cwd: spec.cwd,
            env: spec.env,
            graceMs: DEFAULT_GRACE_MS,
            cgroupDir: container?.cgroupDir ?? null,
          },
          events,
          oneShot,
        )
      : oneShot();
  } catch (err) {
    container?.end();
    return failedToStart(err instanceof Error ? err.message : String(err));
  }

  const killTree = (): void => {
    if (exitMono !== null) return;
    if (reaper) {
      // The reaper TERMs the tree, waits its grace period, KILLs what is left and reaps it all.
      child?.terminate();
      later(REAPER_UNRESPONSIVE_MS, () => {
        if (exitMono !== null || pid === undefined) return;
        for (const p of descendantsOf(pid)) sendSignal(p, 'SIGKILL');
        sendSignal(pid, 'SIGKILL');
        endContainer();
      });
    } else if (pid === undefined) {
      return;
    } else if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], {
        stdio: 'ignore',
        windowsHide: true,
      }).once('error', () => undefined);
    } else {
      const root = pid;
      const linux = process.platform === 'linux';
      const tree = linux ? descendantsOf(root) : [];
      sendSignal(-root, 'SIGTERM');
      for (const p of tree) sendSignal(p, 'SIGTERM');
      later(DEFAULT_GRACE_MS, () => {
        sendSignal(-root, 'SIGKILL');
        for (const p of linux ? [...tree, ...descendantsOf(root)] : []) sendSignal(p, 'SIGKILL');
      });
    }
  };

  const cancel = (_reason: string): void => {
    if (cancelled || exitMono !== null) return;
    cancelled = true;
    killTree();
  };
  if (spec.timeoutMs !== undefined && spec.timeoutMs > 0) {
    later(spec.timeoutMs, () => {
      if (cancelled || exitMono !== null) return;
      timedOut = true;
      cancel('timeout');
    });
  }

  return {
    get pid() {
      return pid;
    },
    started,
    done,
    cancel,
  };
}

/** The reaper's result: forwarded by the spawn helper, or left in the one-shot reaper's file. */
function reaperOutcome(child: NodeChild, resultFile: string | null): ReaperOutcome {
  if (child.resultText !== undefined) return reaperResultOf(child.resultText);
  return resultFile
    ? takeReaperResult(resultFile)
    : { result: null, problem: 'the reaper left no result file' };
}

/**
 * Replaces sampled figures with the reaper's exact ones, or says why there are none. True when
 * the reaper's figures were used (or the command did not start).
 */
function applyReaperResult(
  outcome: ProcessOutcome,
  { result, problem }: ReaperOutcome,
  stats: TreeStats,
  spec: ProcessSpec,
  cgroupCpuMs: number | null,
): boolean {
  if (!result) {
    // The reaper was killed (or failed): keep the sampled figures, and say so in the node's log.
    spec.onStderr(
      Buffer.from(
        `workflow-profiler: no exact totals (${problem ?? 'unknown'}); metrics are sampled\n`,
      ),
    );
    return false;
  }
  const nowMono = monoMs();
  const nowNs = process.hrtime.bigint();
  outcome.startMono = monoNsToMonoMs(result.startNs, nowMono, nowNs);
  outcome.endMono = monoNsToMonoMs(result.endNs, nowMono, nowNs);
  outcome.cancelled = outcome.cancelled || result.cancelled;
  if (result.execErrno !== null) {
    outcome.spawnError = `spawn ${spec.file} ${errnoName(result.execErrno)}`;
    outcome.exitCode = null;
    outcome.signal = null;
    outcome.metrics = nullMetrics();
    return true;
  }
  if (result.cgroupErrno !== null) {
    spec.onStderr(
      Buffer.from(
        `workflow-profiler: could not join the node's cgroup (${errnoName(result.cgroupErrno)}); CPU time is from rusage\n`,
      ),
    );
  }
  outcome.exitCode = result.exitCode;
  outcome.signal = result.signal !== null ? signalName(result.signal) : null;
  outcome.metrics = reaperMetrics(result, stats, cgroupCpuMs);
  outcome.lowerBounds = reaperBounds(result, stats, cgroupCpuMs, outcome.metrics);
  return true;
}
