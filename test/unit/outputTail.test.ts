import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OutputTail, tailText, TAIL_MAX_BYTES, TAIL_MAX_LINES } from '../../src/runtime/outputTail';
import { errorHeadline, type TaskError } from '../../src/model/taskError';

const lines = (n: number, prefix = 'line'): string =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n');

test('the tail is the last 20 lines, without the trailing newline', () => {
  assert.equal(TAIL_MAX_LINES, 20);
  assert.equal(tailText(`${lines(30)}\n`), lines(30).split('\n').slice(10).join('\n'));
  assert.equal(tailText('one\r\ntwo\r\n'), 'one\ntwo');
  assert.equal(tailText(''), '');
  assert.equal(tailText('only\n\n\n'), 'only');
});

test('the tail is at most 4 KiB, and never splits a character', () => {
  assert.equal(TAIL_MAX_BYTES, 4096);
  const long = 'x'.repeat(10_000);
  assert.equal(tailText(long), 'x'.repeat(4096));
  // 3-byte characters: 4096 is not a multiple of 3, so the cut lands mid-character.
  const wide = '€'.repeat(2000);
  const t = tailText(wide);
  assert.ok(Buffer.byteLength(t) <= 4096);
  assert.equal(t, '€'.repeat(1365));
  assert.ok(!t.includes('\ufffd'));
});

test('OutputTail keeps what the tail needs of a stream of any size', () => {
  const tail = new OutputTail();
  for (let i = 0; i < 5000; i++) tail.push(`chunk ${i}\n`);
  assert.equal(tail.value, Array.from({ length: 20 }, (_, i) => `chunk ${4980 + i}`).join('\n'));
  const big = new OutputTail();
  big.push('a'.repeat(100_000));
  big.push('b'.repeat(1000));
  assert.equal(big.value, 'a'.repeat(3096) + 'b'.repeat(1000));
  // Bounded: the buffer never holds more than a few tails' worth.
  const held = (big as unknown as { text: string }).text.length;
  assert.ok(held <= 4 * TAIL_MAX_BYTES, `held ${held}`);
});

test("the headline is the node's first line, not the runner's note, else the message", () => {
  const e = (stderrTail: string): TaskError => ({
    kind: 'exit',
    message: 'exit code 3',
    exitCode: 3,
    signal: null,
    stderrTail,
  });
  assert.equal(errorHeadline(e('\n  boom: no table\nsecond')), 'boom: no table');
  assert.equal(errorHeadline(e('[workflow-profiler] output.json: bad JSON\nreal')), 'real');
  assert.equal(errorHeadline(e('')), 'exit code 3');
});
