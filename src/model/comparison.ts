/** The result of comparing runs of one workflow (computed in src/report/compare.ts). */
import { formatBytes, NA } from './format';
import { metricDef, metricKeysIn, type MetricDef, type MetricKeyIn } from './metrics';

export type CompareMetric = MetricKeyIn<'compare'> | 'ioBytes';

/** What a comparison needs to know of a metric. */
export type CompareMetricDef = Pick<MetricDef, 'label' | 'kind' | 'better' | 'format'> & {
  noiseFloor: number;
};

/** Compared besides the table's metrics: bytes read plus written, no TaskRun field of its own. */
const IO_BYTES: CompareMetricDef = {
  label: 'I/O bytes',
  kind: 'bytes',
  better: 'lower',
  format: (v) => formatBytes(v),
  noiseFloor: 1024 * 1024,
};

/** The `compare` metrics of the table, in table order, then I/O bytes. */
export const COMPARE_METRICS: readonly CompareMetric[] = [...metricKeysIn('compare'), 'ioBytes'];

export function compareMetricDef(m: CompareMetric): CompareMetricDef {
  if (m === 'ioBytes') return IO_BYTES;
  const def = metricDef(m);
  return { ...def, noiseFloor: def.noiseFloor ?? 0 };
}

/** A compared value; `signed` puts `+` before increases (deltas). */
export function formatCompareValue(m: CompareMetric, v: number | null, signed = false): string {
  if (v === null) return NA;
  const def = compareMetricDef(m);
  if (def.kind === 'bytes') return formatBytes(v, { signed });
  return `${signed && v > 0 ? '+' : ''}${def.format(v)}`;
}

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
