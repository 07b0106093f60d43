/**
 * The run's headline figures as of now. A finished run's come straight from its analysis; while
 * it runs, the nodes still running count too, with the time they have run so far and the CPU
 * their samples show so far, and the critical path is the longest chain so far. Without this a
 * node 2.77 s into its run added nothing to the wall, CPU or critical path figures.
 *
 * Pure: a model (and its clock) in, figures out; cheap enough for every clock tick.
 */
import type { RunRecord, Sample, TaskRun } from '../../model/run';
import {
  criticalPathOf,
  hasRun,
  type CriticalPath,
  type NodeInfo,
  type RunAnalysis,
} from '../analysis';

/** What the figures need of the dashboard model (its own type would make an import cycle). */
export interface FiguresInput {
  run: RunRecord;
  live: boolean;
  nowMs: number;
  analysis: RunAnalysis;
  samples: readonly Sample[];
}

export interface RunFigures {
  /** True while the run goes on: every figure is "so far". */
  soFar: boolean;
  wallMs: number | null;
  /** CPU of finished attempts, plus running attempts' CPU so far (from samples). */
  cpuTimeMs: number | null;
  /** Leaf attempts whose CPU is in cpuTimeMs, of `executedLeafTasks`. */
  cpuMeasuredTasks: number;
  executedLeafTasks: number;
  /** Running attempts in the figures, and how many of them had CPU samples. */
  running: number;
  runningWithCpu: number;
  sumDurationMs: number;
  parallelism: number | null;
  parallelEfficiency: number | null;
  criticalPath: CriticalPath;
}

export function runFigures(model: FiguresInput): RunFigures {
  const a = model.analysis;
  const base: RunFigures = {
    soFar: model.live,
    wallMs: model.live ? model.nowMs : a.wallMs,
    cpuTimeMs: a.totalCpuTimeMs,
    cpuMeasuredTasks: a.cpuMeasuredTasks,
    executedLeafTasks: a.executedLeafTasks,
    running: 0,
    runningWithCpu: 0,
    sumDurationMs: a.sumDurationMs,
    parallelism: a.parallelism,
    parallelEfficiency: a.parallelEfficiency,
    criticalPath: a.criticalPath,
  };
  if (!model.live) return base;

  const now = model.nowMs;
  const starts = new Map<string, number>();
  for (const t of model.run.tasks)
    if (t.status === 'running' && t.startMs !== null)
      starts.set(attemptKey(t.nodeId, t.attempt), t.startMs);
  const cpuSoFar = sampledCpuMs(model.samples, model.run.collector.intervalMs, starts);
  let cpu = a.totalCpuTimeMs;
  let sum = a.sumDurationMs;
  const nodes = weighRunning(a.nodes, now);
  for (const n of a.nodes.values()) {
    if (n.isContainer) continue; // its time and CPU are its children's
    for (const t of n.attempts) {
      if (t.status !== 'running' || !hasRun(t)) continue;
      base.running++;
      sum += elapsedMs(t, now);
      const c = cpuSoFar.get(attemptKey(t.nodeId, t.attempt));
      if (c === undefined) continue;
      base.runningWithCpu++;
      base.cpuMeasuredTasks++;
      cpu = (cpu ?? 0) + c;
    }
  }
  const wall = base.wallMs;
  base.cpuTimeMs = cpu;
  base.sumDurationMs = sum;
  base.parallelism = wall !== null && wall > 0 ? sum / wall : null;
  base.parallelEfficiency = base.parallelism === null ? null : base.parallelism / a.slots;
  base.criticalPath = criticalPathOf(nodes, null, wall);
  return base;
}

/** The longest chain of needs so far: running nodes weigh the time they have run. */
export function criticalPathSoFar(
  nodes: ReadonlyMap<string, NodeInfo>,
  nowMs: number,
): CriticalPath {
  return criticalPathOf(weighRunning(nodes, nowMs), null, nowMs);
}

/** The nodes with each running attempt weighing its time so far, on top of finished attempts. */
function weighRunning(nodes: ReadonlyMap<string, NodeInfo>, nowMs: number): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  for (const [id, n] of nodes) {
    const running = n.attempts.filter((t) => t.status === 'running' && hasRun(t));
    if (running.length === 0) out.set(id, n);
    else {
      const elapsed = running.reduce((s, t) => s + elapsedMs(t, nowMs), 0);
      out.set(id, { ...n, totalDurationMs: (n.totalDurationMs ?? 0) + elapsed });
    }
  }
  return out;
}

function elapsedMs(t: TaskRun, nowMs: number): number {
  return t.startMs === null ? 0 : Math.max(0, nowMs - t.startMs);
}

function attemptKey(nodeId: string, attempt: number): string {
  return `${attempt}\u0000${nodeId}`;
}

/**
 * CPU time the samples of each attempt in `starts` add up to: each sample's CPU % (over the
 * interval before it) held since the attempt's previous sample, the first since its start but
 * at most one interval. An attempt with no CPU reading is absent (not measured, never 0).
 */
export function sampledCpuMs(
  samples: readonly Sample[],
  intervalMs: number,
  starts: ReadonlyMap<string, number>,
): Map<string, number> {
  const last = new Map<string, number>();
  const out = new Map<string, number>();
  for (const s of samples) {
    if (!Number.isFinite(s.t)) continue;
    const k = attemptKey(s.nodeId, s.attempt);
    const start = starts.get(k);
    if (start === undefined) continue;
    const prev = last.get(k) ?? Math.max(start, s.t - Math.max(0, intervalMs));
    last.set(k, s.t);
    if (s.cpuPercent === null || !Number.isFinite(s.cpuPercent)) continue;
    const dt = Math.max(0, s.t - prev);
    out.set(k, (out.get(k) ?? 0) + (s.cpuPercent / 100) * dt);
  }
  return out;
}
