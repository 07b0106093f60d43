/**
 * Run-level analysis: what a performance engineer asks first about a run. How long did it really
 * take (wall time, not the sum of durations, which the original called "total time"), how much of
 * the available parallelism was used, which chain of nodes set the wall time, which nodes are the
 * bottlenecks by explicit rules, and what to do about it.
 *
 * Pure: (RunRecord, Sample[]) in, RunAnalysis out, so the report, the dashboard and the CLI agree
 * and the rules are unit-tested without any I/O. Every metric may be `null` (not measured); the
 * analysis never turns a null into 0.
 */
import { nodeQueuedMs } from '../model/metrics';
import { maxOf } from '../model/numbers';
import type { RunRecord, Sample, TaskRun } from '../model/run';
import { formatBytes, formatCount, formatMs, formatPercent, formatRatio } from '../model/format';
import { buildInsights } from './insights';
import type {
  Bottleneck,
  BottleneckGroup,
  CriticalPath,
  NodeInfo,
  RunAnalysis,
} from './analysisTypes';
import { NULLABLE_METRICS } from './analysisTypes';
import {
  BOTTLENECK_RULES,
  CPU_BOUND_MIN_DURATION_MS,
  CPU_BOUND_PERCENT,
  IN_PROCESS_TYPES,
  IO_HEAVY_BYTES,
  IO_HEAVY_OPS,
  MEMORY_HEAVY_BYTES,
  MEMORY_HEAVY_SHARE_MIN_BYTES,
  MEMORY_HEAVY_SHARE_OF_PEAK,
  SLOWEST_TOP_N,
  SLOW_SHARE_OF_WALL,
  WAITING_MIN_MS,
  WAITING_SHARE_OF_DURATION,
  hasRun,
  ioBytes,
  ioOps,
  maxOfAll,
  taskEndMs,
  type BottleneckRule,
} from './rules';

// One import point for callers: the rules and the insight types live in their own modules.
export * from './rules';
export { insightText } from './insights';
export * from './analysisTypes';

/** The last TaskRun of each node (its final attempt), by node id. */
export function finalTaskByNode(run: RunRecord): Map<string, TaskRun> {
  const out = new Map<string, TaskRun>();
  for (const t of run.tasks) {
    const prev = out.get(t.nodeId);
    if (!prev || t.attempt >= prev.attempt) out.set(t.nodeId, t);
  }
  return out;
}

export function analyzeRun(run: RunRecord, samples: readonly Sample[] = []): RunAnalysis {
  const { nodes, order } = buildNodes(run);
  const leafRuns = run.tasks.filter((t) => hasRun(t) && !nodes.get(t.nodeId)?.isContainer);

  const wall = wallOf(run);
  const sumDurationMs = leafRuns.reduce((s, t) => s + (t.durationMs ?? 0), 0);
  const cpuRuns = leafRuns.filter((t) => t.cpuTimeMs !== null);
  const totalCpuTimeMs =
    cpuRuns.length === 0 ? null : cpuRuns.reduce((s, t) => s + (t.cpuTimeMs ?? 0), 0);

  const slots = run.runtime === 'local' ? 1 : Math.max(1, run.maxParallel);
  const parallelism = wall.ms !== null && wall.ms > 0 ? sumDurationMs / wall.ms : null;
  const parallelEfficiency = parallelism === null ? null : parallelism / slots;

  const memory = peakConcurrentMemory(run, leafRuns, samples);
  const criticalPath = criticalPathOf(nodes, null, wall.ms);
  markCriticalPath(nodes, criticalPath);

  let totalWaitMs = 0;
  let waitingNodes = 0;
  for (const n of nodes.values()) {
    if (n.totalWaitMs !== null && n.totalWaitMs > 0) {
      totalWaitMs += n.totalWaitMs;
      if (n.totalWaitMs >= 1) waitingNodes++;
    }
  }

  const analysis: RunAnalysis = {
    wallMs: wall.ms,
    wallSource: wall.source,
    sumDurationMs,
    totalCpuTimeMs,
    cpuMeasuredTasks: cpuRuns.length,
    executedLeafTasks: leafRuns.length,
    peakConcurrentMemoryBytes: memory.bytes,
    peakConcurrentMemoryMethod: memory.method,
    peakConcurrentMemoryUpperBoundBytes: memory.upperBound,
    slots,
    parallelism,
    parallelEfficiency,
    maxObservedConcurrency: maxOverlap(leafRuns),
    dagWidth: dagWidth(nodes, null),
    criticalPath,
    nodes,
    order,
    counts: countStatuses(run, nodes),
    totalWaitMs,
    waitingNodes,
    bottlenecks: [],
    nullMetrics: nullMetrics(nodes),
    insights: [],
  };
  // Bottlenecks and insights are built on first read: the dashboard's first screen needs
  // neither (only its what-if section reads the insights), and at 2,000 nodes they are about a
  // third of the analysis. Enumerable getters, so spreads and JSON still see them.
  let bottlenecks: RunAnalysis['bottlenecks'] | null = null;
  let insights: RunAnalysis['insights'] | null = null;
  Object.defineProperties(analysis, {
    bottlenecks: { enumerable: true, get: () => (bottlenecks ??= findBottlenecks(analysis)) },
    insights: { enumerable: true, get: () => (insights ??= buildInsights(run, analysis)) },
  });
  return analysis;
}

