/**
 * Pure dependency bookkeeping for one workflow: which nodes are ready, which must be skipped.
 * No I/O and no clocks, so every rule is unit-tested directly.
 *
 * Rules:
 * - A need is satisfied when it completed, or failed with `continueOnError`.
 * - A node becomes ready when every need is terminal and satisfied; otherwise it is skipped,
 *   with the reason naming the need that stopped it.
 * - A `merge` node runs when every need is satisfied or skipped and at least one is satisfied,
 *   so it can join the branches of a `switch` of which only one ran.
 * - A `switch` excludes the nodes of the branch it did not take; they are skipped at once.
 */

export type NodeState =
  'blocked' | 'ready' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface SchedulableNode {
  id: string;
  needs: string[];
  isMerge: boolean;
  continueOnError: boolean;
}

export interface Transition {
  ready: string[];
  skipped: { id: string; reason: string }[];
}

const TERMINAL: ReadonlySet<NodeState> = new Set(['completed', 'failed', 'skipped', 'cancelled']);
/** States as one byte each, so a copy of the whole state is one small memcpy. */
const CODES: readonly NodeState[] = [
  'blocked',
  'ready',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
];
const CODE_OF: ReadonlyMap<NodeState, number> = new Map(CODES.map((s, i) => [s, i]));
const READY = CODE_OF.get('ready') as number;

export class Scheduler {
  /** Each node's state (its code in CODES) by its position in the file. */
  private states: Uint8Array;
  private reasons: Map<string, string>;
  private readonly nodes: ReadonlyMap<string, SchedulableNode>;
  private readonly dependents: ReadonlyMap<string, readonly string[]>;
  private readonly order: readonly string[];
  /** Position of each node in the file, the order ready nodes are handed out in. */
  private readonly position: ReadonlyMap<string, number>;
  /**
   * Positions of nodes that became ready, as a min-heap. Entries are not removed when a node
   * leaves `ready` (started, skipped, cancelled); nextReady() drops them when they surface. A node
   * becomes ready at most once, so the whole run costs O(n log n), not O(n) per finished node.
   */
  private readyHeap: number[];
  private terminal = 0;
  private running = 0;

  /** `nodes` must be acyclic with every need defined (the parser guarantees both). */
  constructor(nodes: SchedulableNode[]) {
    this.order = nodes.map((n) => n.id);
    const byId = new Map<string, SchedulableNode>();
    const dependents = new Map<string, string[]>();
    const position = new Map<string, number>();
    nodes.forEach((n, i) => {
      byId.set(n.id, n);
      dependents.set(n.id, []);
      position.set(n.id, i);
    });
    for (const n of nodes) {
      for (const need of n.needs) dependents.get(need)?.push(n.id);
    }
    this.nodes = byId;
    this.dependents = dependents;
    this.position = position;
    this.states = new Uint8Array(nodes.length); // 0: blocked
    this.reasons = new Map();
    this.readyHeap = [];
  }

  /**
   * An independent copy in the same state: the what-if analysis branches a replay at a node's
   * start. The graph itself is shared (never changed after construction); only state is copied.
   */
  clone(): Scheduler {
    const copy = Object.create(Scheduler.prototype) as Scheduler;
    Object.assign(copy, this);
    copy.states = this.states.slice();
    copy.reasons = new Map(this.reasons);
    copy.readyHeap = this.readyHeap.slice();
    return copy;
  }

  /**
   * Puts `target`, a clone of this graph's scheduler no longer needed, in this one's state, and
   * returns it: a branch per node of a big run, each a fresh clone, is thousands of state arrays
   * of its size allocated outside the heap (~25 MB at 5,000 nodes) at the runner's peak.
   */
  copyInto(target: Scheduler): Scheduler {
    if (target.order !== this.order) throw new Error('copyInto: a scheduler of another graph');
    target.states.set(this.states);
    target.reasons.clear();
    for (const [id, reason] of this.reasons) target.reasons.set(id, reason);
    target.readyHeap.length = 0;
    for (const i of this.readyHeap) target.readyHeap.push(i);
    target.terminal = this.terminal;
    target.running = this.running;
    return target;
  }

  /** Evaluate the nodes with no needs; call once before the first `ready()`. */
  begin(): Transition {
    const t: Transition = { ready: [], skipped: [] };
    for (const id of this.order) this.evaluate(id, t);
    return t;
  }

  stateOf(id: string): NodeState {
    const i = this.position.get(id);
    if (i === undefined) throw new Error(`unknown node ${id}`);
    return CODES[this.states[i] as number] as NodeState;
  }

  reasonOf(id: string): string | null {
    return this.reasons.get(id) ?? null;
  }

  /** Ready nodes not yet started, in the file's order (stable, so runs are reproducible). */
  ready(): string[] {
    return this.readyHeap
      .filter((i) => this.states[i] === READY)
      .sort((a, b) => a - b)
      .map((i) => this.order[i] as string);
  }

