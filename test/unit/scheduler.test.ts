import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Scheduler, type SchedulableNode } from '../../src/runtime/scheduler';

const n = (
  id: string,
  needs: string[] = [],
  extra: Partial<SchedulableNode> = {},
): SchedulableNode => ({
  id,
  needs,
  isMerge: false,
  continueOnError: false,
  ...extra,
});

test('nodes without needs are ready first, in file order', () => {
  const s = new Scheduler([n('b'), n('a'), n('c', ['a'])]);
  assert.deepEqual(s.begin().ready, ['b', 'a']);
  assert.deepEqual(s.ready(), ['b', 'a']);
  assert.equal(s.stateOf('c'), 'blocked');
});

test('a diamond releases the join only when both sides finish', () => {
  const s = new Scheduler([n('a'), n('b', ['a']), n('c', ['a']), n('d', ['b', 'c'])]);
  s.begin();
  s.start('a');
  assert.deepEqual(s.finish('a', 'completed').ready, ['b', 'c']);
  s.start('b');
  s.start('c');
  assert.deepEqual(s.finish('b', 'completed').ready, []);
  assert.deepEqual(s.finish('c', 'completed').ready, ['d']);
  s.start('d');
  s.finish('d', 'completed');
  assert.ok(s.isDone());
});

test('a failure skips its dependents transitively while independent branches go on', () => {
  const s = new Scheduler([n('a'), n('b', ['a']), n('c', ['b']), n('x')]);
  s.begin();
  s.start('a');
  s.start('x');
  const t = s.finish('a', 'failed');
  assert.deepEqual(
    t.skipped.map((x) => x.id),
    ['b', 'c'],
  );
  assert.equal(t.skipped[0]?.reason, 'upstream `a` failed');
  assert.equal(t.skipped[1]?.reason, 'upstream `b` was skipped');
  assert.equal(s.stateOf('x'), 'running');
  assert.equal(s.isDone(), false);
  s.finish('x', 'completed');
  assert.ok(s.isDone());
});

test('continueOnError lets dependents run after a failure', () => {
  const s = new Scheduler([n('a', [], { continueOnError: true }), n('b', ['a'])]);
  s.begin();
  s.start('a');
  assert.deepEqual(s.finish('a', 'failed').ready, ['b']);
});

test('a switch skips the branch it did not take and a merge joins the other', () => {
  const s = new Scheduler([
    n('sw'),
    n('yes', ['sw']),
    n('no', ['sw']),
    n('after-no', ['no']),
    n('join', ['yes', 'no'], { isMerge: true }),
  ]);
  s.begin();
  s.start('sw');
  const t = s.finish('sw', 'completed', ['no'], 'switch `sw` took `then`');
  assert.deepEqual(t.ready, ['yes']);
  assert.deepEqual(
    t.skipped.map((x) => [x.id, x.reason]),
    [
      ['no', 'switch `sw` took `then`'],
      ['after-no', 'upstream `no` was skipped'],
    ],
  );
  s.start('yes');
  assert.deepEqual(s.finish('yes', 'completed').ready, ['join']);
});

test('a merge whose every upstream was skipped is skipped too', () => {
  const s = new Scheduler([
    n('a'),
    n('b', ['a']),
    n('c', ['a']),
    n('m', ['b', 'c'], { isMerge: true }),
  ]);
  s.begin();
  s.start('a');
  const t = s.finish('a', 'failed');
  assert.deepEqual(
    t.skipped.map((x) => x.id),
    ['b', 'c', 'm'],
  );
});

test('a merge with a failed upstream does not run on partial data', () => {
  const s = new Scheduler([n('a'), n('b'), n('m', ['a', 'b'], { isMerge: true })]);
  s.begin();
  s.start('a');
  s.start('b');
  s.finish('a', 'completed');
  const t = s.finish('b', 'failed');
  assert.deepEqual(t.ready, []);
  assert.deepEqual(
    t.skipped.map((x) => x.reason),
    ['upstream `b` failed'],
  );
});

test('cancelPending cancels what has not started and leaves running nodes alone', () => {
  const s = new Scheduler([n('a'), n('b', ['a']), n('c')]);
  s.begin();
  s.start('a');
  assert.deepEqual(s.cancelPending('stop'), ['b', 'c']);
  assert.equal(s.stateOf('a'), 'running');
  assert.equal(s.reasonOf('b'), 'stop');
  s.finish('a', 'cancelled');
  assert.ok(s.isDone());
});