// ---- Nodes and display order.

function buildNodes(run: RunRecord): { nodes: Map<string, NodeInfo>; order: string[] } {
  const byNode = new Map<string, TaskRun[]>();
  for (const t of run.tasks) {
    const list = byNode.get(t.nodeId);
    if (list) list.push(t);
    else byNode.set(t.nodeId, [t]);
  }
  const nodes = new Map<string, NodeInfo>();
  for (const [nodeId, list] of byNode) {
    const attempts = [...list].sort((a, b) => a.attempt - b.attempt);
    const final = attempts[attempts.length - 1] as TaskRun;
    const ran = attempts.filter(hasRun);
    nodes.set(nodeId, {
      nodeId,
      parentId: final.parentId,
      depth: 0,
      type: final.type,
      final,
      attempts,
      executed: ran.length > 0,
      totalDurationMs:
        ran.length === 0 || ran.every((t) => t.durationMs === null)
          ? null
          : ran.reduce((s, t) => s + (t.durationMs ?? 0), 0),
      // The one definition of a node's queue time (src/model/metrics.ts), shared by every view.
      totalWaitMs: nodeQueuedMs(attempts),
      isContainer: false,
      children: [],
      onCriticalPath: false,
    });
  }
  // Children under their parent; a parent missing from the record (a partial run) leaves its
  // children at top level rather than hiding them.
  const roots: NodeInfo[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId !== null ? nodes.get(n.parentId) : undefined;
    if (parent && parent !== n) {
      parent.isContainer = true;
      parent.children.push(n.nodeId);
    } else roots.push(n);
  }
  const firstSeen = new Map<string, number>();
  run.tasks.forEach((t, i) => {
    if (!firstSeen.has(t.nodeId)) firstSeen.set(t.nodeId, i);
  });
  const byExecution = (a: NodeInfo, b: NodeInfo): number =>
    orderKey(a) - orderKey(b) || (firstSeen.get(a.nodeId) ?? 0) - (firstSeen.get(b.nodeId) ?? 0);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (n: NodeInfo, depth: number): void => {
    if (seen.has(n.nodeId)) return; // a corrupt record with a parent cycle must not loop
    seen.add(n.nodeId);
    n.depth = depth;
    order.push(n.nodeId);
    const kids = n.children.map((id) => nodes.get(id) as NodeInfo).sort(byExecution);
    n.children = kids.map((k) => k.nodeId);
    for (const k of kids) visit(k, depth + 1);
  };
  for (const r of roots.sort(byExecution)) visit(r, 0);
  for (const n of nodes.values()) visit(n, 0);
  return { nodes, order };
}

/** Started nodes in start order; nodes that never started after them, by when they were ready. */
function orderKey(n: NodeInfo): number {
  const first = n.attempts[0] as TaskRun;
  return first.startMs ?? (first.readyAtMs ?? Number.MAX_SAFE_INTEGER / 2) + 1e12;
}

