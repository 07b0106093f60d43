/**
 * Comparing runs of one workflow: per-node deltas of duration, CPU, peak memory and I/O between a
 * baseline and a candidate, with the spread over repeats where there are several baseline runs,
 * and regressions or improvements flagged above a threshold. Pure: runs in, table out.
 */
import type { RunRecord, TaskRun } from '../model/run';
import {
  COMPARE_METRICS,
  compareMetricDef,
  type CompareMetric,
  type MetricDelta,
  type NodeComparison,
  type RunComparison,
} from '../model/comparison';

/** A change counts when it is larger than this share of the baseline... */
export const REGRESSION_RATIO = 0.1;
/** ...and larger than the noise floor of the metric, so 2 ms → 3 ms is not "+50%". */
export const NOISE_FLOOR: Readonly<Record<CompareMetric, number>> = Object.fromEntries(
  COMPARE_METRICS.map((m) => [m, compareMetricDef(m).noiseFloor]),
) as Record<CompareMetric, number>;

export function finalTasks(run: RunRecord): Map<string, TaskRun> {
  const out = new Map<string, TaskRun>();
  for (const t of run.tasks) out.set(t.nodeId, t);
  return out;
}

export function metricValue(t: TaskRun | undefined, m: CompareMetric): number | null {
  if (!t) return null;
  if (m === 'ioBytes')
    return t.ioReadBytes === null || t.ioWriteBytes === null
      ? null
      : t.ioReadBytes + t.ioWriteBytes;
  return t[m];
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function stdev(xs: number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function delta(
  metric: CompareMetric,
  baselineValues: number[],
  candidate: number | null,
): MetricDelta {
  const baseline = mean(baselineValues);
  const spread = stdev(baselineValues);
  if (baseline === null || candidate === null) {
    return { metric, baseline, spread, candidate, delta: null, ratio: null, verdict: 'n/a' };
  }
  const d = candidate - baseline;
  const ratio = baseline === 0 ? null : d / baseline;
  const floor = NOISE_FLOOR[metric];
  // With repeats, a change also has to stand clear of the baseline's own spread (2 σ).
  const noise = Math.max(floor, spread !== null ? 2 * spread : 0);
  let verdict: MetricDelta['verdict'] = 'same';
  if (Math.abs(d) > noise && (ratio === null || Math.abs(ratio) >= REGRESSION_RATIO)) {
    verdict = d > 0 ? 'regression' : 'improvement';
  }
  return { metric, baseline, spread, candidate, delta: d, ratio, verdict };
}

/**
 * `runs` oldest first; the last is the candidate, the others the baseline (their mean and spread).
 */
export function compareRuns(runs: RunRecord[]): RunComparison {
  if (runs.length < 2) throw new Error('comparing needs at least two runs');
  const sorted = [...runs].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  );
  const candidate = sorted[sorted.length - 1] as RunRecord;
  const baseline = sorted.slice(0, -1);
  const candTasks = finalTasks(candidate);
  const baseTasks = baseline.map(finalTasks);
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const m of [...baseTasks, candTasks]) {
    for (const id of m.keys()) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  const nodes: NodeComparison[] = ids.map((nodeId) => {
    const c = candTasks.get(nodeId);
    const lastBase = [...baseTasks]
      .reverse()
      .find((m) => m.has(nodeId))
      ?.get(nodeId);
    return {
      nodeId,
      type: c?.type ?? lastBase?.type ?? '?',
      status: { baseline: lastBase?.status ?? null, candidate: c?.status ?? null },
      metrics: COMPARE_METRICS.map((m) =>
        delta(
          m,
          baseTasks
            .map((bt) => metricValue(bt.get(nodeId), m))
            .filter((v): v is number => v !== null),
          metricValue(c, m),
        ),
      ),
    };
  });
  const flagged = (v: 'regression' | 'improvement'): RunComparison['regressions'] =>
    nodes.flatMap((n) =>
      n.metrics
        .filter((m) => m.verdict === v)
        .map((m) => ({ nodeId: n.nodeId, metric: m.metric, ratio: m.ratio })),
    );
  const wallBase = baseline.map((r) => r.wallMs).filter((v): v is number => v !== null);
  return {
    baselineIds: baseline.map((r) => r.id),
    candidateId: candidate.id,
    wall: delta('durationMs', wallBase, candidate.wallMs),
    nodes,
    regressions: flagged('regression'),
    improvements: flagged('improvement'),
    trend: sorted.map((r) => ({
      runId: r.id,
      startedAt: r.startedAt,
      wallMs: r.wallMs,
      status: r.status,
    })),
  };
}
