/** Dependency graph helpers: order, cycles, ancestors and descendants. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CycleError,
  ancestors,
  descendants,
  findCycles,
  formatCycle,
  topologicalOrder,
  type GraphNode,
} from '../../src/workflow/graph';

/** `g('a:b,c', 'b', 'c:b')`: a needs b and c, b needs nothing, c needs b. */
function g(...specs: string[]): GraphNode[] {
  return specs.map((s) => {
    const [id, needs] = s.split(':');
    return { id: id as string, needs: needs ? needs.split(',') : [] };
  });
}

test('topological order puts needs first and keeps input order among ready nodes', () => {
  assert.deepEqual(topologicalOrder(g('a:b,c', 'b', 'c:b')), ['b', 'c', 'a']);
  assert.deepEqual(topologicalOrder(g('x', 'y', 'z')), ['x', 'y', 'z']);
  assert.deepEqual(topologicalOrder(g('d:a', 'c', 'b:c', 'a')), ['c', 'b', 'a', 'd']);
  assert.deepEqual(topologicalOrder([]), []);
});

test('unknown and repeated needs are ignored by the helpers (the parser reports them)', () => {
  assert.deepEqual(topologicalOrder(g('a:ghost,b,b', 'b')), ['b', 'a']);
  assert.deepEqual(findCycles(g('a:ghost,b,b', 'b')), []);
  assert.deepEqual(ancestors(g('a:ghost,b', 'b'), 'a'), ['b']);
});

test('topological order throws a CycleError that spells a cycle', () => {
  assert.throws(
    () => topologicalOrder(g('x', 'a:b', 'b:c', 'c:a')),
    (e: unknown) =>
      e instanceof CycleError &&
      e.message === 'dependency cycle: a -> b -> c -> a' &&
      e.cycle.join() === 'a,b,c',
  );
});

test('findCycles: two- and three-node cycles, from the first node in input order, following needs', () => {
  assert.deepEqual(findCycles(g('a:b', 'b:a')), [['a', 'b']]);
  assert.deepEqual(findCycles(g('a:c', 'b:a', 'c:b')), [['a', 'c', 'b']]);
  assert.deepEqual(findCycles(g('z:y', 'y:x', 'x:z', 'w:z')), [['z', 'y', 'x']]);
});

test('findCycles: a self-loop, separate cycles and overlapping cycles are each found once', () => {
  assert.deepEqual(findCycles(g('a:a', 'b')), [['a']]);
  assert.deepEqual(findCycles(g('a:b', 'b:a', 'c:d', 'd:c', 'e:a')), [
    ['a', 'b'],
    ['c', 'd'],
  ]);
  // A figure eight: a <-> b <-> c, plus the long way a -> b -> c -> a.
  assert.deepEqual(findCycles(g('a:b', 'b:a,c', 'c:b,a')), [
    ['a', 'b'],
    ['a', 'b', 'c'],
    ['b', 'c'],
  ]);
});

test('findCycles finds every elementary cycle of a complete graph, up to the limit', () => {
  // Four nodes each needing all the others: C(4,2)·1! + C(4,3)·2! + C(4,4)·3! = 6 + 8 + 6 = 20.
  const k4 = g('a:b,c,d', 'b:a,c,d', 'c:a,b,d', 'd:a,b,c');
  const cycles = findCycles(k4);
  assert.equal(cycles.length, 20);
  assert.equal(new Set(cycles.map((c) => c.join())).size, 20);
  for (const c of cycles) assert.equal(new Set(c).size, c.length, 'elementary');
  assert.equal(findCycles(k4, 5).length, 5);
});

test('acyclic graphs have no cycles, however dense', () => {
  const n = 60;
  const dense = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    needs: Array.from({ length: i }, (_, j) => `n${j}`),
  }));
  assert.deepEqual(findCycles(dense), []);
  assert.equal(topologicalOrder(dense).join(), dense.map((x) => x.id).join());
});

test('a 20 000-node chain does not overflow the stack', () => {
  const n = 20_000;
  const chain = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    needs: i === 0 ? [] : [`n${i - 1}`],
  }));
  assert.equal(topologicalOrder(chain).length, n);
  assert.deepEqual(findCycles(chain), []);
  assert.equal(ancestors(chain, `n${n - 1}`).length, n - 1);
  assert.equal(descendants(chain, 'n0').length, n - 1);
});

test('ancestors and descendants are transitive, exclude the node, and follow input order', () => {
  const nodes = g('src', 'a:src', 'b:src', 'c:a,b', 'd:c', 'lone');
  assert.deepEqual(ancestors(nodes, 'd'), ['src', 'a', 'b', 'c']);
  assert.deepEqual(ancestors(nodes, 'src'), []);
  assert.deepEqual(descendants(nodes, 'src'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(descendants(nodes, 'c'), ['d']);
  assert.deepEqual(descendants(nodes, 'lone'), []);
  assert.deepEqual(ancestors(nodes, 'missing'), []);
  // In a cycle a node is not its own ancestor.
  assert.deepEqual(ancestors(g('a:b', 'b:a'), 'a'), ['b']);
});

test('formatCycle closes the loop', () => {
  assert.equal(formatCycle(['a', 'b']), 'a -> b -> a');
  assert.equal(formatCycle(['a']), 'a -> a');
  assert.equal(formatCycle([]), '');
});
