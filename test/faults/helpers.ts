/** Shared by the fault tests: a tmpfs mount (tests run as root in CI), stack-trace checks. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliResult } from '../helpers/cli';

/**
 * Mounts a tmpfs of `size` (e.g. `2m`) on a new temp folder, runs `body`, unmounts. A machine
 * that refuses the mount fails the test saying so: the behaviour under test needs a small disk.
 */
export async function withTmpfs(
  size: string,
  body: (dir: string) => Promise<void>,
  opts: { readOnly?: boolean } = {},
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-tmpfs-'));
  const options = `size=${size}${opts.readOnly ? ',ro' : ''}`;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    assert.fail(
      `this test needs to mount a ${size} tmpfs (as root: mount -t tmpfs -o ${options}); the mount was refused: ${String((err as { stderr?: unknown }).stderr ?? err)}`,
    );
  }
  try {
    await body(dir);
  } finally {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** No JavaScript stack frame anywhere in what the CLI printed. */
export function assertNoStack(r: CliResult): void {
  const all = `${r.stdout}\n${r.stderr}`;
  assert.doesNotMatch(all, /^\s+at .+(\(|:\d+:\d+)/m, `a stack trace was printed:\n${all}`);
}

/** Exactly one line on stderr, and no stack trace. */
export function assertOneLine(r: CliResult): void {
  assertNoStack(r);
  // A usage error may add the one hint line that names the command's --help.
  const lines = r.stderr
    .split('\n')
    .filter(
      (l) => l.trim() !== '' && !/^Run 'workflow-profiler [a-z ]*--help' for usage\.$/.test(l),
    );
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${r.stderr}`);
}

/** Every file under `dir` (relative path → bytes). */
export function snapshotFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), fs.readFileSync(file));
  }
  return out;
}
