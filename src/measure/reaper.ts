/**
 * The native reaper (native/reaper.c, built to dist/wp-reaper): where it is, how to call it, and
 * its result file, parsed and validated into numbers.
 *
 * Why native and not a small Node wrapper: a process's ru_maxrss starts from the high-water mark
 * of the memory image it was forked from (Linux carries it across fork and exec). A child forked
 * by a 540 MB Node process reported 504 MB of peak memory while its own VmHWM was 40 MB. The
 * reaper is a few hundred kB, so its children's ru_maxrss is theirs. It also costs about 1.5 ms
 * per spawn, where a Node wrapper costs 40 ms and 40 MB.
 *
 * What it gives that sampling cannot: as a child subreaper it reaps every process of the tree
 * (orphans are re-parented to it), so getrusage(RUSAGE_CHILDREN) and /proc/self/io at its end
 * hold the exact CPU time, context switches, largest high-water mark and I/O of the whole tree,
 * including processes that lived between two samples. It also kills the whole tree on cancel or
 * when the runner dies.
 */
import type { ProcIo } from './procfs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ownerIsDead, ownerTag, parseOwner } from './owner';

export const REAPER_NAME = 'wp-reaper';
/** TERM to KILL grace the reaper gives the tree on cancel. */
export const DEFAULT_GRACE_MS = 500;

/** The reaper's argv for running `file args...`. */
export function reaperArgs(
  resultFile: string,
  file: string,
  args: string[],
  graceMs = DEFAULT_GRACE_MS,
  cgroupDir: string | null = null,
): string[] {
  return [
    '--result',
    resultFile,
    '--grace-ms',
    String(Math.round(graceMs)),
    ...(cgroupDir ? ['--cgroup', cgroupDir] : []),
    '--',
    file,
    ...args,
  ];
}

let resultDir: string | null = null;
let resultCounter = 0;

const RESULT_DIR_PREFIX = 'wp-reaper-';

/**
 * A fresh path for one reaper's result, in a private directory removed when we exit. Its name
 * carries our pid and start time: if we are SIGKILLed, the next run removes it
 * (sweepDeadResultDirs).
 */
