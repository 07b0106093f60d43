/**
 * The runner's own hold on every process tree it started, independent of the reaper: if a
 * reaper is SIGKILLed, its tree is re-parented to init and the reaper's kill-on-exit never
 * happens. Each node gets a cgroup2 where one is writable (every descendant inside, whatever it
 * does), else the reaper's process group (setsid children escape it). Everything left is killed
 * at node end, on cancel, and when the runner exits.
 *
 * A node's cgroup is reused by a later node once it was seen empty after the kill: mkdir and
 * rmdir of a cgroup cost the runner about 0.4 ms per node. cpu.stat is cumulative, so a reused
 * cgroup's CPU is the difference from the reading taken when it was last emptied.
 */
import {
  cgroupBase,
  cgroupUsageUsec,
  killCgroup,
  makeRunCgroup,
  removeCgroup,
  sweepDeadRuns,
} from './cgroup';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sweepDeadResultDirs } from './reaper';
import type { ContainmentInfo } from '../model/run';

export type ContainmentMechanism = ContainmentInfo['mechanism'];

export interface NodeContainer {
  /** The node's cgroup, for the reaper's --cgroup; null under process groups. */
  readonly cgroupDir: string | null;
  /** The process group holding the tree (the reaper's pid: it is started as a group leader). */
  setProcessGroup(pgid: number): void;
  /**
   * Kills whatever is left of the tree and lets it go. Returns the tree's CPU time from the
   * cgroup (exact, kernel-reaped children included), or null without one. Idempotent.
   */
  end(): { cgroupCpuMs: number | null };
}

function killGroup(pgid: number | null): void {
  if (pgid === null || process.platform === 'win32') return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // the group is empty already
  }
}

/** A node cgroup between two nodes: empty, with cpu.stat's usage when it was emptied. */
interface IdleCgroup {
  dir: string;
  usageUsec: number;
}

class Container implements NodeContainer {
  private pgid: number | null = null;
  private result: { cgroupCpuMs: number | null } | null = null;
  /**
   * @param usedUsec cpu.stat's usage_usec before this node (0 for a new cgroup).
   * @param onEnd told the cgroup is reusable (empty, with its usage now) or not (null).
   */
  constructor(
    readonly cgroupDir: string | null,
    private readonly usedUsec: number,
    private readonly onEnd: (c: Container, idle: IdleCgroup | null) => void,
  ) {}

  setProcessGroup(pgid: number): void {
    this.pgid = pgid;
  }

  end(): { cgroupCpuMs: number | null } {
    if (this.result) return this.result;
    killGroup(this.pgid);
    let cpu: number | null = null;
    let idle: IdleCgroup | null = null;
    if (this.cgroupDir) {
      // CPU is read once the cgroup is empty, so nothing is still adding to it.
      const usage = killCgroup(this.cgroupDir) ? cgroupUsageUsec(this.cgroupDir) : null;
      if (usage !== null) {
        cpu = (usage - this.usedUsec) / 1000;
        idle = { dir: this.cgroupDir, usageUsec: usage };
      } else removeCgroup(this.cgroupDir);
    }
    this.result = { cgroupCpuMs: cpu };
    this.onEnd(this, idle);
    return this.result;
  }
}

export class TreeContainment {
  private runDir: string | null | undefined;
  private why = '';
  private counter = 0;
  private readonly live = new Set<Container>();
  /** Emptied node cgroups, for the next nodes (removed with the run's cgroup). */
  private readonly idle: IdleCgroup[] = [];
  private readonly onExit = (): void => this.dispose();
  private listening = false;
  /** Whether nodes of this run got cgroups: still known after dispose. */
  private usedCgroup = false;

  /** Which mechanism nodes get; decided (and the run's cgroup made) on first use. */
  info(): ContainmentInfo {
    this.ensureRunDir();
    return this.usedCgroup
      ? {
          mechanism: 'cgroup',
          detail:
            'one cgroup2 per running node (reused once emptied), killed with cgroup.kill at its end',
        }
      : {
          mechanism: 'process-group',
          detail: `the reaper's process group, killed at node end (no cgroup: ${this.why}; setsid children can escape)`,
        };
  }

  private ensureRunDir(): string | null {
    if (this.runDir !== undefined) return this.runDir;
    const base = cgroupBase();
    this.why = base.why;
    this.runDir = base.dir ? makeRunCgroup(base.dir) : null;
    if (base.dir && !this.runDir) this.why = 'could not create the run’s cgroup';
    this.usedCgroup = this.runDir !== null;
    if (this.runDir) this.listen();
    return this.runDir;
  }

  private listen(): void {
    if (this.listening) return;
    // The runner's last chance: whatever it started dies with it, and its cgroup goes.
    process.on('exit', this.onExit);
    this.listening = true;
  }

  /** A container for one node's tree; the run's cgroup is made on the first. */
  node(): NodeContainer {
    const runDir = this.ensureRunDir();
    const reused = runDir ? this.idle.pop() : undefined;
    let dir: string | null = reused?.dir ?? null;
    if (runDir && !reused) {
      this.counter += 1;
      const candidate = path.join(runDir, `node-${this.counter}`);
      try {
        fs.mkdirSync(candidate);
        dir = candidate;
      } catch {
        dir = null; // this node falls back to its process group
      }
    }
    const container = new Container(dir, reused?.usageUsec ?? 0, (c, idle) => {
      this.live.delete(c);
      if (!idle) return;
      // After dispose() the run's cgroup is gone or going: nothing is kept for later.
      if (this.runDir) this.idle.push(idle);
      else removeCgroup(idle.dir);
    });
    this.live.add(container);
    this.listen();
    return container;
  }

  /** Kills every tree still held and removes the run's cgroup. */
  dispose(): void {
    const runDir = this.runDir;
    // Decided for good: info() after the run still says what was used, and makes nothing.
    this.runDir = null;
    for (const c of [...this.live]) c.end();
    this.idle.length = 0;
    if (runDir) removeCgroup(runDir);
    if (this.listening) process.removeListener('exit', this.onExit);
    this.listening = false;
  }
}

/**
 * Removes what dead runners left: temporary reaper folders and per-run cgroups (a SIGKILLed
 * runner cannot clean up). Called at a run's start; returns what was removed.
 */
export function sweepLeftovers(): string[] {
  const swept = sweepDeadResultDirs();
  const base = cgroupBase();
  if (base.dir) swept.push(...sweepDeadRuns(base.dir));
  return swept;
}
