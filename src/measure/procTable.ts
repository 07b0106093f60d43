/**
 * Kept-open /proc descriptors of the processes the collector samples. Opening, reading and
 * closing a /proc file costs 20 to 28 µs; reading a descriptor kept open again at offset 0
 * (pread) about a third of that. Each process gets its descriptors when first seen; they are
 * closed once a tick no longer sees it.
 *
 * Pid reuse: a /proc/PID descriptor belongs to the process, not to the number (it pins the
 * kernel's struct pid): once that process is reaped, reads fail with ESRCH, and a later process
 * given the same pid is never seen through it. Any failed stat read drops the entry, and the pid
 * is opened afresh. The start time in stat is also checked against the one recorded at open,
 * so a stale descriptor can never be taken for a new process even if that kernel rule changed.
 *
 * Quiet processes: /proc/PID/schedstat holds a thread's run time in ns and how often it was
 * scheduled in. When neither moved since a process's last full read, it has not run, so nothing
 * it alone changes (CPU time, I/O, threads, children, state) can have changed: unchanged() says
 * so for one cheap read instead of three (see procTree.ts for how the collector uses it). A full
 * read() of such a process keeps its last stat and io (its children are read again: orphans are
 * re-parented to a subreaper without it running).
 *
 * Threads: a multi-threaded process lists its children per forking thread and its run-queue wait
 * per thread. Its threads are listed once per tick, and each thread's children and schedstat
 * files are kept open too, so a busy process with threads costs reads, not opens and closes.
 */
import * as fs from 'node:fs';
import {
  childrenFileSupported,
  parentMap,
  parseChildrenBytes,
  parseIoBytes,
  parseSchedstatWaitNs,
  parseStatBytes,
  parseStatmResident,
  parseStatus,
  preadWhole,
  procBuffer,
  processKey,
  schedstatSupported,
  type Pread,
  type ProcIo,
  type ProcStat,
} from './procfs';

/** The file operations the table uses: the real ones, or fakes in tests. */
export interface ProcFiles {
  open(path: string): number;
  pread: Pread;
  close(fd: number): void;
  readdir(path: string): string[];
}

export const realProcFiles: ProcFiles = {
  open: (path) => fs.openSync(path, 'r'),
  pread: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  close: (fd) => fs.closeSync(fd),
  readdir: (path) => fs.readdirSync(path),
};

/** A descriptor not open: the file is then read by path, as without the table. */
const NOT_OPEN = -1;

/** One process as the table knows it. */
export interface ProcEntry {
  readonly pid: number;
  readonly startTicks: number;
  /** processKey of the process, made once. */
  readonly key: string;
  /** Its stat at its last full read(). */
  readonly stat: ProcStat;
}

/** A schedstat line ("ns-on-cpu ns-waiting times-scheduled") is far shorter. */
const SCHEDSTAT_MAX = 96;

/** Kept-open files of one thread other than the leader (whose are the process's own). */
interface ThreadFds {
  childrenFd: number;
  schedFd: number;
}

interface Entry extends ProcEntry {
  stat: ProcStat;
  statFd: number;
  ioFd: number;
  childrenFd: number;
  schedFd: number;
  statmFd: number;
  /** Opened on first use: only some processes need VmHWM. */
  statusFd: number;
  /** schedstat as read just before the last full read's stat; length -1 when none. */
  sched: Buffer;
  schedLength: number;
  seenTick: number;
  /** io since the last full read that was not skipped (undefined: not read since). */
  lastIo: ProcIo | null | undefined;
  /** The stat and io were re-read at this tick's read() (else the process had not run). */
  fresh: boolean;
  /** Thread ids (as /proc/PID/task lists them) at tidsTick; null until listed. */
  tids: string[] | null;
  tidsTick: number;
  /** When the threads were last listed (readdir), not taken from the last listing. */
  listedTick: number;
  /** Other threads' kept-open files, by thread id; null until needed. */
  threadFds: Map<string, ThreadFds> | null;
  /** The pid as a thread id (the leader's task directory). */
  leaderTid: string;
}

