/**
 * Which table metrics the text surfaces show (the report's task table, the CodeLens above a node
 * and its hover), grouped into columns. Labels and formats come from the metrics table; only the
 * choice of metrics and the read/write pairing live here.
 */
import { NA } from '../model/format';
import { formatMetric, metricDef, metricKeysIn, type TaskMetricKey } from '../model/metrics';
import type { TaskMetricValues } from '../model/metrics';
import { LOWER_BOUND_MARK, type LowerBound } from '../model/run';

export interface MetricColumn {
  /** One metric, or a read/write pair shown as `read / write`. */
  keys: readonly TaskMetricKey[];
  heading: string;
}

/** Metrics shown side by side in one column, under one heading. */
const PAIRS: Partial<Record<TaskMetricKey, { with: TaskMetricKey; heading: string }>> = {
  ioReadBytes: { with: 'ioWriteBytes', heading: 'Read / write' },
  ioReadOps: { with: 'ioWriteOps', heading: 'Read / write ops' },
};

/** Columns for these keys, in their order, pairs merged where both halves are present. */
export function pairedColumns(keys: readonly TaskMetricKey[]): MetricColumn[] {
  const out: MetricColumn[] = [];
  const paired = new Set<TaskMetricKey>();
  for (const k of keys) {
    if (paired.has(k)) continue;
    const p = PAIRS[k];
    if (p && keys.includes(p.with)) {
      paired.add(p.with);
      out.push({ keys: [k, p.with], heading: p.heading });
    } else out.push({ keys: [k], heading: metricDef(k).short });
  }
  return out;
}

/** A column's text: `n/a` when nothing in it was measured; `≥ ` before a lower bound. */
export function columnText(
  col: MetricColumn,
  values: TaskMetricValues,
  bounds: readonly LowerBound[] = [],
): string {
  const texts = col.keys.map((k) => {
    const text = formatMetric(k, values[k]);
    const bounded = values[k] !== null && bounds.some((b) => b.metric === k);
    return bounded ? `${LOWER_BOUND_MARK} ${text}` : text;
  });
  return texts.every((t) => t === NA) ? NA : texts.join(' / ');
}

/** The report's task table: every metric of the `table` view. */
export const REPORT_TASK_COLUMNS: readonly MetricColumn[] = pairedColumns(metricKeysIn('table'));

/** The CodeLens above a node: duration always, the others when measured. */
export const LENS_TITLE_METRICS = [
  'durationMs',
  'peakRssBytes',
  'cpuPercent',
] as const satisfies readonly TaskMetricKey[];
/** Words after a value in the CodeLens (`98.0% CPU`). */
const LENS_SUFFIX: Partial<Record<TaskMetricKey, string>> = { cpuPercent: ' CPU' };

/** The hover over a node: its last run's numbers. */
export const HOVER_METRICS = [
  'durationMs',
  'waitMs',
  'cpuTimeMs',
  'cpuPercent',
  'peakRssBytes',
  'memoryDeltaBytes',
  'ioReadBytes',
  'ioWriteBytes',
  'peakThreads',
  'contextSwitches',
] as const satisfies readonly TaskMetricKey[];

export function lensTitleParts(values: TaskMetricValues): string[] {
  const [first, ...rest] = LENS_TITLE_METRICS;
  const parts = [formatMetric(first, values[first])];
  for (const k of rest) {
    const v = values[k];
    if (v !== null) parts.push(`${formatMetric(k, v)}${LENS_SUFFIX[k] ?? ''}`);
  }
  return parts;
}

export function hoverRows(values: TaskMetricValues): [string, string][] {
  return pairedColumns(HOVER_METRICS).map((c) => [c.heading, columnText(c, values)]);
}
