/**
 * A real VS Code for the editor cases: code-server 4.100.3 installed on first use, the extension
 * staged as it ships, and runs of the editor tests' own runner (scripts/vscode/run-tests.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mustSucceed, runCommand, type Ran } from './proc';
import { CaseNotRun, type CaseContext } from './types';

/** The last lines of a run's output, for an error message. */
export const tail = (r: Ran): string =>
  (r.stdout + r.stderr).trim().split('\n').slice(-12).join('\n') || '(no output)';

/** One run of scripts/vscode/run-tests.mjs; throws CaseNotRun for setup failures. */
export async function runEditorTests(
  ctx: CaseContext,
  args: string[],
  env: Record<string, string>,
  what: string,
  timeoutS = 240,
): Promise<Ran> {
  const r = await runCommand(
    process.execPath,
    [
      path.join(ctx.repoRoot, 'scripts', 'vscode', 'run-tests.mjs'),
      '--timeout',
      String(timeoutS),
      ...args,
    ],
    { cwd: ctx.repoRoot, env: { ...process.env, ...env } },
  );
  if (r.code === 2 && /SETUP FAILED/.test(r.stderr))
    throw new CaseNotRun(`VS Code could not be set up:\n${tail(r)}`);
  return mustSucceed(what, r);
}

/** Installs VS Code if needed and stages the extension; its folder and its id. */
export async function prepareEditor(ctx: CaseContext): Promise<{ staged: string; id: string }> {
  ctx.log('checking for VS Code (code-server; the first install takes about a minute)');
  const install = await runCommand(
    process.execPath,
    [path.join(ctx.repoRoot, 'scripts', 'vscode', 'install-code-server.mjs')],
    { cwd: ctx.repoRoot },
  );
  if (install.code !== 0)
    throw new CaseNotRun(`VS Code (code-server) could not be installed:\n${tail(install)}`);
  const staged = mustSucceed(
    'stage-extension',
    await runCommand(process.execPath, [
      path.join(ctx.repoRoot, 'scripts', 'vscode', 'stage-extension.mjs'),
      path.join(ctx.workDir, 'extension'),
    ]),
  ).stdout.trim();
  const pkg = JSON.parse(fs.readFileSync(path.join(staged, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return { staged, id: `${pkg.publisher}.${pkg.name}` };
}

/** The JSON a probe test entry printed after `tag` on a line of its own. */
export function probeOutput<T>(r: Ran, tag: string, what: string): T {
  const line = r.stdout.split('\n').find((l) => l.startsWith(tag));
  if (!line) throw new Error(`the probe printed nothing for ${what}:\n${tail(r)}`);
  return JSON.parse(line.slice(tag.length)) as T;
}

/** Writes a plain CommonJS test entry (what run-tests' `--tests` takes); its path. */
export function writeProbe(ctx: CaseContext, name: string, source: string): string {
  const file = path.join(ctx.workDir, name, 'index.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, source);
  return file;
}
