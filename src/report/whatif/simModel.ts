/**
 * A stored run as the simulator's input: per scope (the run, each nested workflow) its nodes in
 * the order the runtime handed them out, what each cost and how it ended. Everything is read
 * from run.json, so a what-if replays the run as recorded, not the workflow file as it is now.
 */
import type { RunRecord, TaskRun } from '../../model/run';
import type { SimNode, SimOutcome, SimScope } from '../../protocol/whatIf';

// The model's shape is a wire type: the dashboard webview receives it in its snapshot.
export type { SimNode, SimOutcome, SimScope } from '../../protocol/whatIf';

export function simModelOf(run: RunRecord): SimScope {
  const byScope = new Map<string | null, TaskRun[][]>();
  const byNode = new Map<string, TaskRun[]>();
  // First appearance is the runtime's hand-out order: it starts the first ready node in file
  // order, so among nodes ready together the one recorded first comes first in the file too.
  for (const t of run.tasks) {
    const list = byNode.get(t.nodeId);
    if (list) list.push(t);
    else {
      const fresh = [t];
      byNode.set(t.nodeId, fresh);
      const scope = byScope.get(t.parentId) ?? [];
      scope.push(fresh);
      byScope.set(t.parentId, scope);
    }
  }
  const lastEnd = maxEnd(run.tasks);
  const end = run.wallMs ?? lastEnd ?? 0;
  const slots = run.runtime === 'local' ? 1 : Math.max(1, run.maxParallel);
  return scopeOf(null, 0, end, slots, byScope, indexOf(run.tasks));
}

/** Lookups built once per run, so each node's share of the model costs no scan of the run. */
interface RunIndex {
  /** Node ids a switch excluded, by the switch's id. */
  excluded: ReadonlyMap<string, string[]>;
  /** Tasks that ran, by parent id. */
  ranIn: ReadonlyMap<string | null, TaskRun[]>;
}

