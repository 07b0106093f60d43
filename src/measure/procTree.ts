/**
 * One node's process tree seen through /proc, once per tick (procfs and reaper modes).
 *
 * A full walk reads, for every process from the root down, stat (CPU, state, threads), statm
 * (resident memory), io and the children list. Parents are read before their children, and the
 * reaper before everything: a child reaped between two reads is then missed once (its CPU moved
 * into its parent's cutime after the parent was read), never counted twice.
 *
 * Most trees are quiet most of the time (a reaper waiting, a shell waiting, a command blocked on
 * I/O or a timer). When no process of the tree has run since its last full read (schedstat, see
 * procTable.ts), nothing that needs a process to run can have changed anywhere in the tree: its
 * CPU times, I/O, threads, states and children lists. New processes only come from a fork, and
 * orphans only from an exit, both run by a process of the tree. Only resident memory can change
 * while nothing runs (reclaim, another process writing into it): that is read again, from the
 * small statm file. So a quiet tick costs two small reads per process instead of four, and
 * gives the figures a full walk would. A walk that could not read everything it listed (a process
 * gone meanwhile, or out of descriptors) is never the base of a quiet tick: the next one walks.
 *
 * With the node's cgroup (reaper mode with cgroup2), one read answers for the whole tree: when
 * the cgroup's CPU time has not moved since the last tick's reading, taken before that tick's
 * walk or check, none of its processes ran since (cgroupActivity.ts), and only statm is read
 * again. This holds for the walk's processes only if all were in the cgroup (checked once, on
 * cgroup.procs) and none was a zombie: the reaper, outside the cgroup, may reap one later
 * without anything inside running. The reaper itself acts only on a signal or a child's exit,
 * which the cgroup sees. The kernel adds a running task's time at scheduler ticks and when it
 * sleeps, forks or exits: a process woken under one scheduler tick before the read, that has
 * done none of these yet, shows at the next tick (its memory is read anyway; its CPU and I/O
 * counters are cumulative, so only that one interval's rate is late). When it moved, the tree
 * is walked at once; otherwise, and without a cgroup, each process is asked as above.
 */
import { addIo, readIo, systemConstants, zeroIo, type ProcIo } from './procfs';
import type { ProcEntry, ProcTable } from './procTable';
import type { CgroupActivity } from './cgroupActivity';

/** One look at a tree. CPU and I/O are cumulative since tracking began. */
export interface TreeObservation {
  processes: number;
  /** Process identities seen, or null when the sampler sees the root only. */
  keys: string[] | null;
  rssBytes: number;
  threads: number | null;
  cpuMs: number;
  io: ProcIo | null;
  /** Largest VmHWM of any process read, or null where none was. */
  hwm: number | null;
  /**
   * A process of the tree ignores SIGCHLD and has children: the kernel reaps them, so their
   * CPU, I/O and context switches never reach a wait4 rusage (absent: not known).
   */
  kernelReaping?: boolean;
  /**
   * Each live or zombie process's run-queue wait so far (key, ns), from its threads' schedstat;
   * absent where the kernel keeps none. Quiet ticks hand the last walk's back: nothing ran.
   */
  runQueueWaits?: readonly (readonly [string, number])[];
}

/** A process of the last full walk, as needed to answer quiet ticks. */
interface Member {
  entry: ProcEntry;
  /** Live and below the reaper: its memory counts. */
  counted: boolean;
  /** Its VmHWM is wanted (see the constructor), and what it was; null when unread. */
  hwmBytes: number | null;
}

/** What a full walk adds up, process by process. */
interface Walk {
  members: Member[];
  cpuTicks: number;
  io: ProcIo;
  ioOk: boolean;
  rssPages: number;
  threads: number;
  /** Keys of the live processes below the reaper. */
  keys: string[];
  /** Every process listed was read, with its children. */
  complete: boolean;
  /** A process below the reaper was a zombie (see the file's comment). */
  zombies: boolean;
  /** See TreeObservation.kernelReaping. */
  kernelReaping: boolean;
  /** See TreeObservation.runQueueWaits; empty when none could be read. */
  runQueueWaits: [string, number][];
}

