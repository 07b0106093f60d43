/**
 * Kept-open /proc descriptors (ProcTable) and the tree observer's quiet ticks (ProcTreeObserver):
 * on a simulated /proc, where pid reuse and "nothing ran" can be staged exactly, and on real
 * processes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { ProcTable, realProcFiles, type ProcFiles } from '../../src/measure/procTable';
import { ProcTreeObserver, type TreeObservation } from '../../src/measure/procTree';
import { systemConstants } from '../../src/measure/procfs';
import { CgroupActivity } from '../../src/measure/cgroupActivity';

/** One simulated process: what its /proc files show. */
interface FakeProc {
  pid: number;
  ppid: number;
  start: number;
  state: string;
  threads: number;
  cpu: number;
  cutime: number;
  rssPages: number;
  sigignore: number;
  /** schedstat: run time and times scheduled in; bumped whenever the process "runs". */
  ranNs: number;
  children: number[];
  rchar: number;
  hwmKb: number;
  /** Reaped: its descriptors read ESRCH, its pid may be reused. */
  reaped: boolean;
  /** Thread ids besides the leader's (its pid). */
  otherTids: number[];
}

const errno = (code: string): Error => Object.assign(new Error(code), { code });

/** A /proc with only the files the table reads, counting every open and read. */
class FakeProcFs implements ProcFiles {
  /** Who has each pid now. */
  readonly byPid = new Map<number, FakeProc>();
  readonly opens: string[] = [];
  readonly reads: string[] = [];
  readonly readdirs: string[] = [];
  private readonly fds = new Map<number, { proc: FakeProc; file: string; tid: number }>();
  private nextFd = 1000;

  spawn(pid: number, ppid: number, start: number, extra: Partial<FakeProc> = {}): FakeProc {
    const proc: FakeProc = {
      pid,
      ppid,
      start,
      state: 'S',
      threads: 1,
      cpu: 0,
      cutime: 0,
      rssPages: 100,
      sigignore: 0,
      ranNs: 1000,
      children: [],
      rchar: 0,
      hwmKb: 1000,
      reaped: false,
      otherTids: [],
      ...extra,
    };
    this.byPid.set(pid, proc);
    this.byPid.get(ppid)?.children.push(pid);
    return proc;
  }

  /** The process exits and is reaped: gone from its parent's list and from /proc. */
  reap(proc: FakeProc): void {
    proc.reaped = true;
    this.byPid.delete(proc.pid);
    const parent = this.byPid.get(proc.ppid);
    if (parent) {
      parent.children = parent.children.filter((c) => c !== proc.pid);
      parent.ranNs += 1;
    }
  }

  get openFds(): number {
    return this.fds.size;
  }

