#!/usr/bin/env node
// Installs code-server 4.100.3 (which ships the VS Code 1.100.3 server and web workbench) into a
// cache folder of its own, following shared/notes/real-vscode-on-these-machines.md. It lives
// outside the project's node_modules because its own postinstall refuses root and downloads
// ripgrep from GitHub: as a devDependency it would break `npm ci` for everyone.
//
// Idempotent: the install is built in a staging folder beside the target and renamed into place
// only after every step passed and the marker was written, so a folder at the target path
// without the marker is a leftover of some other hand and is redone.
//
// Usage: node scripts/vscode/install-code-server.mjs [--force]
// Env:   WORKFLOW_PROFILER_VSCODE_CACHE  the install folder (default
//        $XDG_CACHE_HOME/workflow-profiler/code-server-4.100.3, or ~/.cache/... without it)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
const MARKER = '.workflow-profiler-install-complete';
// Bump when the steps change, so caches made by an older script are redone.
const RECIPE = 1;

export const RIPGREP = '/usr/bin/rg';
export const CHROMIUM = process.env.WORKFLOW_PROFILER_CHROMIUM || '/usr/bin/chromium';

/** Where the install lives; the env override names the folder itself, not its parent. */
export function installDir() {
  if (process.env.WORKFLOW_PROFILER_VSCODE_CACHE) {
    return path.resolve(process.env.WORKFLOW_PROFILER_VSCODE_CACHE);
  }
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'workflow-profiler', `code-server-${CODE_SERVER_VERSION}`);
}

/** The server's entry point inside an install folder. */
export function entryScript(dir = installDir()) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function markerContent() {
  return JSON.stringify({ codeServer: CODE_SERVER_VERSION, recipe: RECIPE, node: process.version });
}

export function isInstalled(dir = installDir()) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    // Native modules are built against one Node ABI: a different major needs a rebuild.
    const sameMajor = marker.node?.split('.')[0] === process.version.split('.')[0];
    return (
      marker.codeServer === CODE_SERVER_VERSION &&
      marker.recipe === RECIPE &&
      sameMajor &&
      fs.existsSync(entryScript(dir))
    );
  } catch {
    return false;
  }
}

/** A setup problem with a message meant for the user (what to install, what failed). */
export class InstallError extends Error {}

/** Fails with the exact Debian packages to install, before spending a minute on npm. */
export function checkSystemPrerequisites({ needBuildTools = true } = {}) {
  const missing = [];
  if (!fs.existsSync(RIPGREP)) missing.push(`${RIPGREP} (Debian package: ripgrep)`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian package: chromium)`);
  if (needBuildTools) {
    // node-gyp rebuilds spdlog, native-watchdog, @parcel/watcher and node-pty from source.
    for (const [bin, pkg] of [
      ['make', 'make'],
      ['g++', 'g++'],
      ['python3', 'python3'],
    ]) {
      if (!onPath(bin)) missing.push(`${bin} (Debian package: ${pkg})`);
    }
  }
  if (missing.length > 0) {
    throw new InstallError(
      [
        'Real-VS Code tests need these and they are missing:',
        ...missing.map((m) => `  - ${m}`),
        '',
        'Install them with:',
        '  apt-get update && apt-get install -y ripgrep chromium' +
          (needBuildTools ? ' make g++ python3' : ''),
      ].join('\n'),
    );
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    // code-server 4.100.x declares engines.node "20"; newer releases want 22+.
    console.warn(
      `warning: code-server ${CODE_SERVER_VERSION} wants Node 20, this is ${process.version}`,
    );
  }
}

/**
 * node-gyp needs Node's headers and downloads them when it has none, which fails offline. On
 * these machines npm's `nodedir` points at /usr (the nodejs package ships /usr/include/node).
 */
function warnIfNoNodeHeaders() {
  const r = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', env: npmEnv() });
  const nodedir = (r.stdout || '').trim();
  const candidates = [
    path.join(os.homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ];
  if (nodedir && nodedir !== 'undefined' && nodedir !== 'null') {
    candidates.unshift(path.join(nodedir, 'include', 'node'));
  }
  if (candidates.some((d) => fs.existsSync(path.join(d, 'node.h')))) return;
  console.warn(
    'warning: no Node headers for node-gyp (looked in ' +
      `${candidates.join(', ')}); it will try to download them, which fails offline. ` +
      'Fix: `npm config set nodedir /usr` where /usr/include/node/node.h exists.',
  );
}

function onPath(bin) {
  return (process.env.PATH || '')
    .split(path.delimiter)
    .some((d) => d && fs.existsSync(path.join(d, bin)));
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: npmEnv() });
  if (r.error) throw new InstallError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new InstallError(`\`${cmd} ${args.join(' ')}\` in ${cwd} exited with ${r.status}`);
  }
  return r.status;
}

