/**
 * Comparing two sets of repeated runs per node and metric, with medians, a confidence interval of
 * the relative change and a verdict that needs both significance and a change beyond noise
 * (computed in src/report/stats/compareSeries.ts). The JSON of `compare --json` is this type.
 */
import type { CompareMetric } from './comparison';

export type SeriesVerdict = 'regressed' | 'improved' | 'unchanged' | 'insufficient';

export interface SideStats {
  /** Over the runs whose task completed and measured the metric. */
  median: number | null;
  n: number;
  /** Median absolute deviation (unscaled), null with no value. */
  mad: number | null;
  /** Runs whose value is an outlier by modified z-score; reported, still counted. */
  outliers: string[];
}

export interface MetricStats {
  baseline: SideStats;
  candidate: SideStats;
  /** Relative change of the median (0.3 = 30 % more); null when the baseline median is 0. */
  change: number | null;
  /** Bounds of the confidence interval of `change`; null when it cannot be estimated. */
  low: number | null;
  high: number | null;
  /** Bootstrap p-value, then Benjamini–Hochberg adjusted over every node × metric tested. */
  p: number | null;
  pAdjusted: number | null;
  /** Relative change below which nothing is called a change: max(floor, 2 × either side's robust spread). */
  noiseBand: number;
  verdict: SeriesVerdict;
  /** Why, where the verdict is not read off the interval alone (few runs, far change). */
  note: string | null;
}

export interface NodeStats {
  nodeId: string;
  metrics: Partial<Record<CompareMetric, MetricStats>>;
}

export interface ComparedSide {
  /** Run ids, oldest first; warm-up runs are never among them. */
  runs: string[];
}

export interface StatsSettings {
  level: number;
  alpha: number;
  iterations: number;
  seed: number;
  /** The smallest relative change ever called one. */
  noiseFloor: number;
  /** Fewest runs on each side for a verdict from statistics. */
  minRuns: number;
}

export interface SeriesComparison {
  baseline: ComparedSide;
  candidate: ComparedSide;
  metrics: CompareMetric[];
  nodes: NodeStats[];
  /** More runs each side needs before every insufficient verdict can be decided; 0 when none. */
  moreRunsNeeded: number;
  /**
   * Why the sides' load differed too much to call a duration or CPU time change (their
   * regressed or improved verdicts are then `insufficient`, noted as such); null when it did not.
   */
  loadWarning: string | null;
  settings: StatsSettings;
}
