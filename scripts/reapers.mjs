// Builds the static native reaper for each platform package. Static, so one binary runs on any
// distribution of its architecture (glibc or musl, any version); cross-compiled, so one Linux
// machine of either architecture builds all three.
//
//   node scripts/reapers.mjs TARGET OUT_FILE     builds one (the tests use it for a foreign binary)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Every target that carries a reaper: its compiler, the Debian package that provides it, and the
 * ELF machine (e_machine) its binary must have. The universal package has none.
 */
export const REAPER_TARGETS = {
  'linux-x64': { cc: 'x86_64-linux-gnu-gcc', debs: ['gcc'], machine: 62, arch: 'x86_64' },
  'linux-arm64': {
    cc: 'aarch64-linux-gnu-gcc',
    // The cross libc's static archive is only a recommendation of the compiler package.
    debs: ['gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross'],
    machine: 183,
    arch: 'aarch64',
  },
  // musl-gcc wraps the host's gcc: it builds for the host's architecture only.
  'alpine-x64': { cc: 'musl-gcc', debs: ['musl-tools'], machine: 62, arch: 'x86_64', host: 'x64' },
};

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' }).status === 0;
}

/** Compiles native/reaper.c for `target` into `outFile` (mode 755); throws saying what to install. */
export function buildReaper(target, outFile) {
  const t = REAPER_TARGETS[target];
  if (!t) throw new Error(`no reaper for target ${target}; known: ${Object.keys(REAPER_TARGETS)}`);
  if (t.host && process.arch !== t.host) {
    throw new Error(
      `the ${target} reaper is built with ${t.cc}, which targets the host: build it on ${t.host}`,
    );
  }
  if (!hasCommand(t.cc)) {
    throw new Error(
      `${t.cc} is missing, needed for the ${target} reaper: apt-get install ${t.debs.join(' ')}`,
    );
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  try {
    // -s: no symbols, a third of the size; -Werror: a warning on any target is a bug on one.
    execFileSync(
      t.cc,
      [
        '-O2',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-static',
        '-s',
        '-o',
        tmp,
        path.join(root, 'native/reaper.c'),
      ],
      { stdio: ['ignore', 'inherit', 'pipe'] },
    );
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const said = err.stderr ? String(err.stderr).trim() : err.message;
    const hint = /cannot find -lc|stdio\.h/.test(said)
      ? ` (apt-get install ${t.debs.join(' ')})`
      : '';
    throw new Error(`${t.cc} could not build the ${target} reaper${hint}:\n${said}`);
  }
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, outFile);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const [target, out] = process.argv.slice(2);
  if (!target || !out) {
    console.error('usage: node scripts/reapers.mjs TARGET OUT_FILE');
    process.exit(2);
  }
  try {
    buildReaper(target, path.resolve(out));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
