/**
 * What-if questions about a recorded run, answered by the simulator: the forecast schedule, each
 * node's slack (how late it could end without delaying the run) and its potential saving (how
 * much the wall time drops if it took no time). Pure.
 */
import type { RunRecord } from '../../model/run';
import { simModelOf, type SimNode, type SimScope } from './simModel';
import { simulate, type SimResult, type SimTask } from './simulate';
import { zeroedSpans } from './zeroedSpans';

export interface WhatIfNode {
  nodeId: string;
  startMs: number;
  endMs: number;
  slackMs: number;
}

export interface WhatIfResult {
  wallMs: number;
  /** The chain of top-level nodes that set the simulated wall time, first to last. */
  criticalPath: string[];
  /** Forecast peak of the summed peak RSS of nodes that overlap; null if none was measured. */
  peakRssBytes: number | null;
  nodes: WhatIfNode[];
}

export interface WhatIfOptions {
  slots?: number;
  /** FACTOR 2: the node takes half its recorded time. */
  speedup?: ReadonlyMap<string, number>;
}

export function whatIf(run: RunRecord, opts: WhatIfOptions = {}): WhatIfResult {
  return whatIfModel(simModelOf(run), opts);
}

export function whatIfModel(model: SimScope, opts: WhatIfOptions = {}): WhatIfResult {
  const speed = opts.speedup ?? new Map<string, number>();
  const sim = simulate(model, {
    slots: opts.slots,
    spanOf: (id, ms) => {
      const f = speed.get(id);
      return f === undefined ? ms : ms / f;
    },
  });
  const slack = slackOf(model, sim);
  const nodes = [...sim.tasks.values()].map((t) => ({
    nodeId: t.id,
    startMs: round3(t.startMs),
    endMs: round3(t.endMs),
    slackMs: round3(slack.get(t.id) ?? 0),
  }));
  return {
    wallMs: round3(sim.wallMs),
    criticalPath: criticalPathOf(sim),
    peakRssBytes: peakOf(model, sim),
    nodes,
  };
}

/** Wall time saved, per executed node, if that node alone took no time. */
export function potentialSavings(model: SimScope): Map<string, number> {
  const { durationMs, without } = zeroedSpans(model);
  const out = new Map<string, number>();
  for (const n of allNodes(model)) {
    if (n.outcome === null) continue;
    out.set(n.id, round3(durationMs - (without.get(n.id) ?? durationMs)));
  }
  return out;
}

/**
 * Slack on the simulated schedule: a node may end as late as each successor's dispatch allows,
 * plus that successor's own slack. Successors are its dependents and the node that took its slot
 * (so in a one-slot run nothing has slack); a scope's last nodes inherit their workflow node's.
 */
export function slackOf(model: SimScope, sim: SimResult): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (scope: SimScope, parentId: string | null, inherited: number): void => {
    const tasks = scope.nodes
      .map((n) => sim.tasks.get(n.id))
      .filter((t): t is SimTask => t !== undefined)
      .sort((a, b) => b.endMs - a.endMs);
    const last = sim.scopeEnds.get(parentId) ?? 0;
    const succ = new Map<string, SimTask[]>();
    for (const n of scope.nodes) {
      const t = sim.tasks.get(n.id);
      if (!t) continue;
      const preds = new Set(n.needs);
      if (t.trigger !== null) preds.add(t.trigger);
      for (const p of preds) {
        const list = succ.get(p);
        if (list) list.push(t);
        else succ.set(p, [t]);
      }
    }
    for (const t of tasks) {
      let s = last - t.endMs + inherited;
      for (const x of succ.get(t.id) ?? []) {
        s = Math.min(s, x.dispatchMs - t.endMs + (out.get(x.id) ?? 0));
      }
      out.set(t.id, round3(Math.max(0, s)));
    }
    for (const n of scope.nodes) if (n.child) visit(n.child, n.id, out.get(n.id) ?? 0);
  };
  visit(model, null, 0);
  return out;
}

function criticalPathOf(sim: SimResult): string[] {
  let last: SimTask | undefined;
  for (const t of sim.tasks.values()) {
    if (t.parentId === null && (!last || t.endMs > last.endMs)) last = t;
  }
  const path: string[] = [];
  for (let t = last; t; t = t.trigger === null ? undefined : sim.tasks.get(t.trigger)) {
    path.unshift(t.id);
  }
  return path;
}

function peakOf(model: SimScope, sim: SimResult): number | null {
  const edges: [number, number][] = [];
  for (const n of allNodes(model)) {
    const t = sim.tasks.get(n.id);
    // A workflow node's memory is its children's, counted there.
    if (!t || n.child || n.peakRssBytes === null) continue;
    edges.push([t.startMs, n.peakRssBytes], [t.endMs, -n.peakRssBytes]);
  }
  if (edges.length === 0) return null;
  // Ends before starts at the same instant: a node that ends as another starts does not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

function allNodes(scope: SimScope): SimNode[] {
  return scope.nodes.flatMap((n) => [n, ...(n.child ? allNodes(n.child) : [])]);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
