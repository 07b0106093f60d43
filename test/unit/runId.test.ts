import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRunId, newRunId, RUN_ID_PATTERN, runIdTime } from '../../src/store/runId';

test('a run id has the documented shape, in UTC, and is filename-safe', () => {
  const id = newRunId(new Date(Date.UTC(2026, 10, 24, 9, 12, 23, 123)));
  assert.match(id, /^20261124-091223-123-[0-9a-f]{6}$/);
  assert.match(id, RUN_ID_PATTERN);
  assert.ok(isRunId(id));
  assert.match(id, /^[A-Za-z0-9._-]+$/);
  assert.equal(runIdTime(id)?.toISOString(), '2026-11-24T09:12:23.123Z');
  assert.equal(runIdTime('not-an-id'), null);
  assert.ok(!isRunId('../20261124-091223-123-a1b2c3'));
});

test('comparing ids as strings orders them by time', () => {
  const times = [
    Date.UTC(1999, 11, 31, 23, 59, 59, 999),
    Date.UTC(2000, 0, 1, 0, 0, 0, 0),
    Date.UTC(2000, 0, 1, 0, 0, 0, 1),
    Date.UTC(2000, 0, 1, 0, 0, 1, 0),
    Date.UTC(2000, 0, 1, 0, 1, 0, 0),
    Date.UTC(2000, 0, 1, 10, 0, 0, 0),
    Date.UTC(2000, 0, 2, 0, 0, 0, 0),
    Date.UTC(2000, 9, 1, 0, 0, 0, 0),
    Date.UTC(2026, 10, 24, 9, 12, 23, 123),
  ];
  const ids = times.map((t) => newRunId(new Date(t)));
  const shuffled = [...ids].reverse();
  assert.deepEqual(shuffled.sort(), ids);
});

test('ids made in the same millisecond are unique', () => {
  const date = new Date();
  const ids = new Set<string>();
  for (let i = 0; i < 20_000; i++) ids.add(newRunId(date));
  assert.equal(ids.size, 20_000);
});

test('an invalid date is refused', () => {
  assert.throws(() => newRunId(new Date(NaN)), RangeError);
});