test('starting a node that is not ready is a programming error', () => {
  const s = new Scheduler([n('a'), n('b', ['a'])]);
  s.begin();
  assert.throws(() => s.start('b'), /not ready/);
  assert.throws(() => s.finish('a', 'completed'), /not running/);
});

test('nextReady hands out ready nodes in file order, whatever order they became ready in', () => {
  const s = new Scheduler([n('a'), n('x', ['b']), n('y', ['a']), n('b'), n('z', ['a'])]);
  s.begin();
  assert.equal(s.nextReady(), 'a');
  s.start('a');
  assert.equal(s.nextReady(), 'b');
  assert.deepEqual(s.finish('a', 'completed').ready, ['y', 'z']);
  assert.equal(s.nextReady(), 'y', 'y comes before b in the file');
  s.start('y');
  assert.equal(s.nextReady(), 'b');
  s.start('b');
  assert.equal(s.nextReady(), 'z');
  s.finish('b', 'completed');
  assert.equal(s.nextReady(), 'x');
  assert.deepEqual(s.ready(), ['x', 'z']);
});

test('nextReady skips nodes that left `ready` without starting (switch routing, cancel)', () => {
  const s = new Scheduler([n('sw'), n('a', ['sw']), n('b', ['sw']), n('c')]);
  s.begin();
  s.start('sw');
  s.finish('sw', 'completed', ['a'], 'switch `sw` took `else`');
  assert.equal(s.nextReady(), 'b');
  s.cancelPending('stop');
  assert.equal(s.nextReady(), undefined);
  assert.deepEqual(s.ready(), []);
  assert.ok(s.isDone());
});

test('the kept counts agree with the states on a random graph, step by step', () => {
  // A deterministic pseudo-random DAG: counts kept incrementally must match a full recount.
  let seed = 7;
  const rand = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const nodes: SchedulableNode[] = [];
  for (let i = 0; i < 200; i++) {
    const needs = i === 0 ? [] : [...new Set([`n${rand(i)}`, `n${rand(i)}`])];
    nodes.push(n(`n${i}`, needs, { isMerge: rand(10) === 0, continueOnError: rand(5) === 0 }));
  }
  const s = new Scheduler(nodes);
  s.begin();
  const states = (): string[] => nodes.map((x) => s.stateOf(x.id));
  const running: string[] = [];
  for (let step = 0; !s.isDone(); step++) {
    const next = s.nextReady();
    if (next !== undefined && running.length < 3) {
      assert.equal(next, s.ready()[0]);
      s.start(next);
      running.push(next);
    } else {
      const id = running.splice(rand(running.length), 1)[0] as string;
      s.finish(id, rand(4) === 0 ? 'failed' : 'completed');
    }
    assert.equal(s.runningCount(), states().filter((x) => x === 'running').length);
    assert.ok(step < 1000, 'the run ends');
  }
  assert.ok(states().every((x) => x !== 'blocked' && x !== 'ready' && x !== 'running'));
});

test('copyInto puts a used clone in the source state, independent of it, without a new scheduler', () => {
  const s = new Scheduler([n('a'), n('b', ['a']), n('c', ['a']), n('x'), n('d', ['x'])]);
  s.begin();
  const spare = s.clone();
  // The spare wanders off: a completes, x fails (so d is skipped, with a reason).
  spare.start('a');
  spare.finish('a', 'completed');
  spare.start('x');
  spare.finish('x', 'failed');
  assert.equal(spare.stateOf('d'), 'skipped');
  // The source moves on its own way, then the spare is reset to it.
  s.start('x');
  assert.equal(s.copyInto(spare), spare);
  for (const id of ['a', 'b', 'c', 'x', 'd']) assert.equal(spare.stateOf(id), s.stateOf(id));
  assert.equal(spare.reasonOf('d'), null);
  assert.deepEqual(spare.ready(), s.ready());
  assert.equal(spare.runningCount(), 1);
  assert.equal(spare.isDone(), false);
  // Independent again: finishing in the copy leaves the source untouched.
  spare.start('a');
  spare.finish('a', 'completed');
  assert.equal(s.stateOf('a'), 'ready');
  assert.deepEqual(spare.ready(), ['b', 'c']);
  assert.throws(() => s.copyInto(new Scheduler([n('a')])), /another graph/);
});