export interface ProcTableOptions {
  files?: ProcFiles;
  /** Most descriptors kept open at once; beyond it processes are read by path. */
  maxOpen?: number;
  /** Whether /proc/PID/task/TID/children exists (CONFIG_PROC_CHILDREN); tests may force it. */
  childrenFiles?: boolean;
  /** Whether /proc/PID/schedstat counts; without it no process is ever taken as unchanged. */
  schedstat?: boolean;
}

/** Whether procBuffer starts with the first `length` bytes of `saved`. */
function sameBytes(saved: Buffer, length: number): boolean {
  for (let i = 0; i < length; i++) if (saved[i] !== procBuffer[i]) return false;
  return true;
}

/** Descriptors a process can take: stat, io, children, schedstat, statm, status. */
const FDS_PER_PROCESS = 6;

/**
 * A quarter of the soft RLIMIT_NOFILE, at most 4096: the runner needs descriptors for pipes and
 * logs too, and each open /proc file keeps a page of kernel memory for its next read.
 */
export function defaultDescriptorBudget(): number {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'latin1');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft !== undefined) return Math.min(4096, Math.floor(Number(soft) / 4));
  } catch {
    // keep the small default
  }
  return 256;
}

export class ProcTable {
  private readonly files: ProcFiles;
  /** files.pread, callable on its own (files may be a class instance). */
  private readonly pread: Pread;
  private readonly maxOpen: number;
  private readonly childrenFiles: boolean;
  private readonly schedstat: boolean;
  private readonly entries = new Map<number, Entry>();
  private tick = 0;
  private open = 0;
  /** The schedstat unchanged() last read into procBuffer and found moved (see read). */
  private schedJustRead: { entry: Entry; length: number } | null = null;
  /** Without children files: every process's parent, scanned at most once per tick. */
  private parents: Map<number, number[]> | null = null;

  constructor(options: ProcTableOptions = {}) {
    const files = options.files ?? realProcFiles;
    this.files = files;
    // Called for every file of every process on every tick: fs.readSync itself when real.
    this.pread =
      files === realProcFiles
        ? fs.readSync
        : (fd, buf, offset, length, position) => files.pread(fd, buf, offset, length, position);
    this.maxOpen = options.maxOpen ?? defaultDescriptorBudget();
    this.childrenFiles = options.childrenFiles ?? childrenFileSupported();
    this.schedstat = options.schedstat ?? schedstatSupported();
  }

  /** Descriptors open now. */
  get openDescriptors(): number {
    return this.open;
  }

  /** Starts a tick: processes not read again before endTick() are forgotten then. */
  beginTick(): void {
    this.tick += 1;
    this.parents = null;
  }

  /** Closes the descriptors of every process this tick did not read (exited, or untracked). */
  endTick(): void {
    for (const entry of this.entries.values()) if (entry.seenTick !== this.tick) this.drop(entry);
    this.parents = null;
  }

  /** Closes everything. */
  close(): void {
    for (const entry of this.entries.values()) this.drop(entry);
  }

  /** A full read: the process's stat, through its descriptor; null when it is gone. */
  read(pid: number): ProcEntry | null {
    const known = this.entries.get(pid);
    if (known) {
      // Not run since its last full read: its stat and io are what they were (see unchanged).
      if (this.unchanged(known)) {
        known.fresh = false;
        return known;
      }
      // Before stat: whatever the process does after this read shows as a change next time.
      // (Only single-threaded processes can be found unchanged: spare the others the read.)
      // unchanged() may just have read it, still in procBuffer: kept, not read again.
      if (known.stat.threads === 1) this.snapshotSched(known, this.schedJustRead?.entry === known);
      else known.schedLength = -1;
      const stat = this.readStat(pid, known.statFd);
      if (stat && stat.startTicks === known.startTicks) {
        known.stat = stat;
        known.seenTick = this.tick;
        known.fresh = true;
        known.lastIo = undefined;
        return known;
      }
      // Gone, or another process now has the pid: never read it through these descriptors.
      this.drop(known);
    }
    return this.add(pid);
  }