function countStatuses(run: RunRecord, nodes: Map<string, NodeInfo>): RunAnalysis['counts'] {
  const c: RunAnalysis['counts'] = {
    nodes: nodes.size,
    taskRuns: run.tasks.length,
    completed: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    running: 0,
    pending: 0,
    retriedAttempts: run.tasks.filter((t) => t.status === 'retried').length,
  };
  for (const n of nodes.values()) {
    const s = n.final.status;
    if (s === 'completed') c.completed++;
    else if (s === 'failed') c.failed++;
    else if (s === 'skipped') c.skipped++;
    else if (s === 'cancelled') c.cancelled++;
    else if (s === 'running') c.running++;
    else if (s === 'pending') c.pending++;
  }
  return c;
}

// ---- Wall time, concurrency and memory.

function wallOf(run: RunRecord): { ms: number | null; source: RunAnalysis['wallSource'] } {
  if (run.wallMs !== null && Number.isFinite(run.wallMs)) return { ms: run.wallMs, source: 'run' };
  // An interrupted run has no wallMs: the span of what ran is the best we know.
  let start = Infinity;
  let end = -Infinity;
  for (const t of run.tasks) {
    const e = taskEndMs(t);
    if (t.startMs === null || e === null) continue;
    start = Math.min(start, t.startMs);
    end = Math.max(end, e);
  }
  return end >= start ? { ms: end - start, source: 'tasks' } : { ms: null, source: null };
}

