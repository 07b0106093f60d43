/** Running commands and reading a live process's CPU time. */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { nowMs } from './stats';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, on the bench's monotonic clock. */
  wallMs: number;
}

/** Runs a command to its end, capturing its output; never rejects on a non-zero exit. */
export function runCommand(
  file: string,
  args: readonly string[],
  opts: SpawnOptions = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, wallMs: nowMs() - start }),
    );
  });
}

/** Throws with the command's output when it did not exit 0. */
export function mustSucceed(what: string, ran: Ran): Ran {
  if (ran.code !== 0) {
    const tail = (ran.stderr || ran.stdout).trim().split('\n').slice(-8).join('\n');
    throw new Error(
      `${what} failed (${ran.signal ?? `exit code ${ran.code ?? '?'}`}):\n${tail || '(no output)'}`,
    );
  }
  return ran;
}

/** First line of `file args` output, or null when it cannot run. */
export function firstLine(file: string, args: string[]): string | null {
  const r = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return null;
  return (r.stdout || r.stderr).split('\n')[0]?.trim() || null;
}

/** Single-quotes a word for /bin/sh. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const CLK_TCK = 100;

/**
 * CPU time a live process has used so far (all its threads, not its children), in ms.
 * From the scheduler's nanosecond runtime of every thread (/proc/PID/task/TID/schedstat) where the
 * kernel has it, else from /proc/PID/stat utime + stime (10 ms ticks). Null once it is gone.
 */
export function processCpuMs(pid: number): { ms: number; source: 'schedstat' | 'stat' } | null {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      ns += Number(text.split(' ')[0]);
    }
    if (Number.isFinite(ns)) return { ms: ns / 1e6, source: 'schedstat' };
  } catch {
    // no schedstat (or a thread ended mid-read): fall back to stat
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ms: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK, source: 'stat' };
  } catch {
    return null;
  }
}
