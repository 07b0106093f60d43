/**
 * For every executed node, the scope's duration if that node alone took no time: the question
 * behind each node's potential saving. Asking simulate() once per node costs a whole replay per
 * node (quadratic: 0.4 s at 500 nodes, tens of seconds at 5,000). Instead one base replay is
 * branched at each node's dispatch (the state before it is the same as the base's), and a branch
 * stops as soon as it is the base's own schedule shifted by a constant: the same nodes started
 * and ended in the same order, every running node ending the same δ earlier. From there on the
 * base's record answers (its end minus δ). A one-slot scope converges right after the branched
 * node, so it costs O(1) per node after the O(n) copy of the scheduler state; a scope whose slots
 * drift apart replays to its end, exactly as simulate() would. Same policy and arithmetic as
 * simulate(); a nested workflow counts as its child scope's duration, so results agree with
 * simulate() up to floating-point association (< 1e-9 ms).
 */
import type { Scheduler } from '../../runtime/scheduler';
import { scopeScheduler } from './simulate';
import type { SimNode, SimScope } from './simModel';

export interface ZeroedSpans {
  /** The scope's duration as simulated, head and tail included. */
  durationMs: number;
  /** Per executed node of the scope or of a nested one: the duration if it took no time. */
  without: Map<string, number>;
}

export function zeroedSpans(scope: SimScope): ZeroedSpans {
  const children = scope.nodes.map((n) => (n.child ? zeroedSpans(n.child) : null));
  const base = scope.nodes.map((n, i) => children[i]?.durationMs ?? Math.max(0, n.spanMs));
  // The spans each node's branches try, with the node (here or nested) each one answers for.
  const asks = scope.nodes.map((n, i): { id: string; ms: number }[] => {
    const out: { id: string; ms: number }[] = [];
    // A workflow node told to take no time is not replayed, unless its record says 0 already.
    if (n.outcome !== null)
      out.push({ id: n.id, ms: n.child && n.spanMs === 0 ? (base[i] as number) : 0 });
    for (const [id, ms] of children[i]?.without ?? []) out.push({ id, ms });
    return out;
  });
  const plan: Plan = { scope, index: new Map(scope.nodes.map((n, i) => [n.id, i])), base };
  const log = newLog(scope.nodes.length);
  const first = replay(plan, initial(plan), () => null, logger(log));
  const durationMs = first + scope.tailMs;
  const without = new Map<string, number>();
  // Branches run one at a time and are dropped when done: one scheduler serves them all.
  let spare: Scheduler | null = null;
  const branchAt: Observer = {
    ...silent,
    beforeStart(st, i) {
      for (const ask of asks[i] ?? []) {
        const ms = ask.ms === base[i] ? null : ask.ms;
        if (ms === null) {
          without.set(ask.id, first + scope.tailMs);
          continue;
        }
        spare = spare ? st.sched.copyInto(spare) : st.sched.clone();
        const end = replay(plan, fork(st, spare), spanOf(i, ms), follower(log));
        without.set(ask.id, end + scope.tailMs);
      }
    },
  };
  replay(plan, initial(plan), () => null, branchAt);
  // A node the replay never started keeps the base duration, as simulate() would give.
  for (const ask of asks.flat()) if (!without.has(ask.id)) without.set(ask.id, durationMs);
  return { durationMs, without };
}

interface Plan {
  scope: SimScope;
  index: ReadonlyMap<string, number>;
  /** Each node's span in the base replay (a nested workflow: its child scope's duration). */
  base: readonly number[];
}

interface Running {
  i: number;
  endMs: number;
  slot: number;
  seq: number;
}

interface State {
  sched: Scheduler;
  running: Running[];
  free: number[];
  now: number;
  lastEnd: number;
  started: number;
  ended: number;
}

interface Observer {
  beforeStart(st: State, i: number): void;
  started(st: State, i: number, slot: number): void;
  ended(st: State, i: number): void;
  /** After the starts an end allowed; returns the scope's last end if the replay can stop. */
  settled(st: State): number | null;
}

const silent: Observer = {
  beforeStart: () => undefined,
  started: () => undefined,
  ended: () => undefined,
  settled: () => null,
};

/** The base replay, event by event, for branches to compare themselves with. */
interface Log {
  starts: number[];
  slots: number[];
  ends: number[];
  /** Per node: when it ended in the base. */
  endMs: Float64Array;
  /** Per count of ends so far: `now` and the number of starts, once the starts are done. */
  nowAt: number[];
  startedAt: number[];
  lastEnd: number;
}