/** Most intervals open at one moment (an end at t frees its place before a start at t). */
function maxOverlap(tasks: readonly TaskRun[]): number {
  const events: [number, number][] = [];
  for (const t of tasks) {
    const end = taskEndMs(t);
    if (t.startMs === null || end === null) continue;
    events.push([t.startMs, 1], [end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let best = 0;
  for (const [, d] of events) {
    open += d;
    best = Math.max(best, open);
  }
  return best;
}

function peakConcurrentMemory(
  run: RunRecord,
  leafRuns: readonly TaskRun[],
  samples: readonly Sample[],
): {
  bytes: number | null;
  method: RunAnalysis['peakConcurrentMemoryMethod'];
  upperBound: number | null;
} {
  let maxSingle: number | null = null;
  for (const t of leafRuns) {
    if (t.peakRssBytes !== null) maxSingle = Math.max(maxSingle ?? 0, t.peakRssBytes);
  }
  const upperBound = summedPeakUpperBound(leafRuns);
  const fromSamples = sampledConcurrentPeak(run, samples);
  if (fromSamples !== null) {
    // Sampling misses short spikes; the exact high-water mark of one node is a floor.
    return { bytes: Math.max(fromSamples, maxSingle ?? 0), method: 'samples', upperBound };
  }
  if (maxSingle !== null) return { bytes: maxSingle, method: 'max-single-node', upperBound };
  return { bytes: null, method: null, upperBound };
}

/**
 * Sweep over samples in time order: each node attempt's RSS holds from one of its samples to the
 * next (or to the attempt's end), and the sum over nodes is maximised. This is bucketing by tick
 * without assuming the nodes were read at exactly the same instant within a tick.
 */
function sampledConcurrentPeak(run: RunRecord, samples: readonly Sample[]): number | null {
  // Each node attempt gets a small integer (no string keys); the events live in typed arrays and
  // are sorted through an index permutation: n log n with no per-event objects.
  const ids = new Map<string, Map<number, number>>();
  const idOf = (nodeId: string, attempt: number): number => {
    let byAttempt = ids.get(nodeId);
    if (!byAttempt) ids.set(nodeId, (byAttempt = new Map<number, number>()));
    let id = byAttempt.get(attempt);
    if (id === undefined) byAttempt.set(attempt, (id = lastT.length));
    if (id === lastT.length) lastT.push(-Infinity);
    return id;
  };
  const lastT: number[] = [];
  const sampleId: number[] = [];
  const sampleAt: number[] = [];
  const sampleRss: number[] = [];
  for (const s of samples) {
    if (s.rssBytes === null || !Number.isFinite(s.t)) continue;
    const id = idOf(s.nodeId, s.attempt);
    sampleId.push(id);
    sampleAt.push(s.t);
    sampleRss.push(s.rssBytes);
    if (s.t > (lastT[id] as number)) lastT[id] = s.t;
  }
  if (sampleId.length === 0) return null;
  const ends = new Map<number, number>();
  for (const t of run.tasks) {
    const e = taskEndMs(t);
    const id = ids.get(t.nodeId)?.get(t.attempt);
    if (e !== null && id !== undefined) ends.set(id, e);
  }
  // Events: time, order, id, rss. At one instant, nodes that ended free their memory before
  // others' samples count (0 before 1); a node whose last sample is at its own end time is
  // removed after that sample (2), or it would come back and never leave.
  const n = sampleId.length + lastT.length;
  const at = new Float64Array(n);
  const kind = new Uint8Array(n);
  const who = new Int32Array(n);
  const rss = new Float64Array(n);
  sampleId.forEach((id, i) => {
    at[i] = sampleAt[i] as number;
    kind[i] = 1;
    who[i] = id;
    rss[i] = sampleRss[i] as number;
  });
  lastT.forEach((last, id) => {
    const i = sampleId.length + id;
    const end = ends.get(id) ?? last + Math.max(1, run.collector.intervalMs);
    at[i] = end > last ? end : last;
    kind[i] = end > last ? 0 : 2;
    who[i] = id;
  });
  const byTime = (a: number, b: number): number =>
    (at[a] as number) - (at[b] as number) || (kind[a] as number) - (kind[b] as number);
  const order = eventOrder(sampleId.length, n, byTime);
  const current = new Float64Array(lastT.length);
  let sum = 0;
  let peak = 0;
  for (const i of order) {
    const id = who[i] as number;
    sum -= current[id] as number;
    const now = kind[i] === 1 ? (rss[i] as number) : 0;
    current[id] = now;
    sum += now;
    if (kind[i] === 1) peak = Math.max(peak, sum);
  }
  return peak;
}

/**
 * Event indices in time order (ties by `cmp`, else by index): events [0, samples) are the
 * samples, the rest the ends. Samples arrive in time order (samples.ndjson is appended so): then
 * only the ends are sorted and merged in, linear in the samples; otherwise one stable sort.
 */
function eventOrder(samples: number, n: number, cmp: (a: number, b: number) => number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 1; i < samples; i++) if (cmp(i - 1, i) > 0) return all.sort(cmp);
  const ends = all.slice(samples).sort(cmp);
  const out: number[] = [];
  let e = 0;
  for (let i = 0; i < samples; i++) {
    while (e < ends.length && cmp(ends[e] as number, i) < 0) out.push(ends[e++] as number);
    out.push(i);
  }
  while (e < ends.length) out.push(ends[e++] as number);
  return out;
}

function summedPeakUpperBound(leafRuns: readonly TaskRun[]): number | null {
  const events: [number, number, number][] = [];
  for (const t of leafRuns) {
    const end = taskEndMs(t);
    if (t.startMs === null || end === null || t.peakRssBytes === null) continue;
    events.push([t.startMs, 1, t.peakRssBytes], [end, 0, -t.peakRssBytes]);
  }
  if (events.length === 0) return null;
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let sum = 0;
  let peak = 0;
  for (const [, , d] of events) {
    sum += d;
    peak = Math.max(peak, sum);
  }
  return peak;
}

// ---- The DAG: critical path and width.

/** Executed nodes of one scope (top level, or one nested workflow), with edges inside it. */
function scopeGraph(
  nodes: Map<string, NodeInfo>,
  parentId: string | null,
): { ids: string[]; preds: Map<string, string[]> } {
  const inScope = [...nodes.values()].filter(
    (n) => n.executed && (n.parentId === parentId || (parentId === null && !parentKnown(nodes, n))),
  );
  const set = new Set(inScope.map((n) => n.nodeId));
  const preds = new Map<string, string[]>();
  for (const n of inScope)
    preds.set(
      n.nodeId,
      n.final.needs.filter((d) => set.has(d) && d !== n.nodeId),
    );
  return {
    ids: topoOrder(
      inScope.map((n) => n.nodeId),
      preds,
    ),
    preds,
  };
}

function parentKnown(nodes: Map<string, NodeInfo>, n: NodeInfo): boolean {
  return n.parentId !== null && nodes.has(n.parentId) && n.parentId !== n.nodeId;
}

/** Kahn's algorithm; nodes left in a cycle (a corrupt record) are appended with their edges cut. */
function topoOrder(ids: string[], preds: Map<string, string[]>): string[] {
  const indeg = new Map(ids.map((id) => [id, (preds.get(id) ?? []).length]));
  const succs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const p of preds.get(id) ?? []) succs.get(p)?.push(id);
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const out: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    out.push(id);
    for (const s of succs.get(id) ?? []) {
      const d = (indeg.get(s) ?? 0) - 1;
      indeg.set(s, d);
      if (d === 0) queue.push(s);
    }
  }
  if (out.length < ids.length) {
    const done = new Set(out);
    for (const id of ids) {
      if (done.has(id)) continue;
      preds.set(
        id,
        (preds.get(id) ?? []).filter((p) => done.has(p)),
      );
      out.push(id);
      done.add(id);
    }
  }
  return out;
}

