/**
 * cgroup2, where this process may write to it: one cgroup per node holds every process of its
 * tree (setsid and double forks included, which a process group and even the reaper's parent
 * links can lose), so the runner can kill them all and read their exact CPU time (cpu.stat is
 * kept without the cpu controller). Memory and I/O need controllers we do not assume.
 *
 * Layout: <our cgroup>/workflow-profiler/run-<PID>-<STARTTICKS>/node-<N>. The run level names its
 * runner, so the next run can remove what a dead runner left (sweepDeadRuns).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownerIsDead, ownerTag, parseOwner } from './owner';

/** Set (to anything but 0) to run without cgroups, as where none is writable. */
export const NO_CGROUP_ENV = 'WORKFLOW_PROFILER_NO_CGROUP';
const BASE_NAME = 'workflow-profiler';
const RUN_PREFIX = 'run-';

/** Mount point of the cgroup2 hierarchy in /proc/self/mountinfo text, or null. */
export function parseCgroup2Mount(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0 || !line.slice(sep + 3).startsWith('cgroup2 ')) continue;
    const mountPoint = line.slice(0, sep).split(' ')[4];
    // mountinfo escapes space, tab, newline and backslash as octal.
    if (mountPoint)
      return mountPoint.replace(/\\([0-7]{3})/g, (_m, o: string) =>
        String.fromCharCode(parseInt(o, 8)),
      );
  }
  return null;
}

/** Our cgroup2 path (`0::/path` in /proc/self/cgroup), or null. */
export function parseOwnCgroup(text: string): string | null {
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() || '/' : null;
}

/** CPU microseconds of a cgroup's cpu.stat (usage_usec), or null when absent. */
export function parseCpuUsageUsec(text: string): number | null {
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) : null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The writable folder per-run cgroups go in, created if need be; null (with why) when cgroup2
 * is not mounted, not writable by us, or turned off.
 */
export function cgroupBase(): { dir: string | null; why: string } {
  if (process.platform !== 'linux') return { dir: null, why: 'not Linux' };
  const off = process.env[NO_CGROUP_ENV];
  if (off && off !== '0') return { dir: null, why: `turned off by ${NO_CGROUP_ENV}` };
  const mount = parseCgroup2Mount(readText('/proc/self/mountinfo') ?? '');
  const own = parseOwnCgroup(readText('/proc/self/cgroup') ?? '');
  if (!mount || !own) return { dir: null, why: 'no cgroup2 hierarchy' };
  const dir = path.join(mount, own, BASE_NAME);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(path.join(dir, 'cgroup.procs'), fs.constants.W_OK);
    return { dir, why: '' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { dir: null, why: `cgroup2 at ${path.join(mount, own)} is not writable (${code})` };
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number): void => void Atomics.wait(pause, 0, 0, ms);

function pidsOf(dir: string): number[] {
  const text = readText(path.join(dir, 'cgroup.procs')) ?? '';
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(Number);
}

function populated(dir: string): boolean {
  const events = readText(path.join(dir, 'cgroup.events'));
  if (events === null) return pidsOf(dir).length > 0;
  return /^populated 1$/m.test(events);
}

/**
 * Kills every process of the cgroup and its children, and waits (up to `waitMs`) until none is
 * left. Synchronous: it also runs from process.on('exit'). True when the cgroup is empty.
 */
export function killCgroup(dir: string, waitMs = 2000): boolean {
  // No existence check first: a missing cgroup reads as unpopulated, one syscall less per node.
  const deadline = Date.now() + waitMs;
  let useKillFile = true;
  for (;;) {
    if (!populated(dir)) return true;
    if (useKillFile) {
      try {
        fs.writeFileSync(path.join(dir, 'cgroup.kill'), '1');
      } catch {
        useKillFile = false; // before Linux 5.14: signal each pid, again until none is left
      }
    }
    if (!useKillFile) for (const pid of allPids(dir)) signalKill(pid);
    if (Date.now() >= deadline) return !populated(dir);
    sleepSync(5);
  }
}

function allPids(dir: string): number[] {
  const out = pidsOf(dir);
  for (const child of subdirs(dir)) out.push(...allPids(child));
  return out;
}

function signalKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** Removes an emptied cgroup and its children (rmdir only: cgroup files cannot be unlinked). */
export function removeCgroup(dir: string): boolean {
  for (const child of subdirs(dir)) removeCgroup(child);
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** CPU time (µs) of everything that ever ran in the cgroup (cumulative), or null when unreadable. */
export function cgroupUsageUsec(dir: string): number | null {
  return parseCpuUsageUsec(readText(path.join(dir, 'cpu.stat')) ?? '');
}

/** This runner's cgroup for one run, made under `base`. */
export function makeRunCgroup(base: string): string | null {
  const dir = path.join(base, `${RUN_PREFIX}${ownerTag()}-${Date.now()}`);
  try {
    fs.mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

/** Kills and removes the run cgroups under `base` whose runner is dead; returns their names. */
export function sweepDeadRuns(base: string): string[] {
  const swept: string[] = [];
  for (const dir of subdirs(base)) {
    const owner = parseOwner(path.basename(dir), RUN_PREFIX);
    if (!owner || !ownerIsDead(owner)) continue;
    killCgroup(dir, 500);
    if (removeCgroup(dir)) swept.push(path.basename(dir));
  }
  return swept;
}
