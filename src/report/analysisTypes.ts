/**
 * The shapes of a run's analysis (src/report/analysis.ts) and its insights (insights.ts), apart
 * from both so neither module needs the other's types.
 */
import {
  isProcessMetric,
  metricKeysIn,
  type MetricKeyIn,
  type ProcessMetricKey,
} from '../model/metrics';
import type { TaskRun } from '../model/run';
import type { BottleneckRule } from './rules';

/** The per-task metrics the report shows and that may be null: those the process layer measures. */
export const NULLABLE_METRICS = metricKeysIn('table').filter(
  (k): k is Extract<MetricKeyIn<'table'>, ProcessMetricKey> => isProcessMetric(k),
);
export type NullableMetric = (typeof NULLABLE_METRICS)[number];

export type InsightPart = string | { node: string } | { value: string };

export type InsightKind =
  | 'cancelled'
  | 'failed'
  | 'critical-path'
  | 'critical-node'
  | 'queueing'
  | 'unused-slots'
  | 'starved'
  | 'busy-machine'
  | 'retried'
  | 'off-cpu'
  | 'http'
  | 'skipped'
  | 'memory'
  | 'unavailable'
  | 'overhead';

export interface Insight {
  kind: InsightKind;
  /** critical: the run did not do its job; warning: costs wall time now; info: worth knowing. */
  severity: 'critical' | 'warning' | 'info';
  nodeIds: string[];
  parts: InsightPart[];
  /** The sentence as plain text, node ids in backticks (CLI, logs, tooltips). */
  text: string;
  /**
   * Advice only: the wall time the simulator predicts acting on it saves, and the what-if that
   * predicts it (a node taking no time, or a slot count), so the dashboard can replay exactly it.
   */
  prediction?: InsightPrediction;
}

export type InsightPrediction =
  { savingMs: number; nodeId: string } | { savingMs: number; slots: number };

/** One node of the run: all its attempts, the final one first for lookups. */
export interface NodeInfo {
  nodeId: string;
  /** The `workflow` node this node's nested workflow belongs to, or null at top level. */
  parentId: string | null;
  /** 0 at top level, 1 inside a nested workflow, and so on. */
  depth: number;
  type: string;
  /** The last attempt (earlier ones have status `retried`). */
  final: TaskRun;
  /** Every attempt, in attempt order. */
  attempts: TaskRun[];
  /** Whether any attempt started. */
  executed: boolean;
  /** Sum of every attempt's duration (a retried node's failures cost time too); null if none ran. */
  totalDurationMs: number | null;
  /** Sum of every attempt's queueing time; null if none was recorded. */
  totalWaitMs: number | null;
  /** A `workflow` node whose nested TaskRuns are in the run: it has no process of its own. */
  isContainer: boolean;
  /** Direct children (nested workflow nodes), in display order. */
  children: string[];
  onCriticalPath: boolean;
}

export interface CriticalPath {
  /** Node ids from first to last; empty when nothing ran. */
  nodeIds: string[];
  /** Sum of the path's node durations (every attempt of each), ms. */
  totalMs: number;
  /** totalMs / wall time, null without a wall time. */
  shareOfWall: number | null;
  /** For nested workflows on the path: their own critical path, by container id. */
  nested: { parentId: string; path: CriticalPath }[];
}

export interface Bottleneck {
  rule: BottleneckRule;
  nodeId: string;
  /** The measured value the rule compared (ms, %, bytes or ops, by rule). */
  value: number;
  /** The measurement in words, e.g. `cpu 99.0% for 1.234 s`. */
  detail: string;
  onCriticalPath: boolean;
}

export interface BottleneckGroup {
  rule: BottleneckRule;
  title: string;
  threshold: string;
  nodes: Bottleneck[];
}

export interface RunAnalysis {
  /** The run's wall time: run.wallMs, else the span of the tasks; null when nothing ran. */
  wallMs: number | null;
  wallSource: 'run' | 'tasks' | null;
  /**
   * Sum of the durations of every executed TaskRun, retried attempts included, nested workflow
   * containers excluded (their children are counted, so nested work is not counted twice).
   */
  sumDurationMs: number;
  /** Sum of cpuTimeMs over the TaskRuns that measured it; null if none did. */
  totalCpuTimeMs: number | null;
  /** TaskRuns that measured CPU time, of the executed leaf TaskRuns. */
  cpuMeasuredTasks: number;
  executedLeafTasks: number;
  /**
   * Peak of the memory in use by all nodes at once. From samples: each node's RSS held from one
   * sample to the next, summed across nodes, maximised over time; never below the largest single
   * node's exact peak. Without samples: the largest single node's peak, a lower bound.
   */
  peakConcurrentMemoryBytes: number | null;
  peakConcurrentMemoryMethod: 'samples' | 'max-single-node' | null;
  /** Upper bound: max over time of the summed peaks of the nodes running at that time. */
  peakConcurrentMemoryUpperBoundBytes: number | null;
  /** Slots the runtime had: run.maxParallel, 1 for the local runtime. */
  slots: number;
  /** sumDurationMs / wallMs: how many nodes ran at once on average. */
  parallelism: number | null;
  /** parallelism / slots: the share of the available slots kept busy. */
  parallelEfficiency: number | null;
  /** Most leaf tasks observed running at the same moment. */
  maxObservedConcurrency: number;
  /**
   * Width of the executed top-level DAG: the largest set of nodes at the same dependency depth.
   * Such a set can always run at once, so it is a lower bound of the true maximum antichain.
   */
  dagWidth: number;
  criticalPath: CriticalPath;
  /** Per node, final TaskRun and all attempts. */
  nodes: Map<string, NodeInfo>;
  /** Node ids in display order: execution order, nested nodes right after their parent. */
  order: string[];
  counts: {
    nodes: number;
    taskRuns: number;
    completed: number;
    failed: number;
    skipped: number;
    cancelled: number;
    running: number;
    pending: number;
    retriedAttempts: number;
  };
  /** Time nodes spent queued for a slot, summed over every attempt. */
  totalWaitMs: number;
  waitingNodes: number;
  bottlenecks: BottleneckGroup[];
  /** Metrics that are null on executed process TaskRuns of this run, with the nodes affected. */
  nullMetrics: { metric: NullableMetric; nodeIds: string[] }[];
  insights: Insight[];
}
