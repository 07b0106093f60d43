/**
 * Replays a recorded run's DAG with the runtimes' own ready-queue policy (the Scheduler of
 * src/runtime, the one the Local and Parallel runtimes use): `slots` at a time, the first ready
 * node in hand-out order first, each node costing its recorded latency and span unless told
 * otherwise. Pure and deterministic: the same model and options give the same schedule.
 */
import { Scheduler } from '../../runtime/scheduler';
import type { SimNode, SimScope } from './simModel';

export interface SimOptions {
  /** Slots of the top-level scope; nested workflows keep their own. */
  slots?: number;
  /** A node's span in this what-if, given its recorded one. */
  spanOf?: (id: string, recordedMs: number) => number;
}

export interface SimTask {
  id: string;
  /** When the runtime picked the node (a slot was free and it was ready). */
  dispatchMs: number;
  startMs: number;
  endMs: number;
  /** The node whose end let this one start (freed its slot or its last need); null at the start. */
  trigger: string | null;
  parentId: string | null;
}

export interface SimResult {
  wallMs: number;
  /** Every simulated task, nested ones included, by node id. */
  tasks: Map<string, SimTask>;
  /** Last node end of each scope (before its tail), by parent id (null: the run). */
  scopeEnds: Map<string | null, number>;
}

export function simulate(model: SimScope, opts: SimOptions = {}): SimResult {
  const tasks = new Map<string, SimTask>();
  const scopeEnds = new Map<string | null, number>();
  const end = runScope(model, null, 0, opts.slots ?? model.slots, opts, tasks, scopeEnds);
  return { wallMs: end, tasks, scopeEnds };
}

/** Runs one scope from `t0`; returns its end, tail included. */
function runScope(
  scope: SimScope,
  parentId: string | null,
  t0: number,
  slots: number,
  opts: SimOptions,
  out: Map<string, SimTask>,
  scopeEnds: Map<string | null, number>,
): number {
  const byId = new Map(scope.nodes.map((n) => [n.id, n]));
  const sched = scopeScheduler(scope, byId);
  const free = Array.from({ length: Math.max(1, slots) }, (_, i) => i);
  const running: { id: string; endMs: number; slot: number; seq: number }[] = [];
  let now = t0 + scope.headMs;
  let lastEnd = now;
  let trigger: string | null = null;
  let seq = 0;
  for (;;) {
    for (let id = sched.nextReady(); id !== undefined && free.length > 0; id = sched.nextReady()) {
      const node = byId.get(id) as SimNode;
      const slot = free.shift() as number;
      sched.start(id);
      const startMs = now + node.latencyMs;
      const endMs = nodeEnd(node, startMs, opts, out, scopeEnds);
      out.set(id, { id, dispatchMs: now, startMs, endMs, trigger, parentId });
      running.push({ id, endMs, slot, seq: seq++ });
    }
    if (running.length === 0) break;
    // The earliest end next; on a tie the earlier started, as their promises would settle.
    running.sort((a, b) => a.endMs - b.endMs || a.seq - b.seq);
    const done = running.shift() as (typeof running)[number];
    now = Math.max(now, done.endMs);
    lastEnd = Math.max(lastEnd, done.endMs);
    free.push(done.slot);
    free.sort((a, b) => a - b);
    const node = byId.get(done.id) as SimNode;
    sched.finish(done.id, node.outcome ?? 'cancelled', node.excludes, 'excluded');
    trigger = done.id;
  }
  scopeEnds.set(parentId, lastEnd);
  return lastEnd + scope.tailMs;
}

/** The runtimes' Scheduler over one scope, begun; needs outside the scope are not waited for. */
export function scopeScheduler(scope: SimScope, inScope: ReadonlyMap<string, unknown>): Scheduler {
  const sched = new Scheduler(
    scope.nodes.map((n) => ({
      id: n.id,
      needs: n.needs.filter((x) => inScope.has(x)),
      isMerge: n.isMerge,
      continueOnError: n.continueOnError,
    })),
  );
  sched.begin();
  return sched;
}

function nodeEnd(
  node: SimNode,
  startMs: number,
  opts: SimOptions,
  out: Map<string, SimTask>,
  scopeEnds: Map<string | null, number>,
): number {
  const override = opts.spanOf ? opts.spanOf(node.id, node.spanMs) : node.spanMs;
  // A nested workflow lasts as long as its own schedule, unless the what-if sets it directly.
  if (node.child && override === node.spanMs) {
    return runScope(node.child, node.id, startMs, node.child.slots, opts, out, scopeEnds);
  }
  return startMs + Math.max(0, override);
}
