/**
 * Is the process that writes a run still alive? A run left `running` by a runner that crashed
 * or was killed would otherwise stay "running" forever (a weakness of the original).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { readStat } from '../measure/procfs';
import type { RunRecord } from '../model/run';

export type RunnerState = 'alive' | 'dead' | 'unknown';

/**
 * - another host: 'unknown' (its pids mean nothing here, e.g. a store on a shared disk);
 * - Linux: /proc/PID/stat gone, a zombie, or a different start time (the pid was reused by
 *   another process) is 'dead';
 * - elsewhere: signal 0 tells whether the pid exists (EPERM: exists, owned by someone else).
 *   A reused pid looks alive there; that only delays the `interrupted` verdict.
 */
export function runnerState(runner: RunRecord['runner']): RunnerState {
  if (runner.host !== os.hostname()) return 'unknown';
  const pid = runner.pid;
  // pid 0 and negatives address process groups with kill(); never probe them.
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'unknown';
  if (hasProcfs()) {
    const stat = readStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return 'dead';
    if (runner.startedAtTicks !== null && stat.startTicks !== runner.startedAtTicks) return 'dead';
    return 'alive';
  }
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'dead';
    return code === 'EPERM' ? 'alive' : 'unknown';
  }
}

let procfs: boolean | null = null;
function hasProcfs(): boolean {
  procfs ??= process.platform === 'linux' && fs.existsSync('/proc/self/stat');
  return procfs;
}