  /**
   * Whether the process has not run since its last full read(), and is still known to the table
   * (not dropped as gone): it was single-threaded and not running then (schedstat is its one
   * thread's, and a thread running through a tickless period may not update it), and its
   * schedstat is the same now. Keeps its descriptors open for this tick when so.
   */
  unchanged(entry: ProcEntry): boolean {
    const e = entry as Entry;
    this.schedJustRead = null;
    if (this.entries.get(e.pid) !== e || e.schedLength < 0 || e.schedFd === NOT_OPEN) return false;
    if (e.stat.threads !== 1 || e.stat.state === 'R') return false;
    const length = this.readFile(e.schedFd, e.pid, null);
    if (length !== e.schedLength || !sameBytes(e.sched, length)) {
      if (length !== null) this.schedJustRead = { entry: e, length };
      return false;
    }
    e.seenTick = this.tick;
    return true;
  }

  /**
   * Keeps a known process's descriptors open for this tick without reading anything, for a
   * caller that knows otherwise it has not run (its cgroup's CPU time stood still); false when
   * the table no longer knows it.
   */
  retain(entry: ProcEntry): boolean {
    const e = entry as Entry;
    if (this.entries.get(e.pid) !== e) return false;
    e.seenTick = this.tick;
    return true;
  }

  /**
   * Nanoseconds the process's threads have waited on a run queue, runnable with no CPU free
   * (schedstat's run_delay), summed over its live threads; null when unreadable or when the
   * kernel keeps no scheduler statistics. schedstat is per thread: a single-threaded process's
   * is the snapshot read() took just before its stat (no extra read); every thread of another
   * is read through /proc/PID/task. Threads that already exited took their wait with them.
   */
  runQueueWaitNs(entry: ProcEntry): number | null {
    const e = entry as Entry;
    if (!this.schedstat) return null;
    if (e.stat.threads <= 1) {
      if (e.schedLength >= 0) return parseSchedstatWaitNs(e.sched, e.schedLength);
      const length = this.readFile(e.schedFd, e.pid, 'schedstat');
      return length === null ? null : parseSchedstatWaitNs(procBuffer, length);
    }
    for (let relist = false; ; relist = true) {
      const tids = this.taskIds(e, relist);
      if (tids === null) return null; // gone
      let sum: number | null = null;
      let ok = true;
      for (const tid of tids) {
        const fd = tid === e.leaderTid ? e.schedFd : this.threadFds(e, tid).schedFd;
        const length = this.readFile(fd, e.pid, `task/${tid}/schedstat`);
        const ns = length === null ? null : parseSchedstatWaitNs(procBuffer, length);
        if (ns !== null) sum = (sum ?? 0) + ns;
        else ok = false;
      }
      if (ok || e.listedTick === this.tick) return sum;
    }
  }

  /** Resident pages now (/proc/PID/statm: exact, see parseStatmResident); null when gone. */
  residentPages(entry: ProcEntry): number | null {
    const e = entry as Entry;
    const length = this.readFile(e.statmFd, e.pid, 'statm');
    return length === null ? null : parseStatmResident(procBuffer, length);
  }

  /** /proc/PID/io: null when unreadable (another user's process, a zombie, gone). */
  io(entry: ProcEntry): ProcIo | null {
    const e = entry as Entry;
    if (!e.fresh && e.lastIo !== undefined) return e.lastIo;
    const length = this.readFile(e.ioFd, e.pid, 'io');
    e.lastIo = length === null ? null : parseIoBytes(procBuffer, length);
    return e.lastIo;
  }

  /** VmHWM from /proc/PID/status, bytes; null when unreadable (e.g. a zombie). */
  vmHwm(entry: ProcEntry): number | null {
    const e = entry as Entry;
    if (e.statusFd === NOT_OPEN && e.statFd !== NOT_OPEN) {
      const fd = this.openChecked(e, 'status');
      if (fd === null) return null; // not the same process any more
      e.statusFd = fd;
    }
    const length = this.readFile(e.statusFd, e.pid, 'status');
    if (length === null) return null;
    return parseStatus(procBuffer.toString('latin1', 0, length)).vmHwmBytes;
  }

