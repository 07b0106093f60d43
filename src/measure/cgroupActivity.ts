/**
 * Whether anything in a node's cgroup2 has run, for the sampler (see procTree.ts). cpu.stat's
 * usage_usec is the CPU time of every process that ever ran in the cgroup: while it stands still,
 * no process of it ran, so none forked, exited, allocated or did I/O. One pread of a kept-open
 * descriptor answers for a whole tree, where asking each process costs a read per process.
 *
 * Two readings are only ever compared for the same tracked tree (a cgroup may be reused by a
 * later node). The cgroup answers only for its members: cgroup.procs says which processes are
 * (a command can fail to join it, or move itself out).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCgroup2Mount, parseCpuUsageUsec, parseOwnCgroup } from './cgroup';
import { parseChildrenBytes, preadWhole, procBuffer, type Pread } from './procfs';
import { realProcFiles, type ProcFiles } from './procTable';

const NOT_OPEN = -1;

export class CgroupActivity {
  private usageFd = NOT_OPEN;
  private unavailable = false;
  /** files.pread, callable on its own (files may be a class instance). */
  private readonly pread: Pread;

  constructor(
    /** The cgroup's directory. */
    readonly dir: string,
    private readonly files: ProcFiles = realProcFiles,
  ) {
    this.pread = (fd, buf, offset, length, position) =>
      files.pread(fd, buf, offset, length, position);
  }

  /** usage_usec of cpu.stat now; null when it cannot be read (no cgroup any more). */
  usageUsec(): number | null {
    if (this.usageFd === NOT_OPEN) {
      // Opened once: a cgroup that cannot be opened is not tried again every tick.
      if (this.unavailable) return null;
      try {
        this.usageFd = this.files.open(`${this.dir}/cpu.stat`);
      } catch {
        this.unavailable = true;
        return null;
      }
    }
    try {
      const length = preadWhole(this.usageFd, this.pread);
      return parseCpuUsageUsec(procBuffer.toString('latin1', 0, length));
    } catch {
      return null;
    }
  }

  /**
   * Whether every one of `pids` is in the cgroup now (cgroup.procs); false when it cannot be
   * read. Read rarely (once per walk that a quiet tick follows): opened and closed each time.
   */
  holdsAll(pids: readonly number[]): boolean {
    let fd: number;
    try {
      fd = this.files.open(`${this.dir}/cgroup.procs`);
    } catch {
      return false;
    }
    const members: number[] = [];
    try {
      // One pid per line: the same digits-and-whitespace format as a children file.
      parseChildrenBytes(procBuffer, preadWhole(fd, this.pread), members);
    } catch {
      return false;
    } finally {
      this.files.close(fd);
    }
    const inside = new Set(members);
    return pids.every((pid) => inside.has(pid));
  }

  /** Closes the kept-open descriptor. */
  close(): void {
    if (this.usageFd === NOT_OPEN) return;
    try {
      this.files.close(this.usageFd);
    } catch {
      // gone either way
    }
    this.usageFd = NOT_OPEN;
  }
}

/** The cgroup2 directory a live process is in; null when unknown (no cgroup2, or gone). */
export function cgroupDirOf(pid: number): string | null {
  try {
    const mount = parseCgroup2Mount(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
    const own = parseOwnCgroup(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    return mount && own ? path.join(mount, own) : null;
  } catch {
    return null;
  }
}
