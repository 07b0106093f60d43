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
  // Only tasks a switch skipped can be excluded by one: filtered once, not once per node.
  const switchSkips = run.tasks.filter(
    (t) => t.status === 'skipped' && t.reason?.startsWith('switch `') === true,
  );
  return scopeOf(null, 0, end, slots, byScope, { all: run.tasks, switchSkips });
}

interface RunTasks {
  all: readonly TaskRun[];
  switchSkips: readonly TaskRun[];
}

function scopeOf(
  parentId: string | null,
  startMs: number,
  endMs: number,
  slots: number,
  byScope: ReadonlyMap<string | null, TaskRun[][]>,
  tasksOf: RunTasks,
): SimScope {
  const { all } = tasksOf;
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
  const dependents = new Map<string, string[]>();
  for (const g of groups) {
    const d = g[0];
    if (d) for (const need of d.needs) listIn(dependents, need).push(d.nodeId);
  }
  const freed = slotEnds(ran);
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
    const freedBefore = s0 === null ? null : freed.latestBy(slot, s0);
    const needsEnd = first.needs
      .map((id) => nodeEnds.get(id))
      .filter((v): v is number => v !== undefined && (s0 === null || v <= s0));
    const latency =
      s0 === null
        ? 0
        : Math.max(0, s0 - Math.max(startMs + head, freedBefore ?? -Infinity, ...needsEnd));
    const spanMs = s0 !== null && e1 !== null ? Math.max(0, e1 - s0) : 0;
    return {
      id: first.nodeId,
      needs: first.needs,
      isMerge: first.type === 'merge',
      // Not recorded as such: a failed node whose dependents still ran had continueOnError.
      continueOnError:
        final.status === 'failed' &&
        (dependents.get(first.nodeId) ?? []).some((d) => statusOf.get(d) !== 'skipped'),
      outcome,
      spanMs,
      latencyMs: latency,
      excludes: excludedBy(first.nodeId, tasksOf.switchSkips),
      peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null,
      child:
        first.type === 'workflow' && s0 !== null
          ? scopeOf(first.nodeId, s0, e1 ?? s0, nestedSlots(first.nodeId, all), byScope, tasksOf)
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

/** The nodes a switch excluded: they carry the switch's own skip reason. */
function excludedBy(id: string, switchSkips: readonly TaskRun[]): string[] {
  const prefix = `switch \`${id}\` took`;
  return switchSkips.filter((t) => t.reason?.startsWith(prefix) === true).map((t) => t.nodeId);
}

/**
 * The latest end at or before a time, among the scope's tasks on one slot (or on any, for a
 * null slot): sorted once and searched, since every node asks (thousands of nodes).
 */
function slotEnds(ran: readonly TaskRun[]): {
  latestBy(slot: number | null, atMs: number): number | null;
} {
  const any: number[] = [];
  const bySlot = new Map<number, number[]>();
  for (const t of ran) {
    if (t.endMs === null) continue;
    any.push(t.endMs);
    if (t.slot !== null) listIn(bySlot, t.slot).push(t.endMs);
  }
  const sorted = (a: number[]): number[] => a.sort((x, y) => x - y);
  sorted(any);
  for (const a of bySlot.values()) sorted(a);
  return {
    latestBy: (slot, atMs) => {
      const ends = slot === null ? any : (bySlot.get(slot) ?? []);
      // Binary search: the number of ends <= atMs.
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((ends[mid] as number) <= atMs) lo = mid + 1;
        else hi = mid;
      }
      return lo > 0 ? (ends[lo - 1] as number) : null;
    },
  };
}

/**
 * run.json does not record a nested workflow's maxParallel; the most of its nodes that ran at
 * once is the best lower bound of it the record offers.
 */
function nestedSlots(parentId: string, all: readonly TaskRun[]): number {
  const edges: [number, number][] = [];
  for (const t of all) {
    if (t.parentId !== parentId || t.startMs === null || t.endMs === null) continue;
    edges.push([t.startMs, 1], [t.endMs, -1]);
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

function listIn<K, V>(m: Map<K, V[]>, key: K): V[] {
  let list = m.get(key);
  if (!list) m.set(key, (list = []));
  return list;
}