  /**
   * Appends the process's direct children to `out`; false when a list could not be read. A live
   * single-threaded process forked them all from its one thread, whose children file is kept
   * open; otherwise every thread's file is read (children are listed per forking thread).
   */
  children(entry: ProcEntry, out: number[]): boolean {
    const e = entry as Entry;
    const zombie = e.stat.state === 'Z' || e.stat.state === 'X';
    if (!this.childrenFiles) {
      this.parents ??= parentMap();
      for (const child of this.parents.get(e.pid) ?? []) out.push(child);
      return true;
    }
    // A zombie's children went to a new parent when it exited. A zombie leader with threads
    // left (counted in threads besides itself) handed its children to one of them.
    if (zombie && e.stat.threads <= 1) return true;
    if (!zombie && e.stat.threads === 1) return this.readChildren(e.childrenFd, e.pid, e.pid, out);
    const start = out.length;
    for (let relist = false; ; relist = true) {
      const tids = this.taskIds(e, relist);
      if (tids === null) return false; // gone
      let ok = true;
      for (const tid of tids) {
        const fd = tid === e.leaderTid ? e.childrenFd : this.threadFds(e, tid).childrenFd;
        // A thread may exit after the listing: its children move to another thread, read too.
        if (!this.readChildren(fd, e.pid, tid, out)) ok = false;
      }
      if (ok || e.listedTick === this.tick) return ok;
      out.length = start; // a kept listing out of date: list the threads again
    }
  }

  /**
   * The process's threads; null when it is gone. The last listing is used again while stat
   * counts as many threads (unless `relist`): a thread that exited meanwhile, replaced by a new
   * one, fails its read, and the caller lists them again (so no thread is missed).
   */
  private taskIds(e: Entry, relist: boolean): string[] | null {
    if (!relist && e.tids !== null) {
      if (e.tidsTick === this.tick || e.tids.length === e.stat.threads) {
        e.tidsTick = this.tick;
        return e.tids;
      }
    }
    let tids: string[];
    try {
      tids = this.files.readdir(`/proc/${e.pid}/task`);
    } catch {
      return null;
    }
    e.tids = tids;
    e.tidsTick = this.tick;
    e.listedTick = this.tick;
    // Threads gone since the last listing: their files are closed.
    if (e.threadFds && e.threadFds.size > 0) {
      const listed = new Set(tids);
      for (const [tid, fds] of e.threadFds) {
        if (listed.has(tid)) continue;
        this.closeFd(fds.childrenFd);
        this.closeFd(fds.schedFd);
        e.threadFds.delete(tid);
      }
    }
    return tids;
  }

  /**
   * A thread's kept-open children and schedstat files, opened on first use and checked as
   * openChecked does; NOT_OPEN ones are read by path (over the budget, or not the same process).
   */
  private threadFds(e: Entry, tid: string): ThreadFds {
    e.threadFds ??= new Map();
    let fds = e.threadFds.get(tid);
    if (!fds) {
      const open = (file: string, wanted: boolean): number =>
        wanted && e.statFd !== NOT_OPEN
          ? (this.openChecked(e, `task/${tid}/${file}`) ?? NOT_OPEN)
          : NOT_OPEN;
      fds = {
        childrenFd: open('children', this.childrenFiles),
        schedFd: open('schedstat', this.schedstat),
      };
      e.threadFds.set(tid, fds);
    }
    return fds;
  }

  private readChildren(fd: number, pid: number, tid: number | string, out: number[]): boolean {
    const length = this.readFile(fd, pid, fd === NOT_OPEN ? `task/${tid}/children` : null);
    if (length === null) return false;
    parseChildrenBytes(procBuffer, length, out);
    return true;
  }

  /**
   * Opens a newly seen process. Every descriptor is opened before stat is read through the
   * first one: if that read succeeds, the process was alive the whole time, so every path
   * opened meanwhile named it and no other.
   */
  private add(pid: number): Entry | null {
    const cached = this.open + FDS_PER_PROCESS <= this.maxOpen;
    const open = (name: string, wanted = true): number =>
      cached && wanted ? this.tryOpen(`/proc/${pid}/${name}`) : NOT_OPEN;
    const statFd = open('stat');
    if (cached && statFd === NOT_OPEN) return null; // gone
    const entry: Entry = {
      pid,
      startTicks: 0,
      key: '',
      stat: null as unknown as ProcStat, // set below, or the entry is dropped
      statFd,
      ioFd: open('io'),
      childrenFd: open(`task/${pid}/children`, this.childrenFiles),
      schedFd: open('schedstat', this.schedstat),
      statmFd: open('statm'),
      statusFd: NOT_OPEN,
      sched: Buffer.alloc(SCHEDSTAT_MAX),
      schedLength: -1,
      seenTick: this.tick,
      lastIo: undefined,
      fresh: true,
      tids: null,
      tidsTick: 0,
      listedTick: 0,
      threadFds: null,
      leaderTid: String(pid),
    };
    this.snapshotSched(entry);
    const stat = this.readStat(pid, statFd);
    if (!stat) {
      this.closeFds(entry);
      return null;
    }
    const made: Entry = { ...entry, stat, startTicks: stat.startTicks, key: processKey(stat) };
    this.entries.set(pid, made);
    return made;
  }

