/**
 * What every dashboard chart draws from: the run analysed once (critical path, display order),
 * one row per node (planned nodes that have not started included, so a live run shows them),
 * and live progress. Pure: a snapshot and a clock in, a model out.
 */
import type { DashboardSnapshot } from '../../protocol/dashboard';
import type { WhatIfInput } from '../../protocol/whatIf';
import { metricKeysIn, type MetricKeyIn } from '../../model/metrics';
import {
  lowerBoundReason,
  placementOf,
  type RunRecord,
  type Sample,
  type TaskRun,
  type TaskStatus,
} from '../../model/run';
import { analyzeRun, taskEndMs, type CriticalPath, type RunAnalysis } from '../analysis';
import { criticalPathSoFar } from './liveFigures';
import { compareText } from './text';

/** The measured values a chart or table shows for a node: its final attempt's. */
export const NODE_METRICS = metricKeysIn('node');
export type NodeMetric = MetricKeyIn<'node'>;
/** The metrics the node table and heatmap show, in table order. */
export const TABLE_METRICS: readonly NodeMetric[] = metricKeysIn('table').filter(
  (k): k is Extract<MetricKeyIn<'table'>, NodeMetric> => (NODE_METRICS as string[]).includes(k),
);

export interface NodeRow {
  nodeId: string;
  type: string;
  tags: string[];
  parentId: string | null;
  depth: number;
  /** The final attempt's status; `pending` for a planned node that has not started. */
  status: TaskStatus;
  /** Every attempt in attempt order; empty for a planned node. */
  attempts: TaskRun[];
  final: TaskRun | null;
  onCriticalPath: boolean;
  isContainer: boolean;
  /**
   * The final attempt's metrics, except Queued: the node's queue time over every attempt (the
   * one definition, nodeQueuedMs). Null where not measured (or not started, or still running).
   */
  metrics: Record<NodeMetric, number | null>;
  /** Sum over every attempt's duration, null if none ran. */
  totalDurationMs: number | null;
  /** Why a metric of the final attempt is only a lower bound (shown "≥", the reason on hover). */
  lowerBounds: Partial<Record<NodeMetric, string>>;
}

export interface Progress {
  total: number;
  done: number;
  running: number;
  left: number;
  failed: number;
  skipped: number;
}

export interface DashboardModel {
  run: RunRecord;
  live: boolean;
  /** Now on the run's clock (ms since its start): running bars end here. */
  nowMs: number;
  /** What the time axes span: the wall time, or now while live. */
  spanMs: number;
  analysis: RunAnalysis;
  /** Display order: execution order, nested nodes under their parent, unstarted nodes last. */
  rows: NodeRow[];
  rowIndex: ReadonlyMap<string, number>;
  samples: readonly Sample[];
  progress: Progress;
  snapshot: DashboardSnapshot;
  /** The simulator's input for the "What if" section; null while live or when not sent. */
  whatIf: WhatIfInput | null;
}

/** The compute node a row's last attempt ran on (runtime slurm), else null. */
export function rowHost(row: Pick<NodeRow, 'final'>): string | null {
  return row.final ? (placementOf(row.final)?.host ?? null) : null;
}

/**
 * Runtime slurm: rows grouped by compute node (execution order kept within a host, nodes that
 * ran nowhere last), so the timeline reads as one lane group per host. Only for flat workflows:
 * nested rows must stay under their parent.
 */
function groupByHost(rows: NodeRow[]): void {
  if (!rows.some((r) => rowHost(r) !== null) || rows.some((r) => r.depth > 0)) return;
  const firstSeen = new Map<string, number>();
  rows.forEach((r, i) => {
    const h = rowHost(r);
    if (h !== null && !firstSeen.has(h)) firstSeen.set(h, i);
  });
  const key = (r: NodeRow): number => {
    const h = rowHost(r);
    return h === null ? Infinity : (firstSeen.get(h) ?? Infinity);
  };
  // Array.prototype.sort is stable: execution order holds within a host.
  rows.sort((a, b) => key(a) - key(b));
}

const DONE: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'skipped', 'cancelled']);

/**
 * `clockNow` is the webview's Date.now(): while live, running bars grow to the run's elapsed
 * time, never before the latest offset already recorded.
 */
