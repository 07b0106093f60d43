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

export class Scheduler {
  private readonly state = new Map<string, NodeState>();
  private readonly reasons = new Map<string, string>();
  private readonly nodes = new Map<string, SchedulableNode>();
  private readonly dependents = new Map<string, string[]>();
  private readonly order: string[];

  /** `nodes` must be acyclic with every need defined (the parser guarantees both). */
  constructor(nodes: SchedulableNode[]) {
    this.order = nodes.map((n) => n.id);
    for (const n of nodes) {
      this.nodes.set(n.id, n);
      this.state.set(n.id, 'blocked');
      this.dependents.set(n.id, []);
    }
    for (const n of nodes) {
      for (const need of n.needs) this.dependents.get(need)?.push(n.id);
    }
  }

  /** Evaluate the nodes with no needs; call once before the first `ready()`. */
  begin(): Transition {
    const t: Transition = { ready: [], skipped: [] };
    for (const id of this.order) this.evaluate(id, t);
    return t;
  }

  stateOf(id: string): NodeState {
    const s = this.state.get(id);
    if (s === undefined) throw new Error(`unknown node ${id}`);
    return s;
  }

  reasonOf(id: string): string | null {
    return this.reasons.get(id) ?? null;
  }

  /** Ready nodes not yet started, in the file's order (stable, so runs are reproducible). */
  ready(): string[] {
    return this.order.filter((id) => this.state.get(id) === 'ready');
  }

  start(id: string): void {
    if (this.stateOf(id) !== 'ready') throw new Error(`node ${id} is not ready`);
    this.state.set(id, 'running');
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
    this.state.set(id, result);
    const t: Transition = { ready: [], skipped: [] };
    for (const x of exclude) {
      const s = this.state.get(x);
      if (s === 'blocked' || s === 'ready') this.skip(x, excludeReason, t);
    }
    for (const dep of this.dependents.get(id) ?? []) this.evaluate(dep, t);
    return t;
  }

  /** Cancel every node that has not finished; returns those that were not running. */
  cancelPending(reason: string): string[] {
    const out: string[] = [];
    for (const id of this.order) {
      const s = this.state.get(id);
      if (s === 'blocked' || s === 'ready') {
        this.state.set(id, 'cancelled');
        this.reasons.set(id, reason);
        out.push(id);
      }
    }
    return out;
  }

  isDone(): boolean {
    return this.order.every((id) => TERMINAL.has(this.stateOf(id)));
  }

  runningCount(): number {
    return this.order.filter((id) => this.state.get(id) === 'running').length;
  }

  private skip(id: string, reason: string, t: Transition): void {
    this.state.set(id, 'skipped');
    this.reasons.set(id, reason);
    t.skipped.push({ id, reason });
    for (const dep of this.dependents.get(id) ?? []) this.evaluate(dep, t);
  }

  private evaluate(id: string, t: Transition): void {
    if (this.state.get(id) !== 'blocked') return;
    const node = this.nodes.get(id);
    if (!node) return;
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
    this.state.set(id, 'ready');
    t.ready.push(id);
  }
}

function mergeReason(blocker: { id: string; why: string } | null, satisfied: number): string {
  if (satisfied === 0) return 'no upstream branch completed';
  return blocker ? `upstream \`${blocker.id}\` ${blocker.why}` : 'no upstream branch completed';
}
