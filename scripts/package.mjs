// `npm run package`: one .vsix per platform target into packages/ (git-ignored).
//
//   linux-x64, linux-arm64, alpine-x64   the bundle and a static reaper for that architecture
//   universal                            the bundle only: the runner samples (pidusage, /proc)
//
// Each target is packaged from a staging copy of the repository whose dist/ holds the production
// bundle, that target's reaper and target.json (which package this is, for the runner's fallback
// message). The copy leaves out only what is generated or large and never packaged; what goes
// into a package is decided by .vscodeignore alone, as in the repository. Packaging on Linux keeps
// the reaper's executable bit in the zip.
//
//   node scripts/package.mjs [--target T ...] [--keep-stage]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildReaper, REAPER_TARGETS } from './reapers.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'packages');
const stageRoot = path.join(outDir, '.stage');
export const TARGETS = [...Object.keys(REAPER_TARGETS), 'universal'];

/** Never packaged, and generated or large: not worth copying into a stage. */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  'packages',
  'out',
  'dist',
  'test-results',
  '.vscode-test',
  '.workflow-runs',
  'bench/.cache',
]);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${output}`);
  return output;
}

function parseArgs(argv) {
  const targets = [];
  let keepStage = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target') targets.push(argv[++i]);
    else if (argv[i] === '--keep-stage') keepStage = true;
    else
      fail(
        `unknown argument ${argv[i]}; usage: node scripts/package.mjs [--target T ...] [--keep-stage]`,
      );
  }
  for (const t of targets)
    if (!TARGETS.includes(t)) fail(`unknown target ${t}; targets: ${TARGETS.join(', ')}`);
  return { targets: targets.length > 0 ? targets : TARGETS, keepStage };
}

if (process.platform !== 'linux') {
  fail('packaging runs on Linux: the reaper must keep its executable bit inside the zip');
}
const { targets, keepStage } = parseArgs(process.argv.slice(2));
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsce = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')),
  'vsce',
);

fs.rmSync(stageRoot, { recursive: true, force: true });
fs.mkdirSync(stageRoot, { recursive: true });

// Reapers first: a missing cross-compiler should stop packaging before anything slow.
const reapers = new Map();
for (const target of targets) {
  if (!(target in REAPER_TARGETS)) continue;
  try {
    reapers.set(target, buildReaper(target, path.join(stageRoot, 'reapers', target, 'wp-reaper')));
  } catch (err) {
    fail(err.message);
  }
}

const bundle = path.join(stageRoot, 'bundle');
run(
  process.execPath,
  [path.join(root, 'esbuild.mjs'), '--production', '--no-reaper', '--outdir', bundle],
  root,
);

const built = [];
for (const target of targets) {
  const stage = path.join(stageRoot, target);
  // Entry by entry: the stage lies inside the repository, which cpSync will not copy whole.
  for (const entry of fs.readdirSync(root)) {
    if (NOT_COPIED.has(entry)) continue;
    fs.cpSync(path.join(root, entry), path.join(stage, entry), {
      recursive: true,
      filter: (src) => !NOT_COPIED.has(path.relative(root, src).split(path.sep).join('/')),
    });
  }
  fs.cpSync(bundle, path.join(stage, 'dist'), { recursive: true });
  const reaper = reapers.get(target);
  if (reaper) fs.copyFileSync(reaper, path.join(stage, 'dist', 'wp-reaper'));
  if (reaper) fs.chmodSync(path.join(stage, 'dist', 'wp-reaper'), 0o755);
  fs.writeFileSync(path.join(stage, 'dist', 'target.json'), `${JSON.stringify({ target })}\n`);

  const file = path.join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
  fs.rmSync(file, { force: true });
  // Dependencies are bundled into dist/: --no-dependencies keeps vsce from walking node_modules.
  const args = ['package', '--no-dependencies', '--out', file];
  if (target !== 'universal') args.push('--target', target);
  const said = run(process.execPath, [vsce, ...args], stage);
  // vsce goes on after a warning: here a warning fails the build, as the issue asks.
  if (/warning/i.test(said)) fail(`vsce warned while packaging ${target}:\n${said}`);
  process.stdout.write(said.replace(/^/gm, `  [${target}] `).replace(/\s*$/, '\n'));
  built.push({ target, file, bytes: fs.statSync(file).size });
}

if (!keepStage) fs.rmSync(stageRoot, { recursive: true, force: true });
for (const b of built) {
  console.log(`${path.relative(root, b.file)}  ${(b.bytes / 1024).toFixed(0)} KiB`);
}