export class ProcTreeObserver {
  /** The reaper's own /proc/PID/io when tracking began, subtracted from its later readings. */
  readonly reaperIoBase: ProcIo | null;
  /** The last full walk and what it gave; null before the first or when it found nothing. */
  private last: { walk: Walk; obs: TreeObservation } | null = null;
  /** The cgroup's usage_usec at the last observe(), before anything else was read. */
  private lastUsageUsec: number | null = null;
  /** Whether the last walk's live processes are all in the cgroup; null until asked. */
  private walkInCgroup: boolean | null = null;

  /**
   * @param hwmOfAll read VmHWM of every process (without the reaper); otherwise only of those
   *   whose parent ignores SIGCHLD: the kernel reaps them itself, so their ru_maxrss never
   *   reaches the reaper's, which holds every other process's high-water mark exactly.
   */
  constructor(
    readonly rootPid: number,
    readonly rootIsReaper: boolean,
    private readonly hwmOfAll: boolean,
    /** The node's cgroup, when its command runs in one (see the file's comment). */
    private readonly cgroup: CgroupActivity | null = null,
  ) {
    this.reaperIoBase = rootIsReaper ? readIo(rootPid) : null;
  }

  /** The tree now; null when it has no live process (not started yet, or over). */
  observe(table: ProcTable): TreeObservation | null {
    // First: whatever runs from here on moves the next tick's reading.
    const usage = this.cgroup?.usageUsec() ?? null;
    const before = this.lastUsageUsec;
    this.lastUsageUsec = usage;
    // The cgroup's time moved: something of the tree ran, and asking each process would only
    // find which (the walk re-reads only those that ran, schedstat telling).
    const ran = usage !== null && before !== null && usage !== before;
    if (this.last?.walk.complete && !ran) {
      const still = usage !== null && usage === before && this.cgroupHolds(this.last.walk);
      const quiet = this.quietObservation(table, this.last.walk, this.last.obs, still);
      if (quiet) return quiet;
    }
    const walk = this.walk(table);
    const obs = observation(walk);
    this.last = obs ? { walk, obs } : null;
    this.walkInCgroup = null;
    return obs;
  }

  /** Closes the cgroup's kept-open descriptor. */
  close(): void {
    this.cgroup?.close();
  }

  /** Whether the cgroup answers for every process of the walk (see the file's comment). */
  private cgroupHolds(walk: Walk): boolean {
    if (!this.cgroup || walk.zombies) return false;
    this.walkInCgroup ??= this.cgroup.holdsAll(
      walk.members.flatMap((m) => (m.counted ? [m.entry.pid] : [])),
    );
    return this.walkInCgroup;
  }

  /**
   * The last observation with memory read again, when no process of the last walk has run
   * since; null when one has (or is gone), and a full walk is needed. `still`: the cgroup says
   * none ran, so no process is asked.
   */
  private quietObservation(
    table: ProcTable,
    walk: Walk,
    last: TreeObservation,
    still: boolean,
  ): TreeObservation | null {
    const { pageSizeBytes } = systemConstants();
    let rssPages = 0;
    let hwm: number | null = null;
    // Leaves first: when something runs, it is most often a leaf, and the check ends there.
    for (let i = walk.members.length - 1; i >= 0; i--) {
      const m = walk.members[i] as Member;
      if (!(still ? table.retain(m.entry) : table.unchanged(m.entry))) return null;
      if (!m.counted) continue;
      const pages = table.residentPages(m.entry);
      if (pages === null) return null; // gone after all
      rssPages += pages;
      // VmHWM is the larger of the kernel's mark, moved only by the process itself, and rss.
      if (m.hwmBytes !== null) {
        m.hwmBytes = Math.max(m.hwmBytes, pages * pageSizeBytes);
        hwm = Math.max(hwm ?? 0, m.hwmBytes);
      }
    }
    // The collector folds an observation in at once and keeps none: this one can be updated.
    last.rssBytes = rssPages * pageSizeBytes;
    last.hwm = hwm;
    return last;
  }

