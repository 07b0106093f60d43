/**
 * Two sets of repeated runs compared per node and metric: medians, a bootstrap interval of the
 * relative change, Benjamini–Hochberg over every test made, and a verdict (./verdict.ts). Pure:
 * runs in, comparison out; seeded, so the same runs always give the same answer.
 */
import type { RunRecord } from '../../model/run';
import { compareMetricDef, type CompareMetric } from '../../model/comparison';
import type {
  MetricStats,
  NodeStats,
  SeriesComparison,
  SideStats,
  StatsSettings,
} from '../../model/seriesComparison';
import { finalTasks, metricValue } from '../compare';
import { bootstrapMedianRatio, type RatioInterval } from './bootstrap';
import { mad, median, relativeSpread } from './descriptive';
import { benjaminiHochberg } from './multipleTesting';
import { outlierIndices } from './outliers';
import { hashSeed } from './prng';
import { decide } from './verdict';
import {
  compareLoadWarning,
  heldForLoad,
  LOAD_NOTE_PREFIX,
  LOAD_SENSITIVE_METRICS,
} from './loadContext';

export const DEFAULT_STATS: StatsSettings = {
  level: 0.95,
  alpha: 0.05,
  iterations: 4000,
  seed: 1,
  noiseFloor: 0.03,
  minRuns: 3,
};

/** Each measured value with the run it came from; only tasks that completed count. */
interface Values {
  runIds: string[];
  values: number[];
}

function valuesOf(runs: readonly RunRecord[], nodeId: string, m: CompareMetric): Values {
  const out: Values = { runIds: [], values: [] };
  for (const run of runs) {
    const t = finalTasks(run).get(nodeId);
    const v = t && t.status === 'completed' ? metricValue(t, m) : null;
    if (v === null) continue;
    out.runIds.push(run.id);
    out.values.push(v);
  }
  return out;
}

function side(v: Values): SideStats {
  return {
    median: median(v.values),
    n: v.values.length,
    mad: mad(v.values),
    outliers: outlierIndices(v.values).map((i) => v.runIds[i] as string),
  };
}

function nodeIdsOf(runs: readonly RunRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) for (const t of r.tasks) seen.add(t.nodeId);
  return [...seen];
}

/** Finite or null: JSON has no Infinity. */
const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

interface Pending {
  node: NodeStats;
  metric: CompareMetric;
  base: Values;
  cand: Values;
  interval: RatioInterval | null;
}

export function compareSeries(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
  metrics: readonly CompareMetric[],
  settings: Partial<StatsSettings> = {},
): SeriesComparison {
  const s: StatsSettings = { ...DEFAULT_STATS, ...settings };
  const byStart = (a: RunRecord, b: RunRecord): number =>
    a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);
  const base = [...baseline].sort(byStart);
  const cand = [...candidate].sort(byStart);
  const pending: Pending[] = [];
  const nodes: NodeStats[] = nodeIdsOf([...base, ...cand]).map((nodeId) => {
    const node: NodeStats = { nodeId, metrics: {} };
    for (const metric of metrics) {
      const b = valuesOf(base, nodeId, metric);
      const c = valuesOf(cand, nodeId, metric);
      const tested = Math.min(b.values.length, c.values.length) >= s.minRuns;
      const interval = tested
        ? bootstrapMedianRatio(b.values, c.values, {
            iterations: s.iterations,
            level: s.level,
            // One stream per node and metric: the result does not depend on their order.
            seed: hashSeed(`${nodeId}\u0000${metric}`, s.seed),
          })
        : null;
      pending.push({ node, metric, base: b, cand: c, interval });
    }
    return node;
  });
  const adjusted = benjaminiHochberg(pending.map((x) => x.interval?.p ?? null));
  const loadWarning = compareLoadWarning(base, cand);
  let moreRunsNeeded = 0;
  pending.forEach((x, i) => {
    const stats = holdForLoad(metricStats(x, adjusted[i] ?? null, s), x.metric, loadWarning);
    const have = Math.min(stats.baseline.n, stats.candidate.n);
    // A node missing from one side will not be decided by more runs: it is not counted.
    if (stats.verdict === 'insufficient' && have > 0 && !heldForLoad(stats.note)) {
      moreRunsNeeded = Math.max(moreRunsNeeded, s.minRuns - have);
    }
    x.node.metrics[x.metric] = stats;
  });
  return {
    baseline: { runs: base.map((r) => r.id) },
    candidate: { runs: cand.map((r) => r.id) },
    metrics: [...metrics],
    nodes,
    moreRunsNeeded,
    loadWarning,
    settings: s,
  };
}

/**
 * A duration or CPU time change between sides that ran under very different load may be the
 * machine's doing: it is not called, and the note says why. More runs would not settle it.
 */
function holdForLoad(
  stats: MetricStats,
  metric: CompareMetric,
  loadWarning: string | null,
): MetricStats {
  if (loadWarning === null || !LOAD_SENSITIVE_METRICS.includes(metric)) return stats;
  if (stats.verdict !== 'regressed' && stats.verdict !== 'improved') return stats;
  return {
    ...stats,
    verdict: 'insufficient',
    note: `${LOAD_NOTE_PREFIX} (${loadWarning}); it would have been ${stats.verdict}`,
  };
}

function metricStats(x: Pending, pAdjusted: number | null, s: StatsSettings): MetricStats {
  const baseline = side(x.base);
  const candidate = side(x.cand);
  const def = compareMetricDef(x.metric);
  // ±2 robust σ of a single run: a shift one run in twenty shows by chance is not news. The
  // candidate's spread counts too: on a shared machine, load during one series shows up as
  // scatter in its runs, and a median shifted by that load is noise, not a change.
  const spreads = [relativeSpread(x.base.values), relativeSpread(x.cand.values)];
  const noiseBand = Math.max(s.noiseFloor, ...spreads.map((r) => (r === null ? 0 : 2 * r)));
  const mb = baseline.median;
  const mc = candidate.median;
  if (mb === null || mc === null) {
    return {
      baseline,
      candidate,
      change: null,
      low: null,
      high: null,
      p: null,
      pAdjusted: null,
      noiseBand,
      verdict: 'insufficient',
      note: 'not measured on one side',
    };
  }
  const change = x.interval ? x.interval.change : mb === 0 ? null : mc / mb - 1;
  const v = decide({
    nBaseline: baseline.n,
    nCandidate: candidate.n,
    baselineMedian: mb,
    candidateMedian: mc,
    change,
    pAdjusted,
    noiseBand,
    absFloor: def.noiseFloor,
    kind: def.kind,
    better: def.better,
    alpha: s.alpha,
    minRuns: s.minRuns,
  });
  return {
    baseline,
    candidate,
    change: finite(change),
    low: finite(x.interval?.low ?? null),
    high: finite(x.interval?.high ?? null),
    p: x.interval?.p ?? null,
    pAdjusted,
    noiseBand,
    verdict: v.verdict,
    note: v.note,
  };
}