function indexOf(all: readonly TaskRun[]): RunIndex {
  const excluded = new Map<string, string[]>();
  const ranIn = new Map<string | null, TaskRun[]>();
  const head = 'switch `';
  for (const t of all) {
    if (t.startMs !== null && t.endMs !== null) pushTo(ranIn, t.parentId, t);
    if (t.status !== 'skipped' || t.reason?.startsWith(head) !== true) continue;
    // Every "` took" could end the id (an id may contain one): register each candidate.
    for (
      let k = t.reason.indexOf('` took', head.length);
      k >= 0;
      k = t.reason.indexOf('` took', k + 1)
    ) {
      pushTo(excluded, t.reason.slice(head.length, k), t.nodeId);
    }
  }
  return { excluded, ranIn };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function scopeOf(
  parentId: string | null,
  startMs: number,
  endMs: number,
  slots: number,
  byScope: ReadonlyMap<string | null, TaskRun[][]>,
  index: RunIndex,
): SimScope {
  const groups = (byScope.get(parentId) ?? []).map((g) =>
    [...g].sort((a, b) => a.attempt - b.attempt),
  );
  const tasks = groups.flat();
  const ran = tasks.filter((t) => t.startMs !== null);
  const readies = groups
    .map((g) => g[0]?.readyAtMs)
    .filter((v): v is number => typeof v === 'number');
  const head = readies.length > 0 ? Math.max(0, Math.min(...readies) - startMs) : 0;
  const last = maxEnd(ran);
  const statusOf = new Map(groups.map((g) => [g[0]?.nodeId, g[g.length - 1]?.status]));
  const freed = freedSlots(ran);
  // Needed by a node that was not skipped: a failure there must have had continueOnError.
  const neededByRunners = new Set<string>();
  for (const g of groups) {
    const id = g[0]?.nodeId;
    if (id !== undefined && statusOf.get(id) !== 'skipped')
      for (const n of g[0]?.needs ?? []) neededByRunners.add(n);
  }
  const nodeEnds = new Map<string, number>();
  for (const g of groups) {
    const e = maxEnd(g);
    if (e !== null && g[0]) nodeEnds.set(g[0].nodeId, e);
  }
  const nodes = groups.map((g): SimNode => {
    const first = g[0] as TaskRun;
    const final = g[g.length - 1] as TaskRun;
    const started = g.filter((t) => t.startMs !== null);
    const s0 = started[0]?.startMs ?? null;
    const e1 = maxEnd(started);
    const outcome = outcomeOf(final, s0 !== null);
    const peaks = g.map((t) => t.peakRssBytes).filter((v): v is number => v !== null);
    // From the event that let it start to its start: the runtime's bookkeeping and the spawn,
    // which every what-if pays again. That event is the later of its last need ending and its
    // slot being freed (the slot is recorded); taking any earlier end in the scope instead would
    // credit the node with a wait it never had, and the replay would run ahead of the record.
    const slot = started[0]?.slot ?? null;
    const needsEnd = first.needs
      .map((id) => nodeEnds.get(id))
      .filter((v): v is number => v !== undefined && (s0 === null || v <= s0));
    const latency =
      s0 === null
        ? 0
        : Math.max(
            0,
            s0 - Math.max(startMs + head, lastAtOrBefore(freed.get(slot), s0), ...needsEnd),
          );
    const spanMs = s0 !== null && e1 !== null ? Math.max(0, e1 - s0) : 0;
    return {
      id: first.nodeId,
      needs: first.needs,
      isMerge: first.type === 'merge',
      // Not recorded as such: a failed node whose dependents still ran had continueOnError.
      continueOnError: final.status === 'failed' && neededByRunners.has(first.nodeId),
      outcome,
      spanMs,
      latencyMs: latency,
      excludes: index.excluded.get(first.nodeId)?.slice() ?? [],
      peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null,
      child:
        first.type === 'workflow' && s0 !== null
          ? scopeOf(first.nodeId, s0, e1 ?? s0, nestedSlots(first.nodeId, index), byScope, index)
          : null,
    };
  });
  return { slots, headMs: head, tailMs: last === null ? 0 : Math.max(0, endMs - last), nodes };
}

function outcomeOf(final: TaskRun, started: boolean): SimOutcome | null {
  if (!started) return null;
  if (final.status === 'completed') return 'completed';
  return final.status === 'cancelled' ? 'cancelled' : 'failed';
}

/**
 * End times of the scope's finished tasks, sorted, per slot and (under null) all together: the
 * ends that could have freed a node's slot (any slot when the node's is not recorded).
 */
function freedSlots(ran: readonly TaskRun[]): Map<number | null, number[]> {
  const out = new Map<number | null, number[]>();
  for (const t of ran) {
    if (t.endMs === null) continue;
    pushTo(out, null, t.endMs);
    if (t.slot !== null) pushTo(out, t.slot, t.endMs);
  }
  for (const ends of out.values()) ends.sort((a, b) => a - b);
  return out;
}

/** The latest of sorted `ends` at or before `at`; -Infinity if none (Math.max ignores it). */
function lastAtOrBefore(ends: readonly number[] | undefined, at: number): number {
  if (!ends) return -Infinity;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ends[mid] as number) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? -Infinity : (ends[lo - 1] as number);
}

/**
 * run.json does not record a nested workflow's maxParallel; the most of its nodes that ran at
 * once is the best lower bound of it the record offers.
 */
function nestedSlots(parentId: string, index: RunIndex): number {
  const edges: [number, number][] = [];
  for (const t of index.ranIn.get(parentId) ?? []) {
    edges.push([t.startMs as number, 1], [t.endMs as number, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 1;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

function maxEnd(tasks: readonly TaskRun[]): number | null {
  let best: number | null = null;
  for (const t of tasks) if (t.endMs !== null && (best === null || t.endMs > best)) best = t.endMs;
  return best;
}