  /** The first of ready(), without listing them all: what a runtime starts next. */
  nextReady(): string | undefined {
    const heap = this.readyHeap;
    while (heap.length > 0) {
      const i = heap[0] as number;
      if (this.states[i] === READY) return this.order[i];
      popHeap(heap);
    }
    return undefined;
  }

  start(id: string): void {
    if (this.stateOf(id) !== 'ready') throw new Error(`node ${id} is not ready`);
    this.setState(id, 'running');
  }

  /**
   * Record a finished node. `exclude` lists nodes a switch routed away from; they are skipped.
   */
  finish(
    id: string,
    result: 'completed' | 'failed' | 'cancelled',
    exclude: string[] = [],
    excludeReason = '',
  ): Transition {
    if (this.stateOf(id) !== 'running') throw new Error(`node ${id} is not running`);
    this.setState(id, result);
    const t: Transition = { ready: [], skipped: [] };
    for (const x of exclude) {
      const i = this.position.get(x);
      const s = i === undefined ? undefined : CODES[this.states[i] as number];
      if (s === 'blocked' || s === 'ready') this.skip(x, excludeReason, t);
    }
    for (const dep of this.dependents.get(id) ?? []) this.evaluate(dep, t);
    return t;
  }

  /** Cancel every node that has not finished; returns those that were not running. */
  cancelPending(reason: string): string[] {
    const out: string[] = [];
    for (const [i, id] of this.order.entries()) {
      const s = CODES[this.states[i] as number];
      if (s === 'blocked' || s === 'ready') {
        this.setState(id, 'cancelled');
        this.reasons.set(id, reason);
        out.push(id);
      }
    }
    return out;
  }

  isDone(): boolean {
    return this.terminal === this.order.length;
  }

  runningCount(): number {
    return this.running;
  }

  /** Every state change goes through here, so the counts behind isDone() stay exact. */
  private setState(id: string, next: NodeState): void {
    const i = this.position.get(id) as number;
    const prev = CODES[this.states[i] as number] as NodeState;
    if (prev === 'running') this.running--;
    if (TERMINAL.has(prev)) this.terminal--;
    this.states[i] = CODE_OF.get(next) as number;
    if (next === 'running') this.running++;
    if (TERMINAL.has(next)) this.terminal++;
    if (next === 'ready') pushHeap(this.readyHeap, i);
  }

  private skip(id: string, reason: string, t: Transition): void {
    this.setState(id, 'skipped');
    this.reasons.set(id, reason);
    t.skipped.push({ id, reason });
    for (const dep of this.dependents.get(id) ?? []) this.evaluate(dep, t);
  }

  private evaluate(id: string, t: Transition): void {
    const node = this.nodes.get(id);
    if (!node || this.stateOf(id) !== 'blocked') return;
    let satisfied = 0;
    let blocker: { id: string; why: string } | null = null;
    let skippedNeeds = 0;
    for (const need of node.needs) {
      const s = this.stateOf(need);
      if (!TERMINAL.has(s)) return; // still waiting
      const ok =
        s === 'completed' || (s === 'failed' && this.nodes.get(need)?.continueOnError === true);
      if (ok) satisfied++;
      else if (s === 'skipped') {
        skippedNeeds++;
        blocker ??= { id: need, why: 'was skipped' };
      } else blocker ??= { id: need, why: s === 'failed' ? 'failed' : 'was cancelled' };
    }
    if (node.isMerge && node.needs.length > 0) {
      const hardFailures = node.needs.length - satisfied - skippedNeeds;
      if (satisfied > 0 && hardFailures === 0) this.makeReady(id, t);
      else this.skip(id, mergeReason(blocker, satisfied), t);
      return;
    }
    if (blocker) this.skip(id, `upstream \`${blocker.id}\` ${blocker.why}`, t);
    else this.makeReady(id, t);
  }

  private makeReady(id: string, t: Transition): void {
    this.setState(id, 'ready');
    t.ready.push(id);
  }
}

function mergeReason(blocker: { id: string; why: string } | null, satisfied: number): string {
  if (satisfied === 0) return 'no upstream branch completed';
  return blocker ? `upstream \`${blocker.id}\` ${blocker.why}` : 'no upstream branch completed';
}

function pushHeap(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as number) <= value) break;
    heap[i] = heap[parent] as number;
    i = parent;
  }
  heap[i] = value;
}

function popHeap(heap: number[]): void {
  const last = heap.pop() as number;
  if (heap.length === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && (heap[r] as number) < (heap[l] as number) ? r : l;
    if ((heap[c] as number) >= last) break;
    heap[i] = heap[c] as number;
    i = c;
  }
  heap[i] = last;
}