  open(path: string): number {
    const m = /^\/proc\/(\d+)\/(.+)$/.exec(path);
    const proc = m ? this.byPid.get(Number(m[1])) : undefined;
    if (!m || !proc) throw errno('ENOENT');
    const file = (m[2] as string).replace(/^task\/\d+\//, '');
    const tid = Number(/^task\/(\d+)\//.exec(m[2] as string)?.[1] ?? proc.pid);
    if (tid !== proc.pid && !proc.otherTids.includes(tid)) throw errno('ENOENT');
    this.opens.push(`${proc.pid}:${proc.start}/${tid === proc.pid ? '' : `task/${tid}/`}${file}`);
    const fd = this.nextFd++;
    this.fds.set(fd, { proc, file, tid });
    return fd;
  }

  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    const open = this.fds.get(fd);
    if (!open) throw errno('EBADF');
    if (open.proc.reaped) throw errno('ESRCH');
    const thread = open.tid !== open.proc.pid;
    if (thread && !open.proc.otherTids.includes(open.tid)) throw errno('ESRCH');
    this.reads.push(`${open.proc.pid}/${open.file}`);
    // Other threads forked nothing here; their schedstat is their own.
    const text = Buffer.from(
      thread && open.file === 'children' ? '' : render(open.proc, open.file),
      'latin1',
    );
    const n = Math.max(0, Math.min(length, text.length - position));
    text.copy(buf, offset, position, position + n);
    return n;
  }

  close(fd: number): void {
    if (!this.fds.delete(fd)) throw errno('EBADF');
  }

  readdir(path: string): string[] {
    const pid = Number(/^\/proc\/(\d+)\/task$/.exec(path)?.[1]);
    const proc = this.byPid.get(pid);
    if (!proc) throw errno('ENOENT');
    this.readdirs.push(path);
    return [pid, ...proc.otherTids].map(String);
  }
}

function render(p: FakeProc, file: string): string {
  switch (file) {
    case 'stat': {
      const f: string[] = [];
      for (let i = 3; i <= 52; i++) f.push('0');
      const set = (field: number, v: string | number): void => {
        f[field - 3] = String(v);
      };
      set(3, p.state);
      set(4, p.ppid);
      set(14, p.cpu);
      set(16, p.cutime);
      set(20, p.threads);
      set(22, p.start);
      set(24, p.rssPages);
      set(33, p.sigignore);
      return `${p.pid} (fake) ${f.join(' ')}\n`;
    }
    case 'io':
      return `rchar: ${p.rchar}\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n`;
    case 'children':
      return p.children.map((c) => `${c} `).join('');
    case 'schedstat':
      return `${p.ranNs} 0 ${p.ranNs % 97}\n`;
    case 'statm':
      return `9000 ${p.rssPages} 10 1 0 50 0\n`;
    case 'status': {
      // As the kernel shows it: the larger of its high-water mark and the current rss.
      const rssKb = (p.rssPages * systemConstants().pageSizeBytes) / 1024;
      return `Name:\tfake\nVmHWM:\t${Math.max(p.hwmKb, rssKb)} kB\nVmRSS:\t${rssKb} kB\n`;
    }
    default:
      throw errno('ENOENT');
  }
}

const fakeTable = (fake: FakeProcFs, maxOpen = 1000): ProcTable =>
  new ProcTable({ files: fake, maxOpen, childrenFiles: true, schedstat: true });

function tick<T>(table: ProcTable, fn: () => T): T {
  table.beginTick();
  const out = fn();
  table.endTick();
  return out;
}

describe('ProcTable on a simulated /proc', () => {
  test('descriptors are opened once and read again each tick', () => {
    const fake = new FakeProcFs();
    fake.spawn(100, 1, 5);
    const table = fakeTable(fake);
    const first = tick(table, () => table.read(100));
    assert.equal(first?.key, '100:5');
    const opened = fake.opens.length;
    assert.ok(opened >= 3, 'stat, io, children (and more) opened');
    for (let i = 0; i < 5; i++) {
      const again = tick(table, () => table.read(100));
      assert.equal(again, first, 'the same entry');
      assert.ok(again && table.io(again));
    }
    assert.equal(fake.opens.length, opened, 'nothing opened again');
    assert.equal(table.openDescriptors, fake.openFds);
    table.close();
    assert.equal(fake.openFds, 0);
    assert.equal(table.openDescriptors, 0);
  });

  test('a reused pid is never read through the old descriptors (ESRCH, then opened afresh)', () => {
    const fake = new FakeProcFs();
    const old = fake.spawn(100, 1, 5, { rchar: 111 });
    const table = fakeTable(fake);
    const a = tick(table, () => table.read(100));
    assert.equal(a?.key, '100:5');
    fake.reap(old);
    fake.spawn(100, 1, 9, { rchar: 999 }); // a new process, same pid
    const b = tick(table, () => table.read(100));
    assert.ok(b);
    assert.equal(b.key, '100:9');
    assert.equal(b.startTicks, 9);
    assert.equal(table.io(b)?.rchar, 999);
    assert.equal(table.openDescriptors, fake.openFds, 'the old descriptors were closed');
    table.close();
  });

  test('a descriptor that reads another start time is dropped, not trusted', () => {
    const fake = new FakeProcFs();
    const proc = fake.spawn(100, 1, 5);
    const table = fakeTable(fake);
    tick(table, () => table.read(100));
    // As if the kernel let an old descriptor show a new process: its start time gives it away
    // (a process found not to have run keeps its last stat: another one has its own schedstat).
    proc.start = 9;
    proc.ranNs += 1;
    const e = tick(table, () => table.read(100));
    assert.equal(e?.key, '100:9');
    const reopened = fake.opens.filter((o) => o.startsWith('100:9/'));
    assert.ok(reopened.includes('100:9/stat'), `reopened: ${fake.opens.join(', ')}`);
    assert.equal(table.openDescriptors, fake.openFds);
    table.close();
  });

  test('a process gone is null, and its descriptors close; unseen processes close at endTick', () => {
    const fake = new FakeProcFs();
    const a = fake.spawn(100, 1, 5);
    fake.spawn(200, 1, 6);
    const table = fakeTable(fake);
    tick(table, () => [table.read(100), table.read(200)]);
    const both = fake.openFds;
    fake.reap(a);
    assert.equal(tick(table, () => [table.read(100), table.read(200)])[0], null);
    assert.equal(fake.openFds, both / 2);
    tick(table, () => undefined); // 200 not read in this tick: forgotten
    assert.equal(fake.openFds, 0);
    assert.equal(table.openDescriptors, 0);
  });

  test('beyond the descriptor budget, processes are read by path, as before', () => {
    const fake = new FakeProcFs();
    for (let pid = 100; pid < 110; pid++) fake.spawn(pid, 1, pid);
    const table = fakeTable(fake, 12); // two processes' worth
    const read = (): unknown[] =>
      tick(table, () => Array.from({ length: 10 }, (_, i) => table.read(100 + i)?.key));
    assert.deepEqual(
      read(),
      Array.from({ length: 10 }, (_, i) => `${100 + i}:${100 + i}`),
    );
    assert.ok(table.openDescriptors <= 12);
    assert.equal(fake.openFds, table.openDescriptors, 'by-path reads close at once');
    assert.deepEqual(
      read(),
      Array.from({ length: 10 }, (_, i) => `${100 + i}:${100 + i}`),
    );
    table.close();
  });

  test('unchanged: only a single-threaded, not-running process whose schedstat did not move', () => {
    const fake = new FakeProcFs();
    const p = fake.spawn(100, 1, 5);
    const table = fakeTable(fake);
    const e = tick(table, () => table.read(100));
    assert.ok(e);
    assert.equal(
      tick(table, () => table.unchanged(e)),
      true,
    );
    p.ranNs += 1;
    assert.equal(
      tick(table, () => table.unchanged(e)),
      false,
      'it ran',
    );
    const threaded = tick(table, () => {
      p.threads = 2;
      return table.read(100);
    });
    assert.ok(threaded);
    assert.equal(
      tick(table, () => table.unchanged(threaded)),
      false,
      'schedstat is one thread',
    );
    const running = tick(table, () => {
      p.threads = 1;
      p.state = 'R';
      return table.read(100);
    });
    assert.ok(running);
    assert.equal(
      tick(table, () => table.unchanged(running)),
      false,
      'was running: a tickless CPU may not update schedstat',
    );
    table.close();
    assert.equal(table.unchanged(running), false, 'dropped');
  });
});

describe('ProcTable: busy processes cost reads, not opens', () => {
  test('a multi-threaded process: its threads listed again only when they change, files kept open', () => {
    const fake = new FakeProcFs();
    const proc = fake.spawn(100, 1, 5, { threads: 3, otherTids: [101, 102], children: [] });
    fake.spawn(200, 100, 6);
    const table = fakeTable(fake);
    const once = (): [number[], number | null] =>
      tick(table, () => {
        const e = table.read(100);
        assert.ok(e);
        const kids: number[] = [];
        assert.equal(table.children(e, kids), true);
        return [kids, table.runQueueWaitNs(e)];
      });
    assert.deepEqual(once(), [[200], 0]);
    const opened = fake.opens.length;
    assert.ok(fake.opens.includes('100:5/task/101/children'), fake.opens.join(', '));
    assert.ok(fake.opens.includes('100:5/task/102/schedstat'), fake.opens.join(', '));
    for (let i = 0; i < 3; i++) assert.deepEqual(once(), [[200], 0]);
    assert.equal(fake.opens.length, opened, `nothing opened again: ${fake.opens.join(', ')}`);
    assert.equal(fake.readdirs.length, 1, 'as many threads as listed: the listing is kept');
    // A thread exits: stat counts fewer, the threads are listed again, its two files closed.
    const before = fake.openFds;
    proc.otherTids = [101];
    proc.threads = 2;
    assert.deepEqual(once(), [[200], 0]);
    assert.equal(fake.readdirs.length, 2);
    assert.equal(fake.openFds, before - 2);
    // One exits and another starts between two ticks: as many threads, but the gone one's read
    // fails, so they are listed again and the new one is read.
    proc.otherTids = [103];
    assert.deepEqual(once(), [[200], 0]);
    assert.equal(fake.readdirs.length, 3);
    assert.ok(fake.opens.includes('100:5/task/103/children'), fake.opens.join(', '));
    assert.equal(table.openDescriptors, fake.openFds);
    table.close();
    assert.equal(fake.openFds, 0);
  });

  test('a walk re-reads only what ran: quiet processes keep stat and io, children are listed', () => {
    const fake = new FakeProcFs();
    const { sleep } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    const first = observeTick(table, observer);
    fake.reads.length = 0;
    sleep.ranNs += 5;
    sleep.cpu += 3;
    sleep.rchar += 60;
    const second = observeTick(table, observer);
    const of = (pid: number): string[] =>
      fake.reads.filter((r) => r.startsWith(`${pid}/`)).map((r) => r.split('/')[1] ?? '');
    assert.deepEqual(of(10).sort(), ['children', 'schedstat'], 'the reaper did not run');
    assert.deepEqual(of(11).sort(), ['children', 'schedstat', 'statm'], 'sh did not run');
    assert.ok(of(12).includes('stat') && of(12).includes('io'), 'sleep ran: read again');
    // The same figures a fresh table (reading everything) gives.
    const fresh = observeTick(fakeTable(fake), new ProcTreeObserver(10, true, false));
    assert.ok(first && second && fresh);
    assert.equal(second.cpuMs, fresh.cpuMs);
    assert.deepEqual(second.io, fresh.io);
    assert.equal(second.rssBytes, fresh.rssBytes);
  });
});

/** reaper 10 -> sh 11 -> sleep 12, as wp-reaper runs `sh -c "sleep ..."`. */
function idleTree(fake: FakeProcFs): { reaper: FakeProc; sh: FakeProc; sleep: FakeProc } {
  const reaper = fake.spawn(10, 1, 50, { rssPages: 50 });
  const sh = fake.spawn(11, 10, 51, { rssPages: 200, cpu: 1, rchar: 100 });
  const sleep = fake.spawn(12, 11, 52, { rssPages: 150, rchar: 40 });
  return { reaper, sh, sleep };
}

function observeTick(table: ProcTable, observer: ProcTreeObserver): TreeObservation | null {
  return tick(table, () => observer.observe(table));
}

const childrenReads = (fake: FakeProcFs): number =>
  fake.reads.filter((r) => r.endsWith('/children')).length;
const statReads = (fake: FakeProcFs): number =>
  fake.reads.filter((r) => r.endsWith('/stat')).length;

describe('ProcTreeObserver: quiet ticks give what a full walk gives', () => {
  const page = systemConstants().pageSizeBytes;

  test('an idle tree is walked once, then only schedstat and statm are read', () => {
    const fake = new FakeProcFs();
    const { sleep } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    const first = observeTick(table, observer);
    assert.ok(first);
    assert.equal(first.processes, 2);
    assert.deepEqual(first.keys, ['11:51', '12:52']);
    assert.equal(first.rssBytes, 350 * page);
    const stats = statReads(fake);
    fake.reads.length = 0;
    const second = observeTick(table, observer);
    assert.equal(statReads(fake), 0, `no stat read on a quiet tick: ${fake.reads.join(', ')}`);
    assert.deepEqual([...new Set(fake.reads.map((r) => r.split('/')[1]))].sort(), [
      'schedstat',
      'statm',
    ]);
    assert.deepEqual(second?.keys, first.keys);
    // Memory can change without the process running (reclaim): it is read every tick.
    sleep.rssPages = 90;
    assert.equal(observeTick(table, observer)?.rssBytes, 290 * page);
    assert.ok(stats > 0);
    table.close();
  });

  test('a process that ran: the schedstat read that says so is kept, not read again', () => {
    const fake = new FakeProcFs();
    const { sleep } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    observeTick(table, observer);
    observeTick(table, observer);
    sleep.ranNs += 7;
    sleep.cpu = 3;
    fake.reads.length = 0;
    assert.equal(
      observeTick(table, observer)?.cpuMs,
      (4 * 1000) / systemConstants().clockTicksPerSecond,
    );
    // Once by the quiet check (leaves first), once by the walk's; the walk's is the snapshot.
    assert.equal(fake.reads.filter((r) => r === '12/schedstat').length, 2, fake.reads.join(', '));
    fake.reads.length = 0;
    observeTick(table, observer);
    assert.equal(
      statReads(fake),
      0,
      `quiet again, against that snapshot: ${fake.reads.join(', ')}`,
    );
  });

  test('a fork is seen at the next tick: the parent ran', () => {
    const fake = new FakeProcFs();
    const { sh } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    observeTick(table, observer);
    observeTick(table, observer);
    fake.spawn(13, 11, 60, { rssPages: 10 });
    sh.ranNs += 5000;
    const after = observeTick(table, observer);
    assert.deepEqual(after?.keys, ['11:51', '12:52', '13:60']);
    assert.equal(after?.processes, 3);
  });

  test('an exit and reap are seen: CPU moves into the parent, the child leaves', () => {
    const fake = new FakeProcFs();
    const { sh, sleep } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    observeTick(table, observer);
    sleep.cpu = 7;
    sleep.ranNs += 1;
    const busy = observeTick(table, observer);
    fake.reap(sleep); // sh waits for it: sh ran, and sh's cutime holds it now
    sh.cutime = 7;
    const after = observeTick(table, observer);
    assert.deepEqual(after?.keys, ['11:51']);
    assert.equal(after?.cpuMs, busy?.cpuMs);
    assert.equal(table.openDescriptors, fake.openFds);
  });

  test('an orphan re-parented to the reaper (which does not run for it) is still found', () => {
    const fake = new FakeProcFs();
    const { sh } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    observeTick(table, observer);
    observeTick(table, observer);
    // sh forks a background child, then exits: the child is re-parented to the subreaper.
    const orphan = fake.spawn(14, 11, 70);
    fake.reap(sh);
    orphan.ppid = 10;
    fake.byPid.get(10)?.children.push(14);
    const after = observeTick(table, observer);
    assert.ok(after?.keys?.includes('14:70'), `keys ${String(after?.keys)}`);
  });

  test('a walk that could not read a listed process is not trusted for a quiet tick', () => {
    const fake = new FakeProcFs();
    const { sh } = idleTree(fake);
    sh.children.push(99); // listed, but no /proc/99: as if it exited between the two reads
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    observeTick(table, observer);
    fake.reads.length = 0;
    observeTick(table, observer);
    assert.ok(childrenReads(fake) > 0, 'walked again');
    sh.children = sh.children.filter((c) => c !== 99);
    observeTick(table, observer); // complete now
    fake.reads.length = 0;
    observeTick(table, observer);
    assert.equal(statReads(fake), 0, 'quiet again');
  });

  test('VmHWM with the reaper: read only for children of a parent ignoring SIGCHLD', () => {
    const fake = new FakeProcFs();
    const { sh, sleep } = idleTree(fake);
    const table = fakeTable(fake);
    const observer = new ProcTreeObserver(10, true, false);
    assert.equal(observeTick(table, observer)?.hwm, null);
    assert.equal(fake.reads.filter((r) => r.endsWith('/status')).length, 0);
    sh.sigignore = 1 << 16;
    sh.ranNs += 1;
    sleep.hwmKb = 5000;
    const seen = observeTick(table, observer);
    assert.equal(seen?.hwm, 5000 * 1024);
    // Quiet ticks keep it; rss above the old mark raises it, as the kernel's VmHWM would show.
    sleep.rssPages = 2000;
    assert.equal(observeTick(table, observer)?.hwm, 2000 * page);
    // Without the reaper every process's VmHWM is read.
    const all = new ProcTreeObserver(11, false, true);
    assert.equal(observeTick(table, all)?.hwm, Math.max(5000 * 1024, 2000 * page, 1000 * 1024));
    table.close();
  });
});

/** A node's cgroup: cpu.stat and cgroup.procs, counting reads. */
class FakeCgroupFs implements ProcFiles {
  usageUsec = 5000;
  members: number[] = [11, 12];
  statUnreadable = false;
  readonly reads: string[] = [];
  private readonly fds = new Map<number, string>();
  private nextFd = 1;