export function newResultFile(): string {
  if (!resultDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${RESULT_DIR_PREFIX}${ownerTag()}-`));
    resultDir = dir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  resultCounter += 1;
  return path.join(resultDir, `${resultCounter}.json`);
}

/** Removes the result directories of dead processes from the temporary folder; returns their names. */
export function sweepDeadResultDirs(tmp = os.tmpdir()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const name of names) {
    const owner = parseOwner(name, RESULT_DIR_PREFIX);
    if (!owner || !ownerIsDead(owner)) continue;
    try {
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
      swept.push(name);
    } catch {
      // another user's, or going meanwhile: not ours to insist on
    }
  }
  return swept;
}

/** Deltas of /proc/self/io over the tree's life: the reaper's own reads are subtracted. */
export type ReaperIo = ProcIo;

export interface ReaperResult {
  /** Pid of the main process (the command). */
  pid: number;
  /** Exit code of the main process, or null when a signal killed it. */
  exitCode: number | null;
  /** Signal number that killed the main process, or null. */
  signal: number | null;
  /** errno of a failed exec (e.g. 2 = ENOENT), or null when the command started. */
  execErrno: number | null;
  /** CLOCK_MONOTONIC nanoseconds: before fork, and when the main process was reaped. */
  startNs: number;
  endNs: number;
  /** When the whole tree was reaped. */
  reaperEndNs: number;
  cpuUserUs: number;
  cpuSysUs: number;
  /** Largest high-water mark of any single process of the tree (ru_maxrss), bytes. */
  maxRssBytes: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  /** Null when /proc/self/io was unreadable (kernel without task I/O accounting). */
  io: ReaperIo | null;
  /** Processes the reaper itself reaped: its child and every orphan re-parented to it. */
  processesReaped: number;
  /** Descendants still alive when the main process exited, killed. */
  straysKilled: number;
  cancelled: boolean;
  /** Signal that asked the reaper to cancel (SIGTERM, SIGINT, SIGHUP = its parent died), or null. */
  cancelSignal: number | null;
  /** errno of a failed join of the --cgroup directory, or null (joined, or none asked). */
  cgroupErrno: number | null;
}

type Json = Record<string, unknown>;

function count(obj: Json, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`reaper result: "${key}" is not a non-negative number`);
  }
  return v;
}

/** Parses the reaper's JSON, throwing on anything malformed (a truncated file, a new version). */
export function parseReaperResult(text: string): ReaperResult {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('reaper result: not an object');
  }
  const obj = raw as Json;
  if (obj['version'] !== 1)
    throw new Error(`reaper result: unknown version ${String(obj['version'])}`);
  const exitCode = obj['exitCode'];
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) {
    throw new Error('reaper result: "exitCode" is not an integer');
  }
  let io: ReaperIo | null = null;
  const rawIo = obj['io'];
  if (rawIo !== null) {
    if (typeof rawIo !== 'object' || rawIo === undefined || Array.isArray(rawIo)) {
      throw new Error('reaper result: "io" is neither an object nor null');
    }
    const o = rawIo as Json;
    io = {
      rchar: count(o, 'rchar'),
      wchar: count(o, 'wchar'),
      syscr: count(o, 'syscr'),
      syscw: count(o, 'syscw'),
      readBytes: count(o, 'readBytes'),
      writeBytes: count(o, 'writeBytes'),
      cancelledWriteBytes: count(o, 'cancelledWriteBytes'),
    };
  }
  if (typeof obj['cancelled'] !== 'boolean') throw new Error('reaper result: "cancelled" missing');
  const signal = count(obj, 'signal');
  const execErrno = count(obj, 'execErrno');
  const cancelSignal = count(obj, 'cancelSignal');
  // Absent from results of reapers built before --cgroup existed.
  const cgroupErrno = obj['cgroupErrno'] === undefined ? 0 : count(obj, 'cgroupErrno');
  const result: ReaperResult = {
    pid: count(obj, 'pid'),
    exitCode: exitCode >= 0 ? exitCode : null,
    signal: signal > 0 ? signal : null,
    execErrno: execErrno > 0 ? execErrno : null,
    startNs: count(obj, 'startNs'),
    endNs: count(obj, 'endNs'),
    reaperEndNs: count(obj, 'reaperEndNs'),
    cpuUserUs: count(obj, 'cpuUserUs'),
    cpuSysUs: count(obj, 'cpuSysUs'),
    maxRssBytes: count(obj, 'maxRssKb') * 1024,
    voluntaryCtxSwitches: count(obj, 'voluntaryCtxSwitches'),
    involuntaryCtxSwitches: count(obj, 'involuntaryCtxSwitches'),
    io,
    processesReaped: count(obj, 'processesReaped'),
    straysKilled: count(obj, 'straysKilled'),
    cancelled: obj['cancelled'],
    cancelSignal: cancelSignal > 0 ? cancelSignal : null,
    cgroupErrno: cgroupErrno > 0 ? cgroupErrno : null,
  };
  if (result.endNs < result.startNs) throw new Error('reaper result: ends before it starts');
  return result;
}

/**
 * Reads and deletes a result file. Null when there is none (the reaper was SIGKILLed, or could not
 * write) or it is malformed: the caller then falls back to sampled values.
 */
export function takeReaperResult(file: string): ReaperOutcome {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { result: null, problem: 'the reaper left no result file' };
  } finally {
    fs.rmSync(file, { force: true });
  }
  return reaperResultOf(text);
}

export interface ReaperOutcome {
  result: ReaperResult | null;
  problem: string | null;
}

/** The result the spawn helper forwarded (null: the reaper sent none), parsed like a file's. */
export function reaperResultOf(text: string | null): ReaperOutcome {
  if (text === null) return { result: null, problem: 'the reaper sent no result' };
  try {
    return { result: parseReaperResult(text), problem: null };
  } catch (err) {
    return { result: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

const signalNames = new Map<number, string>(
  Object.entries(os.constants.signals).map(([name, num]) => [num, name]),
);
const errnoNames = new Map<number, string>(
  Object.entries(os.constants.errno).map(([name, num]) => [num, name]),
);

export function signalName(signal: number): string {
  return signalNames.get(signal) ?? `SIG${signal}`;
}

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

/**
 * Converts the reaper's CLOCK_MONOTONIC nanoseconds to runtime/clock.ts's monoMs(). Both come
 * from CLOCK_MONOTONIC (libuv's hrtime); only the origin differs, measured here each time.
 */
export function monoNsToMonoMs(ns: number, nowMonoMs: number, nowHrtimeNs: bigint): number {
  return ns / 1e6 - (Number(nowHrtimeNs) / 1e6 - nowMonoMs);
}
