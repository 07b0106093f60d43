/** The result of comparing runs of one workflow (computed in src/report/compare.ts). */

export type CompareMetric = 'durationMs' | 'cpuTimeMs' | 'peakRssBytes' | 'ioBytes';
export const COMPARE_METRICS: readonly CompareMetric[] = [
  'durationMs',
  'cpuTimeMs',
  'peakRssBytes',
  'ioBytes',
];

export interface MetricDelta {
  metric: CompareMetric;
  /** Mean over the baseline runs that measured it. */
  baseline: number | null;
  /** Standard deviation over the baseline runs (null with fewer than 2). */
  spread: number | null;
  candidate: number | null;
  delta: number | null;
  ratio: number | null;
  verdict: 'regression' | 'improvement' | 'same' | 'n/a';
}

export interface NodeComparison {
  nodeId: string;
  type: string;
  status: { baseline: string | null; candidate: string | null };
  metrics: MetricDelta[];
}

export interface RunComparison {
  baselineIds: string[];
  candidateId: string;
  wall: MetricDelta;
  nodes: NodeComparison[];
  regressions: { nodeId: string; metric: CompareMetric; ratio: number | null }[];
  improvements: { nodeId: string; metric: CompareMetric; ratio: number | null }[];
  /** Oldest first: wall time and each node's duration across every run given. */
  trend: { runId: string; startedAt: string; wallMs: number | null; status: string }[];
}