function newLog(n: number): Log {
  const endMs = new Float64Array(n);
  return { starts: [], slots: [], ends: [], endMs, nowAt: [], startedAt: [], lastEnd: 0 };
}

function logger(log: Log): Observer {
  return {
    ...silent,
    started(st, i, slot) {
      log.starts.push(i);
      log.slots.push(slot);
      log.endMs[i] = st.running[st.running.length - 1]?.endMs ?? 0;
    },
    ended(_st, i) {
      log.ends.push(i);
    },
    settled(st) {
      log.nowAt.push(st.now);
      log.startedAt.push(st.started);
      log.lastEnd = st.lastEnd;
      return null;
    },
  };
}

/** Tolerance of "the same shift": sums of the same spans in another order differ by rounding. */
const SAME_SHIFT_MS = 1e-9;

function follower(log: Log): Observer {
  let diverged = false;
  return {
    ...silent,
    started(st, i, slot) {
      const k = st.started - 1;
      if (log.starts[k] !== i || log.slots[k] !== slot) diverged = true;
    },
    ended(st, i) {
      if (log.ends[st.ended - 1] !== i) diverged = true;
    },
    settled(st) {
      const p = st.ended;
      const first = st.running[0];
      if (diverged || first === undefined || log.startedAt[p] !== st.started) return null;
      const shift = (log.nowAt[p] as number) - st.now;
      for (const r of st.running) {
        if (Math.abs((log.endMs[r.i] as number) - r.endMs - shift) > SAME_SHIFT_MS) return null;
      }
      // Running nodes remain, so the base's last end is still ahead: it moves by the shift.
      return log.lastEnd - shift;
    },
  };
}

function initial(plan: Plan): State {
  const sched = scopeScheduler(plan.scope, plan.index);
  const free = Array.from({ length: Math.max(1, plan.scope.slots) }, (_, i) => i);
  const now = plan.scope.headMs;
  return { sched, running: [], free, now, lastEnd: now, started: 0, ended: 0 };
}

/**
 * Index of the running node that ends next: the earliest end, on a tie the earlier started (as
 * simulate() sorts them, and as their promises would settle). A scan: at most `slots` entries.
 */
function nextEnd(running: readonly Running[]): number {
  let best = 0;
  for (let k = 1; k < running.length; k++) {
    const r = running[k] as Running;
    const b = running[best] as Running;
    if (r.endMs < b.endMs || (r.endMs === b.endMs && r.seq < b.seq)) best = k;
  }
  return best;
}

function fork(st: State, sched: Scheduler): State {
  return { ...st, sched, running: st.running.slice(), free: st.free.slice() };
}

function spanOf(target: number, ms: number): (i: number) => number | null {
  return (i) => (i === target ? ms : null);
}

/** simulate()'s runScope loop on one scope; returns the scope's last end (before its tail). */
function replay(
  plan: Plan,
  st: State,
  override: (i: number) => number | null,
  obs: Observer,
): number {
  for (;;) {
    for (let id = st.sched.nextReady(); id !== undefined && st.free.length > 0;) {
      const i = plan.index.get(id) as number;
      const node = plan.scope.nodes[i] as SimNode;
      obs.beforeStart(st, i);
      const slot = st.free.shift() as number;
      st.sched.start(id);
      const startMs = st.now + node.latencyMs;
      const endMs = startMs + Math.max(0, override(i) ?? (plan.base[i] as number));
      st.running.push({ i, endMs, slot, seq: st.started++ });
      obs.started(st, i, slot);
      id = st.sched.nextReady();
    }
    const stop = obs.settled(st);
    if (stop !== null) return stop;
    if (st.running.length === 0) return st.lastEnd;
    const done = st.running.splice(nextEnd(st.running), 1)[0] as Running;
    st.now = Math.max(st.now, done.endMs);
    st.lastEnd = Math.max(st.lastEnd, done.endMs);
    st.free.push(done.slot);
    st.free.sort((a, b) => a - b);
    const node = plan.scope.nodes[done.i] as SimNode;
    st.sched.finish(node.id, node.outcome ?? 'cancelled', node.excludes, 'excluded');
    st.ended++;
    obs.ended(st, done.i);
  }
}
