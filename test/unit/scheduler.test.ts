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
