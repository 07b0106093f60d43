/** Durations in workflow files (timeouts): parsing, limits and formatting. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../src/workflow/duration';

function ms(input: string | number): number {
  const r = parseDuration(input);
  if ('error' in r) assert.fail(`${String(input)}: ${r.error}`);
  return r.ms;
}

function error(input: string | number): string {
  const r = parseDuration(input);
  assert.ok('error' in r, `expected an error for ${String(input)}`);
  return r.error;
}

test('single units', () => {
  assert.equal(ms('500ms'), 500);
  assert.equal(ms('30s'), 30_000);
  assert.equal(ms('10m'), 600_000);
  assert.equal(ms('1h'), 3_600_000);
  assert.equal(ms('1.5s'), 1500);
  assert.equal(ms('0.5h'), 1_800_000);
});

test('combinations go from the largest unit to the smallest', () => {
  assert.equal(ms('1m30s'), 90_000);
  assert.equal(ms('1h5m'), 3_900_000);
  assert.equal(ms('2h0m10s250ms'), 7_210_250);
  assert.equal(ms('1s500ms'), 1500);
});

test('plain numbers are seconds, as numbers or as strings; whitespace around is fine', () => {
  assert.equal(ms(30), 30_000);
  assert.equal(ms(0.25), 250);
  assert.equal(ms('45'), 45_000);
  assert.equal(ms('  2m  '), 120_000);
  assert.equal(ms(0), 0);
  // Rounded to whole milliseconds.
  assert.equal(ms('0.0004'), 0);
  assert.equal(ms('1.0006s'), 1001);
});

test('bad durations say why', () => {
  const hint = 'use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s';
  assert.equal(error('3x'), `\`3x\` is not a duration (unknown unit \`x\`): ${hint}`);
  assert.equal(error('1d'), `\`1d\` is not a duration (unknown unit \`d\`): ${hint}`);
  assert.equal(
    error('ten seconds'),
    `\`ten seconds\` is not a duration (unexpected \`ten seconds\`): ${hint}`,
  );
  assert.equal(error('1m 30s'), `\`1m 30s\` is not a duration (unexpected \` 30s\`): ${hint}`);
  assert.equal(error(''), `an empty string is not a duration: ${hint}`);
  assert.equal(error(-1), `-1 is not a duration: ${hint}`);
  assert.equal(error(Number.POSITIVE_INFINITY), `Infinity is not a duration: ${hint}`);
  assert.equal(error('-5s'), `\`-5s\` is not a duration (unexpected \`-5s\`): ${hint}`);
  const order = 'units go from largest to smallest, each once (e.g. 1h30m, 1m30s)';
  assert.equal(error('30s1m'), `\`30s1m\` is not a duration: ${order}`);
  assert.equal(error('1m1m'), `\`1m1m\` is not a duration: ${order}`);
});

test('durations over the timer limit (about 24.8 days) are refused, not silently shortened', () => {
  assert.equal(ms(`${MAX_DURATION_MS}ms`), MAX_DURATION_MS);
  assert.equal(error('600h'), '600h is too long: the limit is 596h31m23.647s');
  assert.equal(error(1e10), '2777777h46m40s is too long: the limit is 596h31m23.647s');
});

test('formatDuration is readable and parses back to the same value', () => {
  assert.equal(formatDuration(0), '0ms');
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(1000), '1s');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(3_600_000), '1h');
  assert.equal(formatDuration(3_660_500), '1h1m0.5s');
  assert.equal(formatDuration(-1500), '-1.5s');
  assert.equal(formatDuration(Number.NaN), 'NaN');
  for (const v of [1, 999, 1000, 61_001, 7_210_250, MAX_DURATION_MS])
    assert.equal(ms(formatDuration(v)), v);
});
