/**
 * Names of leftovers (temporary reaper folders, per-run cgroups) carry the pid and start time of
 * the process that made them, so the next run can tell a dead owner's leftovers from a live
 * runner's (a pid alone may have been reused), as src/store/runnerLiveness.ts does for runs.
 */
import { isAlive, readStat } from './procfs';

export interface Owner {
  pid: number;
  startTicks: number;
}

let own: string | null = null;

/** `PID-STARTTICKS` of this process; `PID-0` where /proc is not there. */
export function ownerTag(): string {
  own ??= `${process.pid}-${readStat(process.pid)?.startTicks ?? 0}`;
  return own;
}

/** The owner named by `PID-STARTTICKS` at the end of `name` (after `prefix`), or null. */
export function parseOwner(name: string, prefix: string): Owner | null {
  if (!name.startsWith(prefix)) return null;
  const m = /^(\d+)-(\d+)(?:-|$)/.exec(name.slice(prefix.length));
  if (!m) return null;
  const pid = Number(m[1]);
  const startTicks = Number(m[2]);
  return pid > 0 && Number.isSafeInteger(pid) ? { pid, startTicks } : null;
}

/**
 * Whether the owner is certainly dead. Without /proc nothing is certain (a start time of 0 means
 * it was not known): then only a pid that is gone counts as dead.
 */
export function ownerIsDead(owner: Owner): boolean {
  if (owner.pid === process.pid) return false;
  if (process.platform === 'linux' && owner.startTicks > 0)
    return !isAlive(owner.pid, owner.startTicks);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