  /**
   * Keeps schedstat as it is now, for unchanged(); none when it cannot be read. `inBuffer`: it
   * was read into procBuffer just now, and nothing since.
   */
  private snapshotSched(e: Entry, inBuffer = false): void {
    const read = inBuffer ? (this.schedJustRead?.length ?? null) : null;
    this.schedJustRead = null;
    e.schedLength = -1;
    if (e.schedFd === NOT_OPEN) return;
    const length = read ?? this.readFile(e.schedFd, e.pid, null);
    if (length === null || length > SCHEDSTAT_MAX) return;
    procBuffer.copy(e.sched, 0, 0, length);
    e.schedLength = length;
  }

  /**
   * Opens /proc/PID/<name> for a known process, then checks through its stat descriptor that it
   * is still that process (see add). NOT_OPEN when the file cannot be opened (or the budget is
   * spent), null when the process is not the same any more.
   */
  private openChecked(e: Entry, name: string): number | null {
    if (this.open >= this.maxOpen) return NOT_OPEN;
    const fd = this.tryOpen(`/proc/${e.pid}/${name}`);
    if (fd === NOT_OPEN) return NOT_OPEN;
    const stat = this.readStat(e.pid, e.statFd);
    if (stat && stat.startTicks === e.startTicks) return fd;
    this.closeFd(fd);
    return null;
  }

  private readStat(pid: number, fd: number): ProcStat | null {
    const length = this.readFile(fd, pid, 'stat');
    return length === null ? null : parseStatBytes(pid, procBuffer, length);
  }

  /**
   * Reads a file into procBuffer through fd, or when fd is not open by its path /proc/PID/<name>
   * (not at all when name is null): its length, or null. The path is only made when needed:
   * this runs for every process on every tick.
   */
  private readFile(fd: number, pid: number, name: string | null): number | null {
    if (fd !== NOT_OPEN) {
      try {
        return preadWhole(fd, this.pread);
      } catch {
        return null; // ESRCH: the process is gone; EACCES: no longer ours to read
      }
    }
    if (name === null) return null;
    const opened = this.tryOpen(`/proc/${pid}/${name}`, false);
    if (opened === NOT_OPEN) return null;
    try {
      return preadWhole(opened, this.pread);
    } catch {
      return null;
    } finally {
      this.closeFd(opened, false);
    }
  }

  private tryOpen(path: string, kept = true): number {
    try {
      const fd = this.files.open(path);
      if (kept) this.open += 1;
      return fd;
    } catch {
      return NOT_OPEN; // gone, not ours (io of a setuid process), or out of descriptors
    }
  }

  private closeFd(fd: number, kept = true): void {
    if (fd === NOT_OPEN) return;
    if (kept) this.open -= 1;
    try {
      this.files.close(fd);
    } catch {
      // nothing to do: the descriptor is gone either way
    }
  }

  private closeFds(e: Entry): void {
    for (const fd of [e.statFd, e.ioFd, e.childrenFd, e.schedFd, e.statmFd, e.statusFd]) {
      this.closeFd(fd);
    }
    e.statFd = e.ioFd = e.childrenFd = e.schedFd = e.statmFd = e.statusFd = NOT_OPEN;
    for (const fds of e.threadFds?.values() ?? []) {
      this.closeFd(fds.childrenFd);
      this.closeFd(fds.schedFd);
    }
    e.threadFds = null;
  }

  private drop(e: Entry): void {
    this.closeFds(e);
    this.entries.delete(e.pid);
  }
}