function npmEnv() {
  // Under `npm run`, npm exports the project's own package and prefix (npm_package_*,
  // npm_config_local_prefix); the cache folder is a separate npm project, so drop those. The
  // rest mirrors user config (nodedir for node-gyp's headers offline, cache) and is kept.
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/**
 * Runs a build whose own post-install step may fail after the artifact was made, with its output
 * held back: node-pty's post-install runs `npx node-gyp configure -f compile_commands_json` (an
 * editor index nobody here reads), which fails offline and made npm print some 60 `npm error`
 * lines on every first install. With the artifact built that is one line; without it, the held
 * output is printed in full, since it is then the only account of what went wrong.
 */
export function rebuildKeepingArtifact({ cmd, args, cwd, artifact, name, log = console.log }) {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new InstallError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  const built = fs.existsSync(artifact);
  if (r.status === 0 && built) return;
  if (built) {
    log(
      `${name}: built ${path.basename(artifact)}; its post-install step failed (exit ${r.status}), which only writes an editor index, so it is ignored`,
    );
    return;
  }
  process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  throw new InstallError(
    `\`${cmd} ${args.join(' ')}\` in ${cwd} exited with ${r.status} and built no ${artifact}`,
  );
}

async function step(name, fn) {
  const t0 = performance.now();
  process.stdout.write(`\n==> ${name}\n`);
  await fn();
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`<== ${name}: ${s} s`);
  return Number(s);
}

function removeStaleStaging(dir) {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.staging-`;
  if (!fs.existsSync(parent)) return;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue; // another install at work
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Installs unless a complete install is already there; returns the install folder. */
export async function ensureCodeServer({ force = false, log = console.log } = {}) {
  const dir = installDir();
  if (!force && isInstalled(dir)) {
    log(`code-server ${CODE_SERVER_VERSION}: already installed in ${dir}`);
    return dir;
  }
  checkSystemPrerequisites();
  warnIfNoNodeHeaders();
  const tAll = performance.now();
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  removeStaleStaging(dir);
  const staging = `${dir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging);
  log(`code-server ${CODE_SERVER_VERSION}: installing into ${dir} (staging ${staging})`);

  try {
    // A package.json of its own, so npm does not walk up into some parent project.
    fs.writeFileSync(
      path.join(staging, 'package.json'),
      JSON.stringify({ name: 'workflow-profiler-code-server', private: true }, null, 2),
    );
    const vscodeDir = path.join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
    const npmQuiet = ['--no-audit', '--no-fund', '--loglevel=error'];

    await step(`npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`, () =>
      run(
        'npm',
        ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', ...npmQuiet],
        staging,
      ),
    );
    // code-server imports argon2 at start-up even with --auth none.
    await step('npm rebuild argon2', () => run('npm', ['rebuild', 'argon2', ...npmQuiet], staging));
    await step('vscode: npm install --omit=dev --ignore-scripts', () =>
      run('npm', ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet], vscodeDir),
    );
    await step(`vscode: link @vscode/ripgrep/bin/rg -> ${RIPGREP}`, () => {
      // @vscode/ripgrep's postinstall would download rg from GitHub; Debian's works the same.
      const binDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
      fs.mkdirSync(binDir, { recursive: true });
      fs.rmSync(path.join(binDir, 'rg'), { force: true });
      fs.symlinkSync(RIPGREP, path.join(binDir, 'rg'));
    });
    await step('vscode: npm rebuild @vscode/spdlog native-watchdog @parcel/watcher', () =>
      run(
        'npm',
        ['rebuild', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', ...npmQuiet],
        vscodeDir,
      ),
    );
    await step('vscode: link node_modules.asar -> node_modules', () => {
      // The server loads some modules through the .asar path that desktop builds pack.
      const link = path.join(vscodeDir, 'node_modules.asar');
      fs.rmSync(link, { force: true });
      fs.symlinkSync('node_modules', link);
    });
    await step('vscode: npm rebuild node-pty', () =>
      rebuildKeepingArtifact({
        cmd: 'npm',
        args: ['rebuild', 'node-pty', ...npmQuiet],
        cwd: vscodeDir,
        artifact: path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
        name: 'node-pty',
      }),
    );
    await step('check: code-server --version', () => {
      // An explicit --config: without one code-server writes ~/.config/code-server/config.yaml.
      const config = path.join(staging, 'code-server-config.yaml');
      fs.writeFileSync(config, 'auth: none\n');
      const r = spawnSync(
        process.execPath,
        [entryScript(staging), '--config', config, '--version'],
        {
          encoding: 'utf8',
        },
      );
      const out = `${r.stdout}${r.stderr}`.trim();
      console.log(out);
      if (r.status !== 0 || !out.includes(CODE_SERVER_VERSION) || !out.includes(VSCODE_VERSION)) {
        throw new InstallError(
          `code-server --version did not report ${CODE_SERVER_VERSION} / Code ${VSCODE_VERSION}`,
        );
      }
    });

    fs.writeFileSync(path.join(staging, MARKER), markerContent());
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  log(
    `\ncode-server ${CODE_SERVER_VERSION}: installed in ${((performance.now() - tAll) / 1000).toFixed(1)} s`,
  );
  return dir;
}

async function main() {
  const force = process.argv.includes('--force');
  try {
    await ensureCodeServer({ force });
  } catch (err) {
    if (err instanceof InstallError) {
      console.error(`\ninstall-code-server: FAILED\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
