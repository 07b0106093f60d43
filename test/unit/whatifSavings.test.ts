/**
 * potentialSavings branches one replay per scope instead of simulating the run once per node;
 * on random DAGs (failures, merges, switches, nested workflows, 1 to 4 slots) it must give what
 * one full simulation per node gives. That reference is the former implementation, kept here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { potentialSavings } from '../../src/report/whatif/whatIf';
import { simulate } from '../../src/report/whatif/simulate';
import type { SimNode, SimOutcome, SimScope } from '../../src/report/whatif/simModel';

function referenceSavings(model: SimScope): Map<string, number> {
  const base = simulate(model).wallMs;
  const out = new Map<string, number>();
  for (const n of allNodes(model)) {
    if (n.outcome === null) continue;
    const without = simulate(model, { spanOf: (id, ms) => (id === n.id ? 0 : ms) }).wallMs;
    out.set(n.id, Math.round((base - without) * 1000) / 1000);
  }
  return out;
}

function allNodes(scope: SimScope): SimNode[] {
  return scope.nodes.flatMap((n) => [n, ...(n.child ? allNodes(n.child) : [])]);
}

/** Deterministic, so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomScope(
  r: () => number,
  prefix: string,
  size: number,
  depth: number,
  fractional: boolean,
): SimScope {
  const ms = (max: number): number =>
    fractional ? Math.round(r() * max * 1000) / 1000 : Math.floor(r() * max);
  const nodes: SimNode[] = [];
  for (let i = 0; i < size; i++) {
    const needs = nodes.filter(() => r() < 3 / Math.max(3, nodes.length)).map((n) => n.id);
    const roll = r();
    const outcome: SimOutcome | null =
      roll < 0.8 ? 'completed' : roll < 0.88 ? 'failed' : roll < 0.93 ? 'cancelled' : null;
    const nested = depth > 0 && r() < 0.1;
    nodes.push({
      id: `${prefix}${i}`,
      needs,
      isMerge: needs.length > 1 && r() < 0.15,
      continueOnError: outcome === 'failed' && r() < 0.5,
      outcome,
      spanMs: outcome === null ? 0 : r() < 0.05 ? 0 : ms(300),
      latencyMs: outcome === null ? 0 : ms(5),
      excludes: [],
      peakRssBytes: null,
      child: nested
        ? randomScope(r, `${prefix}${i}.`, 2 + Math.floor(r() * 8), depth - 1, fractional)
        : null,
    });
  }
  // A few switches: a node excludes some later nodes, as a recorded switch would.
  for (const n of nodes) {
    if (r() < 0.05) n.excludes = nodes.filter((x) => x.id > n.id && r() < 0.2).map((x) => x.id);
  }
  return { slots: 1 + Math.floor(r() * 4), headMs: ms(20), tailMs: ms(20), nodes };
}

test('potentialSavings equals one full simulation per node on random DAGs (whole ms)', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const model = randomScope(r, 'n', 1 + Math.floor(r() * 40), 2, false);
    assert.deepEqual(potentialSavings(model), referenceSavings(model), `seed ${seed}`);
  }
});

test('potentialSavings agrees to the rounding unit with fractional ms on random DAGs', () => {
  for (let seed = 1001; seed <= 1200; seed++) {
    const r = rng(seed);
    const model = randomScope(r, 'n', 1 + Math.floor(r() * 40), 2, true);
    const got = potentialSavings(model);
    const want = referenceSavings(model);
    assert.deepEqual([...got.keys()], [...want.keys()], `seed ${seed}`);
    for (const [id, v] of want) {
      // Sums in another order may differ by 1e-12 ms, which can tip a third-decimal rounding.
      assert.ok(
        Math.abs((got.get(id) as number) - v) <= 0.001 + 1e-9,
        `seed ${seed} ${id}: ${got.get(id)} vs ${v}`,
      );
    }
  }
});

test('potentialSavings on a long one-slot chain: each node saves its own span', () => {
  const nodes: SimNode[] = Array.from({ length: 5000 }, (_, i) => ({
    id: `n${i}`,
    needs: i === 0 ? [] : [`n${i - 1}`],
    isMerge: false,
    continueOnError: false,
    outcome: 'completed',
    spanMs: 1 + (i % 7),
    latencyMs: 2,
    excludes: [],
    peakRssBytes: null,
    child: null,
  }));
  const got = potentialSavings({ slots: 1, headMs: 10, tailMs: 5, nodes });
  assert.equal(got.size, 5000);
  for (const [i, n] of nodes.entries()) assert.equal(got.get(n.id), 1 + (i % 7));
});