/**
 * Longest path through the executed DAG of one scope, each node weighted by the time all its
 * attempts took. Ties go to the predecessor that finished last: that is the one that actually
 * released the next node.
 */
export function criticalPathOf(
  nodes: Map<string, NodeInfo>,
  parentId: string | null,
  wallMs: number | null,
): CriticalPath {
  const { ids, preds } = scopeGraph(nodes, parentId);
  const dist = new Map<string, number>();
  const via = new Map<string, string | null>();
  const endOf = (id: string): number => taskEndMs((nodes.get(id) as NodeInfo).final) ?? -Infinity;
  for (const id of ids) {
    let best: string | null = null;
    let bestDist = 0;
    for (const p of preds.get(id) ?? []) {
      const d = dist.get(p) ?? 0;
      if (best === null || d > bestDist || (d === bestDist && endOf(p) > endOf(best))) {
        best = p;
        bestDist = d;
      }
    }
    dist.set(id, bestDist + ((nodes.get(id) as NodeInfo).totalDurationMs ?? 0));
    via.set(id, best);
  }
  let last: string | null = null;
  for (const id of ids) {
    const d = dist.get(id) ?? 0;
    const bestSoFar = last === null ? -1 : (dist.get(last) ?? 0);
    if (d > bestSoFar || (d === bestSoFar && last !== null && endOf(id) > endOf(last))) last = id;
  }
  const path: string[] = [];
  for (let id = last; id !== null; id = via.get(id) ?? null) path.unshift(id);
  const totalMs = last === null ? 0 : (dist.get(last) ?? 0);
  const nested: CriticalPath['nested'] = [];
  for (const id of path) {
    if ((nodes.get(id) as NodeInfo).isContainer) {
      nested.push({ parentId: id, path: criticalPathOf(nodes, id, wallMs) });
    }
  }
  return {
    nodeIds: path,
    totalMs,
    shareOfWall: wallMs !== null && wallMs > 0 ? totalMs / wallMs : null,
    nested,
  };
}

function markCriticalPath(nodes: Map<string, NodeInfo>, cp: CriticalPath): void {
  for (const id of cp.nodeIds) {
    const n = nodes.get(id);
    if (n) n.onCriticalPath = true;
  }
  for (const n of cp.nested) markCriticalPath(nodes, n.path);
}

/**
 * Width by levels: level = longest chain of needs above a node. Nodes on one level never depend
 * on each other, so each level is a set that can run at once.
 */
export function dagWidth(nodes: Map<string, NodeInfo>, parentId: string | null): number {
  const { ids, preds } = scopeGraph(nodes, parentId);
  const level = new Map<string, number>();
  const perLevel = new Map<number, number>();
  for (const id of ids) {
    const l =
      maxOfAll(
        (preds.get(id) ?? []).map((p) => level.get(p) ?? 0),
        -1,
      ) + 1;
    level.set(id, l);
    perLevel.set(l, (perLevel.get(l) ?? 0) + 1);
  }
  return maxOfAll(perLevel.values(), 0);
}

// ---- Bottlenecks.

