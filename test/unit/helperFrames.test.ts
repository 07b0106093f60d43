import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeExit, decodeFrames, encodeFrame, encodeStart } from '../../src/measure/helperFrames';

const out = (key: number, text: string): Buffer => encodeFrame('O', key, Buffer.from(text));

test('several frames in one chunk come out in order, payloads intact', () => {
  const chunk = Buffer.concat([out(1, 'hello'), encodeFrame('o', 1), out(2, 'x'.repeat(70000))]);
  const { frames, rest, error } = decodeFrames(Buffer.alloc(0), chunk);
  assert.equal(error, null);
  assert.equal(rest.length, 0);
  assert.deepEqual(
    frames.map((f) => [f.type, f.key, f.payload.length]),
    [
      ['O', 1, 5],
      ['o', 1, 0],
      ['O', 2, 70000],
    ],
  );
  assert.equal(frames[0]?.payload.toString(), 'hello');
});

test('a frame split at every byte boundary is decoded once it is whole', () => {
  const whole = Buffer.concat([out(7, 'split me'), encodeFrame('X', 7, Buffer.alloc(8))]);
  for (let cut = 0; cut <= whole.length; cut++) {
    const first = decodeFrames(Buffer.alloc(0), whole.subarray(0, cut));
    const second = decodeFrames(first.rest, whole.subarray(cut));
    const all = [...first.frames, ...second.frames];
    assert.deepEqual(
      all.map((f) => [f.type, f.key, f.payload.toString()]),
      [
        ['O', 7, 'split me'],
        ['X', 7, '\0'.repeat(8)],
      ],
      `cut at ${cut}`,
    );
    assert.equal(second.rest.length, 0);
  }
});

test('a length too small for a header is an error, frames before it are kept', () => {
  const bad = Buffer.alloc(4);
  bad.writeUInt32LE(3, 0);
  const { frames, error } = decodeFrames(Buffer.alloc(0), Buffer.concat([out(1, 'ok'), bad]));
  assert.equal(frames.length, 1);
  assert.match(error ?? '', /bad frame length 3/);
});

test('payloads do not alias the chunk (the stream reuses its memory)', () => {
  const chunk = out(3, 'abc');
  const { frames } = decodeFrames(Buffer.alloc(0), chunk);
  chunk.fill(0);
  assert.equal(frames[0]?.payload.toString(), 'abc');
});

test('a start request carries grace, argv and env as the C side reads them', () => {
  const frame = encodeStart(5, {
    file: '/bin/sh',
    args: ['-c', 'echo hi'],
    cwd: '/',
    env: { A: '1', B: 'x=y' },
    graceMs: 500,
    cgroupDir: null,
  });
  assert.ok(frame);
  const { frames } = decodeFrames(Buffer.alloc(0), frame);
  const f = frames[0];
  assert.ok(f);
  assert.equal(f.type, 'S');
  assert.equal(f.key, 5);
  assert.equal(f.payload.readUInt32LE(0), 500);
  assert.equal(f.payload.readUInt32LE(4), 3);
  assert.equal(f.payload.readUInt32LE(8), 2);
  assert.deepEqual(f.payload.subarray(12).toString().split('\0'), [
    '/',
    '',
    '/bin/sh',
    '-c',
    'echo hi',
    'A=1',
    'B=x=y',
    '',
  ]);
});

test('a NUL byte in a string cannot be sent: no frame (the caller spawns instead)', () => {
  const req = { file: 'sh', args: ['a\0b'], cwd: '/', env: {}, graceMs: 0, cgroupDir: null };
  assert.equal(encodeStart(1, req), null);
});

test('exit payloads: code or signal; short payloads say nothing', () => {
  const p = Buffer.alloc(8);
  p.writeInt32LE(-1, 0);
  p.writeInt32LE(9, 4);
  assert.deepEqual(decodeExit(p), { code: null, signal: 9 });
  p.writeInt32LE(3, 0);
  p.writeInt32LE(0, 4);
  assert.deepEqual(decodeExit(p), { code: 3, signal: null });
  assert.deepEqual(decodeExit(Buffer.alloc(2)), { code: null, signal: null });
});
