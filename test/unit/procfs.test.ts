import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { test } from 'node:test';
import {
  descendantsOf,
  isAlive,
  parseIo,
  parseStat,
  parseStatus,
  processKey,
  readIo,
  readStat,
  systemConstants,
} from '../../src/measure/procfs';

/** A /proc/PID/stat line with the given command name and fields 3..24 as numbered. */
function statLine(pid: number, comm: string): string {
  const fields = ['S'];
  for (let i = 4; i <= 52; i++) fields.push(String(i * 10));
  return `${pid} (${comm}) ${fields.join(' ')}\n`;
}

test('stat is parsed after the last parenthesis (names may hold spaces and parens)', () => {
  const s = parseStat(42, statLine(42, 'we ird) (name'));
  assert.ok(s);
  assert.equal(s.state, 'S');
  assert.equal(s.ppid, 40);
  assert.equal(s.utimeTicks, 140);
  assert.equal(s.stimeTicks, 150);
  assert.equal(s.cutimeTicks, 160);
  assert.equal(s.cstimeTicks, 170);
  assert.equal(s.threads, 200);
  assert.equal(s.startTicks, 220);
  assert.equal(s.rssPages, 240);
  assert.equal(processKey(s), '42:220');
  assert.equal(parseStat(1, 'garbage'), null);
});

test('status and io are parsed; missing fields are null', () => {
  const st = parseStatus('Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n');
  assert.deepEqual(st, { vmHwmBytes: 2048 * 1024, vmRssBytes: 1024 * 1024 });
  assert.deepEqual(parseStatus('Name:\tzombie\nState:\tZ\n'), {
    vmHwmBytes: null,
    vmRssBytes: null,
  });
  const io = parseIo(
    'rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\ncancelled_write_bytes: 7\n',
  );
  assert.deepEqual(io, {
    rchar: 1,
    wchar: 2,
    syscr: 3,
    syscw: 4,
    readBytes: 5,
    writeBytes: 6,
    cancelledWriteBytes: 7,
  });
  assert.equal(parseIo('rchar: 1\n'), null);
});

test('CLK_TCK and the page size match getconf', () => {
  const c = systemConstants();
  assert.equal(c.clockTicksPerSecond, Number(execFileSync('getconf', ['CLK_TCK']).toString()));
  assert.equal(c.pageSizeBytes, Number(execFileSync('getconf', ['PAGESIZE']).toString()));
});

test('our own stat and io are readable; a gone process reads null', () => {
  const s = readStat(process.pid);
  assert.ok(s && s.threads >= 1 && s.startTicks > 0 && s.rssPages > 0);
  assert.ok(readIo(process.pid));
  assert.ok(isAlive(process.pid, s.startTicks));
  assert.equal(
    isAlive(process.pid, s.startTicks + 1),
    false,
    'another start time: another process',
  );
  assert.equal(readStat(2 ** 22 + 1), null); // above pid_max
});

test('descendants are found through every level', async () => {
  const child = spawn('/bin/sh', ['-c', 'sleep 3 & (sleep 3; true) & wait'], { stdio: 'ignore' });
  try {
    const pid = child.pid;
    assert.ok(pid !== undefined);
    let found: number[] = [];
    for (let i = 0; i < 100 && found.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 20));
      found = descendantsOf(pid);
    }
    // sleep, the subshell, and the subshell's sleep (some shells exec the last command).
    assert.ok(found.length >= 3, `found ${found.join(',')}`);
    for (const d of found) assert.notEqual(d, pid);
    assert.ok(descendantsOf(process.pid).includes(pid));
  } finally {
    if (child.pid) for (const d of descendantsOf(child.pid)) process.kill(d, 'SIGKILL');
    child.kill('SIGKILL');
  }
});