  open(path: string): number {
    const file = /^\/cg\/(cpu\.stat|cgroup\.procs)$/.exec(path)?.[1];
    if (!file) throw errno('ENOENT');
    const fd = this.nextFd++;
    this.fds.set(fd, file);
    return fd;
  }

  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    const file = this.fds.get(fd);
    if (!file) throw errno('EBADF');
    if (file === 'cpu.stat' && this.statUnreadable) throw errno('ENODEV');
    this.reads.push(file);
    const text = Buffer.from(
      file === 'cpu.stat'
        ? `usage_usec ${this.usageUsec}\nuser_usec 0\nsystem_usec 0\n`
        : this.members.map((pid) => `${pid}\n`).join(''),
      'latin1',
    );
    const n = Math.max(0, Math.min(length, text.length - position));
    text.copy(buf, offset, position, position + n);
    return n;
  }

  close(fd: number): void {
    if (!this.fds.delete(fd)) throw errno('EBADF');
  }

  get openFds(): number {
    return this.fds.size;
  }

  readdir(): string[] {
    throw errno('ENOTDIR');
  }
}

describe("ProcTreeObserver with the node's cgroup: one read says whether anything ran", () => {
  const page = systemConstants().pageSizeBytes;
  /** An idle tree observed with and without the cgroup, and the cgroup; both walked once. */
  function setup(): {
    fake: FakeProcFs;
    cg: FakeCgroupFs;
    tree: ReturnType<typeof idleTree>;
    both: () => [TreeObservation | null, TreeObservation | null];
  } {
    const fake = new FakeProcFs();
    const tree = idleTree(fake);
    const cg = new FakeCgroupFs();
    const withCg = new ProcTreeObserver(10, true, false, new CgroupActivity('/cg', cg));
    const without = new ProcTreeObserver(10, true, false);
    const [t1, t2] = [fakeTable(fake), fakeTable(fake)];
    const both = (): [TreeObservation | null, TreeObservation | null] => {
      // Copies: a quiet tick hands back (and updates) the last observation object.
      const a = observeTick(t1, withCg);
      const b = observeTick(t2, without);
      return [a && { ...a }, b && { ...b }];
    };
    both();
    return { fake, cg, tree, both };
  }
  const procFiles = (fake: FakeProcFs): string[] =>
    [...new Set(fake.reads.map((r) => r.split('/')[1] ?? ''))].sort();

  test('an idle tree: cpu.stat and statm only, the same figures as asking each process', () => {
    const { fake, cg, tree, both } = setup();
    for (let i = 0; i < 3; i++) {
      fake.reads.length = 0;
      cg.reads.length = 0;
      const [a, b] = both();
      assert.deepEqual(a, b);
      // The per-process observer read schedstat: the cgroup one read statm alone.
      const own = fake.reads.filter((r) => r.endsWith('/schedstat')).length;
      assert.equal(
        own,
        3,
        `schedstat of reaper, sh, sleep once (the other observer): ${fake.reads.join(', ')}`,
      );
      assert.equal(statReads(fake), 0);
      // cgroup.procs once, on the first quiet tick after the walk; then cpu.stat alone.
      assert.deepEqual(cg.reads, i === 0 ? ['cpu.stat', 'cgroup.procs'] : ['cpu.stat']);
    }
    // Memory can change without running: still read every tick.
    tree.sleep.rssPages = 90;
    assert.equal(both()[0]?.rssBytes, 290 * page);
    assert.deepEqual(procFiles(fake), ['schedstat', 'statm']);
  });

  test('the cgroup ran: the tree is walked at once, and a fork is seen', () => {
    const { fake, cg, tree, both } = setup();
    both();
    fake.spawn(13, 11, 60, { rssPages: 10 });
    tree.sh.ranNs += 5000;
    cg.usageUsec += 40;
    cg.members.push(13);
    const [a, b] = both();
    assert.deepEqual(a?.keys, ['11:51', '12:52', '13:60']);
    assert.deepEqual(a, b);
    // Still again: the new walk's members are checked in cgroup.procs before it is trusted.
    cg.reads.length = 0;
    fake.reads.length = 0;
    assert.deepEqual(both()[0]?.keys, a?.keys);
    assert.deepEqual(cg.reads, ['cpu.stat', 'cgroup.procs']);
  });

  test('a process outside the cgroup: each process is asked', () => {
    const { fake, cg, tree, both } = setup();
    cg.members = [11]; // sleep (12) is not in it
    fake.reads.length = 0;
    both();
    const schedReads = fake.reads.filter((r) => r.endsWith('/schedstat'));
    assert.equal(
      schedReads.length,
      6,
      `both observers asked each process: ${schedReads.join(', ')}`,
    );
    // sleep runs outside: the cgroup's time stands still, the change is seen all the same.
    tree.sleep.ranNs += 1;
    tree.sleep.rchar = 5000;
    const [a, b] = both();
    assert.equal(a?.io?.rchar, b?.io?.rchar);
    assert.equal(a?.io?.rchar, 100 + 5000);
  });

  test('a zombie in the last walk: each process is asked (the reaper may reap it unseen)', () => {
    const { fake, cg, tree, both } = setup();
    tree.sleep.state = 'Z';
    tree.sleep.ranNs += 1;
    cg.usageUsec += 10;
    both(); // walks, sees the zombie
    fake.reads.length = 0;
    cg.reads.length = 0;
    both();
    assert.deepEqual(cg.reads, ['cpu.stat'], 'no membership check: the walk is not trusted');
    assert.ok(fake.reads.filter((r) => r.endsWith('/schedstat')).length > 3);
  });

  test('cpu.stat unreadable (cgroup gone): each process is asked, figures unchanged', () => {
    const { fake, cg, both } = setup();
    cg.statUnreadable = true;
    fake.reads.length = 0;
    const [a, b] = both();
    assert.deepEqual(a, b);
    assert.equal(fake.reads.filter((r) => r.endsWith('/schedstat')).length, 6);
  });

  test('a cgroup that cannot be opened: each process is asked, and no open is tried again', () => {
    const fake = new FakeProcFs();
    idleTree(fake);
    const cg = new FakeCgroupFs();
    let opens = 0;
    const files: ProcFiles = {
      open: () => {
        opens += 1;
        throw errno('ENOENT');
      },
      pread: (...a) => cg.pread(...a),
      close: (fd) => cg.close(fd),
      readdir: () => [],
    };
    const observer = new ProcTreeObserver(10, true, false, new CgroupActivity('/gone', files));
    const table = fakeTable(fake);
    for (let i = 0; i < 4; i++) observeTick(table, observer);
    fake.reads.length = 0;
    observeTick(table, observer);
    assert.equal(fake.reads.filter((r) => r.endsWith('/schedstat')).length, 3);
    assert.equal(opens, 1);
  });

  test('close() closes the kept-open cpu.stat descriptor', () => {
    const fake = new FakeProcFs();
    idleTree(fake);
    const cg = new FakeCgroupFs();
    const observer = new ProcTreeObserver(10, true, false, new CgroupActivity('/cg', cg));
    const table = fakeTable(fake);
    observeTick(table, observer);
    observeTick(table, observer);
    assert.equal(cg.openFds, 1, 'cpu.stat kept open, cgroup.procs closed');
    observer.close();
    assert.equal(cg.openFds, 0);
  });
});

