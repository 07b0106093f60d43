/**
 * The byte parsers the sampler runs for every process on every tick, against the text parsers
 * and against the real kernel.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import {
  parseChildrenBytes,
  parseIo,
  parseIoBytes,
  parseStat,
  parseStatBytes,
  parseStatmResident,
  preadWhole,
  procBuffer,
  readIo,
  readStat,
} from '../../src/measure/procfs';

const bytes = (text: string): [Buffer, number] => {
  const b = Buffer.from(text, 'latin1');
  return [b, b.length];
};

/** A stat line: fields 3..52 numbered i * 10, with some set; field 2 is the command name. */
function statLine(pid: number, comm: string, set: Record<number, string> = {}): string {
  const fields: string[] = [];
  for (let i = 3; i <= 52; i++) fields.push(set[i] ?? (i === 3 ? 'S' : String(i * 10)));
  return `${pid} (${comm}) ${fields.join(' ')}\n`;
}

test('stat from bytes: the fields the sampler uses, after the last parenthesis', () => {
  const line = statLine(7, 'a) (b c)', { 3: 'Z', 20: '3', 22: '123456789', 24: '2048' });
  const s = parseStatBytes(7, ...bytes(line));
  assert.ok(s);
  assert.deepEqual(s, parseStat(7, line));
  assert.equal(s.state, 'Z');
  assert.equal(s.ppid, 40);
  assert.equal(s.utimeTicks, 140);
  assert.equal(s.cstimeTicks, 170);
  assert.equal(s.threads, 3);
  assert.equal(s.startTicks, 123456789);
  assert.equal(s.rssPages, 2048);
  assert.equal(s.ignoresSigchld, false);
});

test('stat: SIGCHLD in sigignore (field 33), exact even above 2^53', () => {
  const ignores = (mask: string): boolean | undefined =>
    parseStat(1, statLine(1, 'x', { 33: mask }))?.ignoresSigchld;
  assert.equal(ignores('65536'), true); // 1 << 16: signal 17
  assert.equal(ignores('65542'), true); // and SIGINT, SIGQUIT
  assert.equal(ignores('6'), false);
  assert.equal(ignores('131072'), false); // signal 18
  // 2^63 + 2^16 and 2^63 + 2^17: a double would round both to 2^63.
  assert.equal(ignores('9223372036854841344'), true);
  assert.equal(ignores('9223372036854906880'), false);
  assert.equal(ignores('18446744073709551615'), true); // everything
});

test('stat: a truncated or garbled line is null, never a half-filled record', () => {
  const line = statLine(3, 'x');
  assert.equal(parseStat(3, line.slice(0, line.indexOf(' 220 '))), null); // ends before starttime
  assert.equal(parseStat(3, statLine(3, 'x', { 14: '12a' })), null);
  assert.equal(parseStat(3, statLine(3, 'x', { 24: '' })), null);
  assert.equal(parseStat(3, 'no parenthesis 1 2 3'), null);
  assert.equal(parseStat(3, '3 (x)'), null);
  // Negative numbers parse (priority and nice may be negative; cutime is signed).
  assert.equal(parseStat(3, statLine(3, 'x', { 16: '-5' }))?.cutimeTicks, -5);
});

test('io from bytes matches the text parser; another layout falls back to it', () => {
  const text =
    'rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
  assert.deepEqual(parseIoBytes(...bytes(text)), parseIo(text));
  const shuffled = text.trim().split('\n').reverse().join('\n') + '\nnew_field: 1\n';
  assert.deepEqual(parseIoBytes(...bytes(shuffled)), parseIo(text));
  assert.equal(parseIoBytes(...bytes('rchar: 1\nwchar: x\n')), null);
  assert.equal(parseIoBytes(...bytes('')), null);
  const big = text.replace('rchar: 10', `rchar: ${2 ** 52}`);
  assert.equal(parseIoBytes(...bytes(big))?.rchar, 2 ** 52);
});

test('children lists and statm', () => {
  const out: number[] = [9];
  parseChildrenBytes(...bytes('12 345 6789 '), out);
  assert.deepEqual(out, [9, 12, 345, 6789]);
  const none: number[] = [];
  parseChildrenBytes(...bytes(''), none);
  parseChildrenBytes(...bytes('\n'), none);
  assert.deepEqual(none, []);
  assert.equal(parseStatmResident(...bytes('5000 1234 300 10 0 900 0\n')), 1234);
  assert.equal(parseStatmResident(...bytes('5000\n')), null);
});

test('preadWhole: one read when it comes up short, more while reads fill up', () => {
  const content = Buffer.alloc(3000, 0x31);
  const calls: number[] = [];
  const chunked =
    (chunk: number) =>
    (_fd: number, buf: Buffer, offset: number, length: number, position: number): number => {
      calls.push(position);
      const n = Math.max(0, Math.min(chunk, length, content.length - position));
      content.copy(buf, offset, position, position + n);
      return n;
    };
  assert.equal(preadWhole(0, chunked(10_000)), 3000);
  // 3000 bytes is not short enough to be sure it was the end: one more read sees EOF.
  assert.deepEqual(calls, [0, 3000]);
  calls.length = 0;
  assert.equal(preadWhole(0, chunked(1024)), 3000);
  assert.deepEqual(calls, [0, 1024, 2048]); // the last, 952 bytes, is short: the end
  calls.length = 0;
  const small = Buffer.from('1 2 3\n');
  const once = (_fd: number, buf: Buffer, offset: number): number => {
    calls.push(offset);
    small.copy(buf, offset);
    return small.length;
  };
  assert.equal(preadWhole(0, once), small.length);
  assert.deepEqual(calls, [0]);
  assert.equal(procBuffer.toString('latin1', 0, small.length), '1 2 3\n');
});

test('the real kernel: our stat and io parse; a process ignoring SIGCHLD is seen as such', async () => {
  const own = readStat(process.pid);
  assert.ok(own && own.threads >= 1 && own.rssPages > 0);
  assert.equal(own.ignoresSigchld, false, 'Node handles SIGCHLD');
  assert.ok(readIo(process.pid));
  // perl (Debian's perl-base is essential) ignores SIGCHLD, and exec keeps ignored signals ignored.
  const child = spawn('perl', ['-e', '$SIG{CHLD} = "IGNORE"; exec "sleep", "3"'], {
    stdio: 'ignore',
  });
  try {
    const pid = child.pid;
    assert.ok(pid !== undefined, 'perl did not start');
    let seen: boolean | undefined;
    for (let i = 0; i < 100 && seen !== true; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const s = readStat(pid);
      seen = s?.ignoresSigchld;
    }
    assert.equal(seen, true);
  } finally {
    child.kill('SIGKILL');
  }
});