  private walk(table: ProcTable): Walk {
    const walk: Walk = {
      members: [],
      cpuTicks: 0,
      io: zeroIo(),
      ioOk: true,
      rssPages: 0,
      threads: 0,
      keys: [],
      complete: true,
      zombies: false,
      kernelReaping: false,
      runQueueWaits: [],
    };
    const queue: number[] = [];
    /** Per queue item: its parent ignores SIGCHLD (see the constructor). */
    const kernelReaped: boolean[] = [];
    if (this.rootIsReaper) this.addReaper(table, walk, queue);
    else queue.push(this.rootPid);
    const listed = new Set<number>();
    for (let i = 0; i < queue.length; i++) {
      const pid = queue[i] as number;
      if (listed.has(pid)) continue; // listed twice: re-parented between two listings
      listed.add(pid);
      const entry = table.read(pid);
      if (!entry) {
        walk.complete = false; // exited since the listing, most likely
        continue;
      }
      const before = queue.length;
      if (!table.children(entry, queue)) walk.complete = false;
      for (let k = before; k < queue.length; k++) kernelReaped[k] = entry.stat.ignoresSigchld;
      if (entry.stat.ignoresSigchld && queue.length > before) walk.kernelReaping = true;
      addProcess(table, entry, walk, this.hwmOfAll || kernelReaped[i] === true);
    }
    return walk;
  }

  /** The reaper itself: children it already reaped are in its cutime/cstime and its io. */
  private addReaper(table: ProcTable, walk: Walk, queue: number[]): void {
    const reaper = table.read(this.rootPid);
    if (!reaper) {
      walk.ioOk = false;
      return;
    }
    walk.members.push({ entry: reaper, counted: false, hwmBytes: null });
    walk.cpuTicks += reaper.stat.cutimeTicks + reaper.stat.cstimeTicks;
    const reaperIo = table.io(reaper);
    if (reaperIo && this.reaperIoBase) {
      addIo(walk.io, reaperIo);
      addIo(walk.io, this.reaperIoBase, -1);
    } else walk.ioOk = false;
    if (!table.children(reaper, queue)) walk.complete = false;
  }
}

/** One process of the tree: its stat was read, its children listed. */
function addProcess(table: ProcTable, entry: ProcEntry, walk: Walk, wantsHwm: boolean): void {
  const stat = entry.stat;
  walk.cpuTicks += stat.utimeTicks + stat.stimeTicks + stat.cutimeTicks + stat.cstimeTicks;
  const zombie = stat.state === 'Z' || stat.state === 'X';
  if (zombie) walk.zombies = true;
  // A zombie's wait still counts: it is the process's final figure, gone once it is reaped.
  const waitNs = table.runQueueWaitNs(entry);
  if (waitNs !== null) walk.runQueueWaits.push([entry.key, waitNs]);
  const pio = table.io(entry);
  if (pio) addIo(walk.io, pio);
  else if (!zombie) walk.ioOk = false;
  walk.members.push({
    entry,
    counted: !zombie,
    hwmBytes: wantsHwm && !zombie ? table.vmHwm(entry) : null,
  });
  if (zombie) return; // dead: its CPU counts until reaped, its memory and threads are gone
  // statm, as on quiet ticks: it sums the kernel's per-CPU counters, where stat's rss reads
  // their approximate total (tens of pages off).
  walk.rssPages += table.residentPages(entry) ?? stat.rssPages;
  walk.threads += stat.threads;
  walk.keys.push(entry.key);
}

function observation(walk: Walk): TreeObservation | null {
  if (walk.keys.length === 0) return null; // not started yet, or over: nothing to show
  const { clockTicksPerSecond, pageSizeBytes } = systemConstants();
  let hwm: number | null = null;
  for (const m of walk.members) if (m.hwmBytes !== null) hwm = Math.max(hwm ?? 0, m.hwmBytes);
  return {
    processes: walk.keys.length,
    keys: walk.keys,
    rssBytes: walk.rssPages * pageSizeBytes,
    threads: walk.threads,
    cpuMs: (walk.cpuTicks * 1000) / clockTicksPerSecond,
    io: walk.ioOk ? walk.io : null,
    hwm,
    kernelReaping: walk.kernelReaping,
    ...(walk.runQueueWaits.length > 0 ? { runQueueWaits: walk.runQueueWaits } : {}),
  };
}
