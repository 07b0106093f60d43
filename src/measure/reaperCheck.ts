/**
 * Finds the native reaper and proves it works before a run's first node, so a reaper that cannot
 * run never fails a node: the run falls back to sampling and says why.
 *
 * What can go wrong once the extension is installed from a package: the universal package has no
 * reaper; a package for another architecture was installed (the kernel refuses the binary with
 * ENOEXEC, or an emulator runs it and we would measure the emulator); the file lost its executable
 * bit; the binary is from an older build whose result format we cannot read. Each of these is
 * caught here, once per runner process (a few milliseconds: the reaper runs itself with
 * --version, a one-process tree with a result file).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distDir } from './assets';
import { machineName, machineOfArch, readElf } from './elf';
import { newResultFile, REAPER_NAME, takeReaperResult } from './reaper';

/** Set by tests or packagers to use a reaper from elsewhere. */
export const REAPER_ENV = 'WORKFLOW_PROFILER_REAPER';
/** Written by scripts/package.mjs beside the bundle: which package this is. */
const TARGET_FILE = 'target.json';
/** The self-test is one tiny process; anything slower is a reaper we do not want to depend on. */
const SELF_TEST_TIMEOUT_MS = 5000;

export interface ReaperCheck {
  /** The reaper that passed its self-test, or null when nodes must be measured by sampling. */
  path: string | null;
  /** What it printed for --version, e.g. "wp-reaper 1 x86_64 glibc". */
  version: string | null;
  /** Why there is no usable reaper, in a sentence a person can act on; null when there is one. */
  reason: string | null;
}

const unusable = (reason: string): ReaperCheck => ({ path: null, version: null, reason });

/** Which package the bundle came from ("linux-x64", "universal"), or null in a development build. */
function packageTarget(dir: string): string | null {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(dir, TARGET_FILE), 'utf8'));
    const target = (raw as { target?: unknown } | null)?.target;
    return typeof target === 'string' ? target : null;
  } catch {
    return null;
  }
}

/** Where the reaper is expected, and what to say when it is not there. */
function locate(): { file: string; missing: string } | { file: null; missing: string } {
  const fromEnv = process.env[REAPER_ENV];
  if (fromEnv) {
    return {
      file: fs.existsSync(fromEnv) ? fromEnv : null,
      missing: `${REAPER_ENV} names ${fromEnv}, which does not exist`,
    };
  }
  const dist = distDir();
  const target = packageTarget(dist);
  const candidates = [path.join(dist, REAPER_NAME)];
  // Compiled tests run from out/src/measure/ while dist/ may hold only the reaper. Never in an
  // installed package: three folders up from it is the user's, not ours.
  if (target === null) candidates.push(path.resolve(__dirname, '../../../dist', REAPER_NAME));
  const missing =
    target === 'universal'
      ? 'this is the universal package, which carries no native reaper (the linux-x64, linux-arm64 and alpine-x64 packages do)'
      : target !== null
        ? `the ${target} package has no ${REAPER_NAME} in ${dist}: it was removed or the package is damaged`
        : `${REAPER_NAME} is not built (npm run build compiles native/reaper.c)`;
  return { file: candidates.find((c) => fs.existsSync(c)) ?? null, missing };
}

function errorText(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOEXEC') return 'the kernel cannot execute it (ENOEXEC: not for this machine)';
  if (code === 'ETIMEDOUT') return `it did not finish within ${SELF_TEST_TIMEOUT_MS} ms`;
  return code ? `${code}: ${err.message}` : err.message;
}

/**
 * Checks one reaper binary: an ELF for this machine, executable, and able to run a one-process
 * tree (itself with --version) and write a result this runner can read.
 */
export function testReaperBinary(file: string): ReaperCheck {
  let elf;
  try {
    elf = readElf(file);
  } catch (err) {
    return unusable(`${file} cannot be read: ${(err as Error).message}`);
  }
  if (!elf) return unusable(`${file} is not an ELF executable`);
  const expected = machineOfArch(process.arch);
  if (expected !== null && elf.machine !== expected) {
    return unusable(
      `${file} is built for ${machineName(elf.machine)} (ELF machine ${elf.machine}), this machine is ${machineName(expected)} (${process.arch})`,
    );
  }
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    return unusable(`${file} is not executable (its executable bit is missing)`);
  }
  const resultFile = newResultFile();
  const ran = spawnSync(file, ['--result', resultFile, '--', file, '--version'], {
    encoding: 'utf8',
    timeout: SELF_TEST_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { result, problem } = takeReaperResult(resultFile);
  const failed = (why: string): ReaperCheck => unusable(`the self-test of ${file} failed: ${why}`);
  if (ran.error) return failed(errorText(ran.error));
  if (ran.status !== 0) {
    const said = ran.stderr.trim().split('\n')[0] ?? '';
    return failed(
      `it exited with ${ran.status ?? `signal ${ran.signal ?? '?'}`}${said ? ` (${said})` : ''}`,
    );
  }
  const version = ran.stdout.trim().split('\n')[0] ?? '';
  if (!version.startsWith(`${REAPER_NAME} `)) {
    return failed(`--version printed "${version.slice(0, 80)}", not a ${REAPER_NAME} version`);
  }
  if (!result) return failed(problem ?? 'no result');
  if (result.exitCode !== 0 || result.processesReaped < 1) {
    return failed(
      `its result says exit ${String(result.exitCode)}, ${result.processesReaped} reaped`,
    );
  }
  return { path: file, version, reason: null };
}

function check(): ReaperCheck {
  if (process.platform !== 'linux') {
    return unusable(
      `the native reaper runs on Linux only; on ${process.platform} each node's root process is sampled with pidusage`,
    );
  }
  const { file, missing } = locate();
  return file === null ? unusable(missing) : testReaperBinary(file);
}

let cached: ReaperCheck | undefined;

/** The reaper this process measures with, checked once per process (the first call pays). */
export function checkReaper(): ReaperCheck {
  cached ??= check();
  return cached;
}

/** Absolute path of a reaper that passed its self-test, or null. */
export function reaperPath(): string | null {
  return checkReaper().path;
}