export function buildDashboardModel(snapshot: DashboardSnapshot, clockNow: number): DashboardModel {
  const { run, samples } = snapshot;
  const analysis = analyzeRun(run, samples);
  const planned = new Map(snapshot.plan.map((p) => [p.nodeId, p]));
  const tagsOf = new Map<string, string[]>();
  for (const t of run.tasks) if (t.tags.length > 0) tagsOf.set(t.nodeId, t.tags);

  const rows: NodeRow[] = [];
  for (const id of analysis.order) {
    const n = analysis.nodes.get(id);
    if (!n) continue;
    rows.push({
      nodeId: id,
      type: n.type,
      tags: tagsOf.get(id) ?? [],
      parentId: n.parentId,
      depth: n.depth,
      status: n.final.status,
      attempts: n.attempts,
      final: n.final,
      onCriticalPath: n.onCriticalPath,
      isContainer: n.isContainer,
      // Queued is the node's (every attempt's, src/model/metrics.ts), as the report says it.
      metrics: { ...metricsOf(n.final), waitMs: n.totalWaitMs },
      totalDurationMs: n.totalDurationMs,
      lowerBounds: boundsOf(n.final),
    });
  }
  const depthOf = (id: string): number => {
    let d = 0;
    let p = planned.get(id)?.parentId ?? null;
    while (p !== null && d < 32) {
      d++;
      p = planned.get(p)?.parentId ?? null;
    }
    return d;
  };
  for (const p of snapshot.plan) {
    if (analysis.nodes.has(p.nodeId)) continue;
    rows.push({
      nodeId: p.nodeId,
      type: p.type,
      tags: [],
      parentId: p.parentId,
      depth: depthOf(p.nodeId),
      status: 'pending',
      attempts: [],
      final: null,
      onCriticalPath: false,
      isContainer: false,
      metrics: metricsOf(null),
      totalDurationMs: null,
      lowerBounds: {},
    });
  }
  groupByHost(rows);
  const rowIndex = new Map(rows.map((r, i) => [r.nodeId, i]));

  let latest = 0;
  for (const t of run.tasks) {
    latest = Math.max(latest, t.readyAtMs ?? 0, t.startMs ?? 0, taskEndMs(t) ?? 0);
  }
  for (const s of samples) if (Number.isFinite(s.t)) latest = Math.max(latest, s.t);
  const started = Date.parse(run.startedAt);
  const elapsed = Number.isFinite(started) ? clockNow - started : latest;
  const live = snapshot.live && run.status === 'running';
  const nowMs = live ? Math.max(latest, elapsed) : (analysis.wallMs ?? latest);
  const spanMs = Math.max(nowMs, latest, analysis.wallMs ?? 0);
  if (live) {
    // The timeline outlines the same chain the header names: the longest so far.
    const onPath = new Set<string>();
    const mark = (cp: CriticalPath): void => {
      for (const id of cp.nodeIds) onPath.add(id);
      for (const n of cp.nested) mark(n.path);
    };
    mark(criticalPathSoFar(analysis.nodes, nowMs));
    for (const r of rows) r.onCriticalPath = onPath.has(r.nodeId);
  }

  const progress: Progress = {
    total: rows.length,
    done: 0,
    running: 0,
    left: 0,
    failed: 0,
    skipped: 0,
  };
  for (const r of rows) {
    if (DONE.has(r.status)) progress.done++;
    if (r.status === 'running') progress.running++;
    if (r.status === 'failed') progress.failed++;
    if (r.status === 'skipped') progress.skipped++;
  }
  progress.left = progress.total - progress.done;

  const whatIf = live ? null : (snapshot.whatIf ?? null);
  return {
    run,
    live,
    nowMs,
    spanMs,
    analysis,
    rows,
    rowIndex,
    samples,
    progress,
    snapshot,
    whatIf,
  };
}

function boundsOf(t: TaskRun): Partial<Record<NodeMetric, string>> {
  const out: Partial<Record<NodeMetric, string>> = {};
  for (const m of NODE_METRICS) {
    const reason = lowerBoundReason(t, m);
    if (reason !== null && t[m] !== null) out[m] = reason;
  }
  return out;
}

function metricsOf(t: TaskRun | null): Record<NodeMetric, number | null> {
  const out = {} as Record<NodeMetric, number | null>;
  for (const m of NODE_METRICS) {
    const v = t ? t[m] : null;
    out[m] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out;
}

/** Whether any attempt of the node started (skipped and planned nodes did not). */
export function hasStarted(r: NodeRow): boolean {
  return r.attempts.some((t) => t.startMs !== null);
}

export type SortKey = 'order' | 'nodeId' | 'type' | 'status' | 'attempts' | NodeMetric;

/** Rows sorted by a key; unmeasured values always last, whatever the direction. */
export function sortRows(rows: readonly NodeRow[], key: SortKey, descending: boolean): NodeRow[] {
  const indexed = rows.map((r, i) => ({ r, i }));
  const dir = descending ? -1 : 1;
  const value = (r: NodeRow): number | string | null => {
    switch (key) {
      case 'order':
        return null;
      case 'nodeId':
        return r.nodeId;
      case 'type':
        return r.type;
      case 'status':
        return r.status;
      case 'attempts':
        return r.attempts.length;
      default:
        return r.metrics[key];
    }
  };
  if (key === 'order') {
    return descending ? indexed.reverse().map((x) => x.r) : rows.slice();
  }
  const vals = indexed.map(({ r, i }) => ({ r, i, v: value(r) }));
  vals.sort((a, b) => {
    if (a.v === null || b.v === null) {
      if (a.v === b.v) return a.i - b.i;
      return a.v === null ? 1 : -1;
    }
    const c =
      typeof a.v === 'number' && typeof b.v === 'number'
        ? a.v - b.v
        : compareText(String(a.v), String(b.v));
    return c !== 0 ? c * dir : a.i - b.i;
  });
  return vals.map((x) => x.r);
}