describe('on real processes', () => {
  const openFds = (): number => fs.readdirSync('/proc/self/fd').length;

  test('a quiet observer agrees with a fresh full walk, through a fork and an exit', async () => {
    const fdsBefore = openFds();
    // Counts stat reads: a quiet tick makes none.
    const paths = new Map<number, string>();
    let statReadCount = 0;
    const files: ProcFiles = {
      ...realProcFiles,
      open: (path) => {
        const fd = realProcFiles.open(path);
        paths.set(fd, path);
        return fd;
      },
      pread: (fd, buf, offset, length, position) => {
        if (paths.get(fd)?.endsWith('/stat')) statReadCount += 1;
        return realProcFiles.pread(fd, buf, offset, length, position);
      },
    };
    // sh waits, forks a second sleep, waits again: the tree changes twice while observed.
    const child = spawn('/bin/sh', ['-c', 'sleep 0.4; sleep 0.4; sleep 1'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const pid = child.pid;
    assert.ok(pid !== undefined);
    const table = new ProcTable({ files });
    // Fresh full walks through a table of their own, so they never touch the quiet one's state.
    const freshTable = new ProcTable();
    const fresh = (): TreeObservation | null =>
      tick(freshTable, () => new ProcTreeObserver(pid, false, true).observe(freshTable));
    const quiet = new ProcTreeObserver(pid, false, true);
    let compared = 0;
    let quietTicks = 0;
    try {
      for (let i = 0; i < 25; i++) {
        await new Promise((r) => setTimeout(r, 40));
        const before = fresh();
        const stats = statReadCount;
        const q = tick(table, () => quiet.observe(table));
        if (statReadCount === stats) quietTicks += 1;
        const after = fresh();
        // Only where nothing happened around the quiet look can the three be compared.
        if (!before || !after || JSON.stringify(before) !== JSON.stringify(after)) continue;
        assert.ok(q);
        assert.deepEqual(q.keys, before.keys);
        assert.equal(q.processes, before.processes);
        assert.equal(q.threads, before.threads);
        assert.equal(q.cpuMs, before.cpuMs);
        assert.deepEqual(q.io, before.io);
        assert.equal(q.rssBytes, before.rssBytes);
        // A peak: never below what the kernel shows now (it may show less after a reclaim).
        assert.ok((q.hwm ?? 0) >= (before.hwm ?? 0));
        compared += 1;
      }
    } finally {
      child.kill('SIGKILL');
      table.close();
      freshTable.close();
    }
    assert.ok(compared >= 10, `only ${compared} comparable ticks`);
    assert.ok(quietTicks >= 5, `only ${quietTicks} quiet ticks`);
    await exited;
    assert.equal(openFds(), fdsBefore, 'every descriptor closed');
  });

  test('real descriptors: opened once, closed when the process is gone', async () => {
    const opened: string[] = [];
    const files: ProcFiles = {
      ...realProcFiles,
      open: (path) => {
        opened.push(path);
        return realProcFiles.open(path);
      },
    };
    const table = new ProcTable({ files });
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const pid = child.pid as number;
    const fdsBefore = openFds();
    const first = tick(table, () => table.read(pid));
    assert.ok(first);
    const afterOpen = opened.length;
    assert.equal(openFds(), fdsBefore + table.openDescriptors);
    for (let i = 0; i < 3; i++)
      assert.equal(
        tick(table, () => table.read(pid)),
        first,
      );
    assert.equal(opened.length, afterOpen, 'read again, not reopened');
    child.kill('SIGKILL');
    await exited; // reaped by Node: the pid may be reused now
    assert.equal(
      tick(table, () => table.read(pid)),
      null,
    );
    assert.equal(table.openDescriptors, 0);
    assert.equal(openFds(), fdsBefore);
  });
});
