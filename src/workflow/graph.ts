/**
 * Pure helpers over a workflow's dependency graph. An edge goes from a node to each id in its
 * `needs`; ids that name no node are ignored here (the parser reports them), and repeated
 * needs count once. Every result follows the input order, so it is the same on every run.
 */

export interface GraphNode {
  readonly id: string;
  readonly needs: readonly string[];
}

/** Thrown by topologicalOrder; `cycle` is spelled like findCycles' results. */
export class CycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${formatCycle(cycle)}`);
    this.name = 'CycleError';
  }
}

/** `['a', 'b']` → `a -> b -> a`: each node needs the next. */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.length === 0 ? '' : [...cycle, cycle[0]].join(' -> ');
}

/** Adjacency by index: `out[i]` are the indexes node i needs, in `needs` order, deduplicated. */
interface Indexed {
  ids: string[];
  out: number[][];
}

function indexGraph(nodes: readonly GraphNode[]): Indexed {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!index.has(n.id)) index.set(n.id, i);
  });
  const out = nodes.map((n) => {
    const seen = new Set<number>();
    for (const need of n.needs) {
      const j = index.get(need);
      if (j !== undefined) seen.add(j);
    }
    return [...seen];
  });
  return { ids: nodes.map((n) => n.id), out };
}

/**
 * Dependencies before dependents; among nodes ready at the same time, input order wins.
 * Throws CycleError when there is a cycle (the parser rejects those before anything runs).
 */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const { ids, out } = indexGraph(nodes);
  const pending = out.map((deps) => deps.length);
  const dependents: number[][] = ids.map(() => []);
  out.forEach((deps, i) => deps.forEach((d) => dependents[d]?.push(i)));

  // A sorted list of ready indexes: cheap enough for workflow sizes, and keeps ties stable.
  const ready: number[] = [];
  const insert = (i: number): void => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ready[mid] as number) < i) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, i);
  };
  pending.forEach((p, i) => p === 0 && insert(i));

  const order: string[] = [];
  while (ready.length > 0) {
    const i = ready.shift() as number;
    order.push(ids[i] as string);
    for (const d of dependents[i] ?? []) {
      pending[d] = (pending[d] as number) - 1;
      if (pending[d] === 0) insert(d);
    }
  }
  if (order.length < ids.length) {
    throw new CycleError(findCycles(nodes, 1)[0] ?? []);
  }
  return order;
}

/**
 * Every elementary cycle (Johnson's algorithm), at most `limit` of them. Each cycle starts at
 * its node that comes first in the input and follows `needs`: `['a', 'b']` means a needs b
 * and b needs a. A node that needs itself is the cycle `[id]`.
 */
export function findCycles(nodes: readonly GraphNode[], limit = 100): string[][] {
  const { ids, out } = indexGraph(nodes);
  const component = stronglyConnected(out, () => true);
  const cyclic = (i: number): boolean =>
    component.sizes[component.of[i] as number] !== 1 || (out[i] ?? []).includes(i);

  const into: number[][] = ids.map(() => []);
  out.forEach((deps, i) => deps.forEach((d) => into[d]?.push(i)));
  // A cycle through s among nodes from s on needs an edge into s and one out of s within
  // them: checking that first skips most starts cheaply (a ring of n nodes would otherwise
  // cost n strongly-connected searches of n nodes each).
  const later = (v: number, s: number): boolean => v >= s && component.of[v] === component.of[s];
  const found: number[][] = [];
  for (let s = 0; s < ids.length && found.length < limit; s++) {
    if (!cyclic(s)) continue;
    if (!(into[s] ?? []).some((v) => later(v, s)) || !(out[s] ?? []).some((v) => later(v, s)))
      continue;
    // Cycles through s that use only nodes after s in the input: each cycle is found exactly
    // once, from its first node.
    const sComponent = component.of[s];
    const sub = stronglyConnected(out, (v) => v >= s && component.of[v] === sComponent);
    const members = new Set<number>();
    sub.of.forEach((c, v) => {
      if (c === sub.of[s] && v >= s && component.of[v] === sComponent) members.add(v);
    });
    circuitsFrom(s, out, members, found, limit);
  }
  return found.map((cycle) => cycle.map((i) => ids[i] as string));
}

function circuitsFrom(
  s: number,
  out: number[][],
  members: ReadonlySet<number>,
  found: number[][],
  limit: number,
): void {
  const blocked = new Set<number>();
  const blockedBy = new Map<number, Set<number>>();
  const stack: number[] = [];
  const unblock = (v: number): void => {
    const todo = [v];
    while (todo.length > 0) {
      const u = todo.pop() as number;
      if (!blocked.delete(u)) continue;
      const waiting = blockedBy.get(u);
      if (waiting) {
        for (const x of waiting) todo.push(x);
        waiting.clear();
      }
    }
  };
  // Johnson's CIRCUIT, with an explicit stack of frames instead of recursion, so a cycle of
  // thousands of nodes cannot overflow the call stack.
  interface Frame {
    v: number;
    edge: number;
    closed: boolean;
  }
  const enter = (v: number): Frame => {
    stack.push(v);
    blocked.add(v);
    return { v, edge: 0, closed: false };
  };
  const frames: Frame[] = [enter(s)];
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as Frame;
    const edges = out[f.v] ?? [];
    if (f.edge < edges.length && found.length < limit) {
      const w = edges[f.edge++] as number;
      if (!members.has(w)) continue;
      if (w === s) {
        found.push([...stack]);
        f.closed = true;
      } else if (!blocked.has(w)) {
        frames.push(enter(w));
      }
      continue;
    }
    // Every edge of f.v is done: leave it, as the recursive version returns.
    frames.pop();
    if (f.closed) unblock(f.v);
    else {
      for (const w of edges) {
        if (!members.has(w)) continue;
        let set = blockedBy.get(w);
        if (!set) blockedBy.set(w, (set = new Set()));
        set.add(f.v);
      }
    }
    stack.pop();
    const parent = frames[frames.length - 1];
    if (parent && f.closed) parent.closed = true;
  }
}

/**
 * Tarjan's strongly connected components over the vertices `include` accepts, iteratively
 * so a long chain of nodes cannot overflow the stack. `of[v]` is v's component (-1 when
 * excluded); `sizes[c]` its size.
 */
function stronglyConnected(
  out: number[][],
  include: (v: number) => boolean,
): { of: number[]; sizes: number[] } {
  const n = out.length;
  const of: number[] = new Array<number>(n).fill(-1);
  const sizes: number[] = [];
  const index: number[] = new Array<number>(n).fill(-1);
  const low: number[] = new Array<number>(n).fill(0);
  const onStack: boolean[] = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  let next = 0;

  for (let root = 0; root < n; root++) {
    if (!include(root) || index[root] !== -1) continue;
    // Each frame: a vertex and how many of its edges have been looked at.
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [number, number];
      const [v, edge] = frame;
      const edges = out[v] ?? [];
      if (edge < edges.length) {
        frame[1]++;
        const w = edges[edge] as number;
        if (!include(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = true;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const c = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          of[w] = c;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
    }
  }
  return { of, sizes };
}

/** Every node `id` depends on, directly or not, in input order (not `id` itself). */
export function ancestors(nodes: readonly GraphNode[], id: string): string[] {
  const { ids, out } = indexGraph(nodes);
  return reachable(ids, out, id);
}

/** Every node that depends on `id`, directly or not, in input order (not `id` itself). */
export function descendants(nodes: readonly GraphNode[], id: string): string[] {
  const { ids, out } = indexGraph(nodes);
  const reverse: number[][] = ids.map(() => []);
  out.forEach((deps, i) => deps.forEach((d) => reverse[d]?.push(i)));
  return reachable(ids, reverse, id);
}

function reachable(ids: string[], edges: number[][], id: string): string[] {
  const start = ids.indexOf(id);
  if (start === -1) return [];
  const seen = new Set<number>();
  const todo = [...(edges[start] ?? [])];
  while (todo.length > 0) {
    const v = todo.pop() as number;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const x of edges[v] ?? []) todo.push(x);
  }
  seen.delete(start);
  return [...seen].sort((a, b) => a - b).map((i) => ids[i] as string);
}