function findBottlenecks(a: RunAnalysis): BottleneckGroup[] {
  // Containers are left out: their time is their children's, which are judged on their own.
  const leaves = a.order
    .map((id) => a.nodes.get(id) as NodeInfo)
    .filter((n) => n.executed && !n.isContainer);
  const hit = (rule: BottleneckRule, n: NodeInfo, value: number, detail: string): Bottleneck => ({
    rule,
    nodeId: n.nodeId,
    value,
    detail,
    onCriticalPath: n.onCriticalPath,
  });
  const wall = a.wallMs;
  const shareText = (ms: number): string =>
    wall !== null && wall > 0 ? `, ${formatRatio(ms / wall)} of the wall time` : '';

  const timed = leaves.filter((n) => n.totalDurationMs !== null);
  const byDuration = [...timed].sort((x, y) => (y.totalDurationMs ?? 0) - (x.totalDurationMs ?? 0));
  const slowest = byDuration.filter(
    (n, i) =>
      i < SLOWEST_TOP_N ||
      (wall !== null && wall > 0 && (n.totalDurationMs ?? 0) / wall > SLOW_SHARE_OF_WALL),
  );

  const memRef = a.peakConcurrentMemoryBytes;
  const groups: Record<BottleneckRule, Bottleneck[]> = {
    slowest: slowest.map((n) => {
      const ms = n.totalDurationMs ?? 0;
      const tries = n.attempts.filter(hasRun).length;
      return hit(
        'slowest',
        n,
        ms,
        `${formatMs(ms)}${shareText(ms)}${tries > 1 ? ` over ${tries} attempts` : ''}`,
      );
    }),
    'cpu-bound': [],
    'memory-heavy': [],
    'io-heavy': [],
    waiting: [],
  };
  for (const n of leaves) {
    const t = n.final;
    if (
      t.cpuPercent !== null &&
      t.durationMs !== null &&
      t.cpuPercent >= CPU_BOUND_PERCENT &&
      t.durationMs >= CPU_BOUND_MIN_DURATION_MS
    ) {
      groups['cpu-bound'].push(
        hit(
          'cpu-bound',
          n,
          t.cpuPercent,
          `CPU ${formatPercent(t.cpuPercent)} for ${formatMs(t.durationMs)} (${formatMs(t.cpuTimeMs)} CPU time)`,
        ),
      );
    }
    const rss = maxOf(...n.attempts.map((x) => x.peakRssBytes));
    if (rss !== null) {
      const share = memRef !== null && memRef > 0 ? rss / memRef : null;
      const big = rss >= MEMORY_HEAVY_BYTES;
      const relative =
        share !== null &&
        share >= MEMORY_HEAVY_SHARE_OF_PEAK &&
        rss >= MEMORY_HEAVY_SHARE_MIN_BYTES;
      if (big || relative) {
        const of =
          share !== null ? `, ${formatRatio(share)} of the run's peak concurrent memory` : '';
        groups['memory-heavy'].push(
          hit('memory-heavy', n, rss, `peak RSS ${formatBytes(rss)}${of}`),
        );
      }
    }
    const bytes = ioBytes(t);
    const ops = ioOps(t);
    if ((bytes !== null && bytes >= IO_HEAVY_BYTES) || (ops !== null && ops >= IO_HEAVY_OPS)) {
      groups['io-heavy'].push(
        hit(
          'io-heavy',
          n,
          bytes ?? ops ?? 0,
          `read ${formatBytes(t.ioReadBytes)} / wrote ${formatBytes(t.ioWriteBytes)} in ${formatCount(ops)} system calls`,
        ),
      );
    }
    const wait = n.totalWaitMs;
    const dur = n.totalDurationMs;
    if (
      wait !== null &&
      dur !== null &&
      wait >= WAITING_MIN_MS &&
      wait >= WAITING_SHARE_OF_DURATION * dur
    ) {
      // In time, and against the wall: a share of a 1 ms node's own run says nothing.
      groups.waiting.push(
        hit('waiting', n, wait, `queued ${formatMs(wait)} for a slot${shareText(wait)}`),
      );
    }
  }
  // Largest first within each rule, so the worst offender leads.
  for (const list of Object.values(groups)) list.sort((x, y) => y.value - x.value);
  return BOTTLENECK_RULES.map((r) => ({ ...r, nodes: groups[r.rule] }));
}

function nullMetrics(nodes: Map<string, NodeInfo>): RunAnalysis['nullMetrics'] {
  // Only process nodes are expected to have these; logic and HTTP nodes have none by design.
  const measured = [...nodes.values()].filter(
    (n) => n.executed && !IN_PROCESS_TYPES.has(n.type) && n.final.startMs !== null,
  );
  const out: RunAnalysis['nullMetrics'] = [];
  for (const metric of NULLABLE_METRICS) {
    const nodeIds = measured.filter((n) => n.final[metric] === null).map((n) => n.nodeId);
    if (nodeIds.length > 0) out.push({ metric, nodeIds });
  }
  return out;
}
