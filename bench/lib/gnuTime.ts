/**
 * GNU time (`/usr/bin/time -v`, Debian package `time`) as ground truth beside our own figures.
 * What it reports comes from wait4's rusage of the command, which covers every descendant the
 * command waited for:
 *  - CPU: user + system, printed in 10 ms steps (each truncated);
 *  - maximum resident set size: the LARGEST SINGLE process's high-water mark (ru_maxrss is a
 *    max over the children, not a sum), in KiB;
 *  - file system outputs: ru_oublock, 512-byte units of what reached the storage layer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mustSucceed, runCommand } from './proc';

export interface GnuTimeResult {
  cpuMs: number;
  maxRssBytes: number;
  writeBytes: number;
  wallMs: number;
  exitCode: number;
}

function field(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.trim().startsWith(`${name}:`));
  if (!line) throw new Error(`GNU time output has no "${name}"`);
  return line.slice(line.indexOf(`${name}:`) + name.length + 1).trim();
}

/** "h:mm:ss" or "m:ss.ss" as milliseconds. */
function elapsedMs(text: string): number {
  const parts = text.split(':').map(Number);
  let s = 0;
  for (const p of parts) s = s * 60 + p;
  return s * 1000;
}

export function parseGnuTime(text: string): GnuTimeResult {
  const num = (name: string): number => {
    const v = Number(field(text, name));
    if (!Number.isFinite(v)) throw new Error(`GNU time: "${name}" is not a number`);
    return v;
  };
  return {
    cpuMs: (num('User time (seconds)') + num('System time (seconds)')) * 1000,
    maxRssBytes: num('Maximum resident set size (kbytes)') * 1024,
    writeBytes: num('File system outputs') * 512,
    wallMs: elapsedMs(field(text, 'Elapsed (wall clock) time (h:mm:ss or m:ss)')),
    exitCode: num('Exit status'),
  };
}

/** Runs `/bin/sh -c command` under GNU time, exactly as a shell node runs it. */
export async function gnuTime(
  timeBin: string,
  command: string,
  workDir: string,
): Promise<GnuTimeResult> {
  const out = path.join(workDir, `gnu-time-${process.pid}-${Date.now()}.txt`);
  const ran = await runCommand(timeBin, ['-v', '-o', out, '/bin/sh', '-c', command]);
  mustSucceed(`GNU time running ${command}`, ran);
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(out, { force: true });
  return parseGnuTime(text);
}
