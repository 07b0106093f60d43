#!/usr/bin/env node
// Runs extension-host tests or UI tests in a real VS Code 1.100.3 (code-server 4.100.3, installed
// by ./install-code-server.mjs) driven by Debian's Chromium through playwright-core, as
// shared/notes/real-vscode-on-these-machines.md describes. @vscode/test-electron cannot be the
// only way: it downloads VS Code from servers these machines cannot reach.
//
// Usage: node scripts/vscode/run-tests.mjs [options]
//   --tests PATH          compiled extension-host test entry exporting run()
//                         (default out/vscode-test/test/vscode/index.js)
//   --ui SCRIPT           compiled UI script exporting an async function(page, ctx), called once
//                         the workbench has loaded; its rejection fails the run. Not with --tests.
//   --extension DIR       extensionDevelopmentPath (default: the repository root, or with
//                         --install a throwaway driver extension made in the temp folder)
//   --install VSIX        install VSIX into the fresh extensions folder with the real VS Code's
//                         --install-extension before it starts; the tests then drive that
//                         installed copy (installed-extension.mjs says why a driver is needed)
//   --workspace DIR       template copied into the fresh temp folder that is opened (default:
//                         the folder starts empty)
//   --trust | --no-trust  open the workspace trusted (default) or in Restricted Mode
//   --screenshot-dir DIR  where UI screenshots go (default test-results/); this run's logs and a
//                         failure screenshot go to DIR/vscode-run/, emptied at each start
//   --timeout SECONDS     hard limit for the whole run after install (default 600)
//   --keep                keep the temp user-data/extensions folders (their path is printed)
// Env: WORKFLOW_PROFILER_VSCODE_TIMEOUT_S (default for --timeout), WORKFLOW_PROFILER_TEST_GREP
//      (mocha grep in the host), WORKFLOW_PROFILER_VSCODE_CACHE / WORKFLOW_PROFILER_CHROMIUM
//      (see install-code-server.mjs). code-server's environment, and so the extension host's, is
//      this process's plus WORKFLOW_PROFILER_TEST_TRUST=trusted|untrusted, and with --install
//      WORKFLOW_PROFILER_TEST_INSTALLED_PATH (the folder the package was installed into).
// Exit code: the tests' own (0 pass, 1 fail), 124 on timeout, 2 on a harness or setup failure,
// 128+n on signal n. code-server is installed first if it is not (see install-code-server.mjs).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, inspect } from 'node:util';
import { chromium } from 'playwright-core';
import {
  CHROMIUM,
  InstallError,
  checkSystemPrerequisites,
  ensureCodeServer,
  entryScript,
} from './install-code-server.mjs';
import {
  InstalledExtensionError,
  extensionIdOf,
  installVsix,
  writeDriverExtension,
} from './installed-extension.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXIT_TIMEOUT = 124;
const EXIT_HARNESS = 2;
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`[run-tests +${elapsed()}] ${msg}`);

/** A failure of the harness itself, as opposed to a failing test. */
class HarnessError extends Error {}

function usage(msg) {
  console.error(
    `run-tests: ${msg}\nSee the header of scripts/vscode/run-tests.mjs for the options.`,
  );
  process.exit(EXIT_HARNESS);
}

function parseArgs(argv) {
  const opts = {
    tests: undefined,
    ui: undefined,
    extension: undefined,
    install: undefined,
    workspace: undefined,
    trust: true,
    screenshotDir: path.join(repoRoot, 'test-results'),
    timeoutS: Number(process.env.WORKFLOW_PROFILER_VSCODE_TIMEOUT_S) || 600,
    keep: false,
  };
  const valueOf = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--tests':
        opts.tests = path.resolve(valueOf(i++, a));
        break;
      case '--ui':
        opts.ui = path.resolve(valueOf(i++, a));
        break;
      case '--extension':
        opts.extension = path.resolve(valueOf(i++, a));
        break;
      case '--install':
        opts.install = path.resolve(valueOf(i++, a));
        break;
      case '--workspace':
        opts.workspace = path.resolve(valueOf(i++, a));
        break;
      case '--trust':
        opts.trust = true;
        break;
      case '--no-trust':
        opts.trust = false;
        break;
      case '--screenshot-dir':
        opts.screenshotDir = path.resolve(valueOf(i++, a));
        break;
      case '--timeout':
        opts.timeoutS = Number(valueOf(i++, a));
        if (!(opts.timeoutS > 0)) usage('--timeout needs a positive number of seconds');
        break;
      case '--keep':
        opts.keep = true;
        break;
      default:
        usage(`unknown argument ${a}`);
    }
  }
  // Both at once would race: the host exits when run() settles, under the UI script's feet.
  if (opts.tests && opts.ui) usage('--tests and --ui are separate runs; give one of them');
  if (!opts.ui && !opts.tests)
    opts.tests = path.join(repoRoot, 'out/vscode-test/test/vscode/index.js');
  for (const [name, p] of [
    ['--tests', opts.tests],
    ['--ui', opts.ui],
    ['--workspace', opts.workspace],
  ]) {
    if (p && !fs.existsSync(p))
      usage(`${name} ${p} does not exist (compile first: npx tsc -p test/vscode)`);
  }
  if (opts.install && !fs.existsSync(opts.install))
    usage(`--install ${opts.install} does not exist (build it: npm run package)`);
  // With --install the driver is written into the run's temp folder, once that exists.
  if (!opts.extension && !opts.install) opts.extension = repoRoot;
  if (opts.extension && !fs.existsSync(path.join(opts.extension, 'package.json'))) {
    usage(`--extension ${opts.extension} has no package.json`);
  }
  return opts;
}

/** The user-data folder's settings: quiet, deterministic, and the trust state asked for. */
function userSettings(trust) {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    // Recommendations query the extension gallery (open-vsx.org), unreachable offline.
    'extensions.ignoreRecommendations': true,
    // Restricted Mode needs trust enabled (code-server's --disable-workspace-trust is then left
    // off) and no start-up prompt: the modal would wait forever for a click.
    'security.workspace.trust.enabled': !trust,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
  };
}

function prepareDirs(opts) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-vscode-'));
  const dirs = {
    tmp,
    userData: path.join(tmp, 'user-data'),
    extensions: path.join(tmp, 'extensions'),
    config: path.join(tmp, 'code-server.yaml'),
    // Always a fresh folder: tests write files into it, and a template must stay untouched.
    workspace: path.join(tmp, 'workspace'),
    runLogs: path.join(opts.screenshotDir, 'vscode-run'),
    xdgConfig: path.join(tmp, 'xdg-config'),
    xdgCache: path.join(tmp, 'xdg-cache'),
    driver: path.join(tmp, 'driver-extension'),
  };
  for (const d of [
    dirs.xdgConfig,
    dirs.xdgCache,
    dirs.userData,
    dirs.extensions,
    dirs.workspace,
    path.join(dirs.userData, 'User'),
  ]) {
    fs.mkdirSync(d, { recursive: true });
  }
  if (opts.workspace) fs.cpSync(opts.workspace, dirs.workspace, { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(userSettings(opts.trust), null, 2),
  );
  // An explicit config file: without one code-server writes ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, 'auth: none\n');
  // Logs of the previous run would mislead: this folder holds this run's only.
  fs.rmSync(dirs.runLogs, { recursive: true, force: true });
  fs.mkdirSync(dirs.runLogs, { recursive: true });
  return dirs;
}

/** The environment of every code-server process of a run (the server and the install CLI). */
function serverEnv(dirs) {
  return {
    ...process.env,
    // VS Code's server writes a device id under $XDG_CACHE_HOME/Microsoft: keep $HOME untouched.
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_CACHE_HOME: dirs.xdgCache,
    // No extension gallery: code-server's default (open-vsx.org) is unreachable here and the
    // workbench's lookups would only add noise and timing jitter.
    EXTENSIONS_GALLERY: '{}',
  };
}

/**
 * --install: the package into the fresh extensions folder, and the driver extension as the
 * development extension. Sets dirs.installed and opts.extension (when not given).
 */
function installPackage(installDir, opts, dirs) {
  const t = performance.now();
  dirs.installed = installVsix({
    installDir,
    vsix: opts.install,
    config: dirs.config,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    env: serverEnv(dirs),
  });
  say(
    `installed ${path.basename(opts.install)} into ${dirs.installed} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  opts.extension ??= writeDriverExtension(dirs.driver);
}

/** Starts code-server on a free loopback port (port 0: the kernel picks, no race). */
async function startCodeServer(installDir, opts, dirs, state) {
  const args = [
    entryScript(installDir),
    '--config',
    dirs.config,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.trust ? ['--disable-workspace-trust'] : []),
    dirs.workspace,
  ];
  const logFile = fs.createWriteStream(path.join(dirs.runLogs, 'code-server.log'));
  const child = spawn(process.execPath, args, {
    // Its own process group, so the whole tree (server, extension host, pty host, watcher)
    // can be signalled at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...serverEnv(dirs),
      // Inherited by the extension host: the smoke suite checks trust against it.
      WORKFLOW_PROFILER_TEST_TRUST: opts.trust ? 'trusted' : 'untrusted',
      // The installed-package suite checks that the extension it drives was loaded from there.
      ...(dirs.installed ? { WORKFLOW_PROFILER_TEST_INSTALLED_PATH: dirs.installed } : {}),
    },
  });
  state.server = child;
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      logFile.write(chunk);
      // Only the tail is kept: it is for the early-exit message, the file has everything.
      output = (output + chunk.toString()).slice(-8000);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) =>
      reject(new HarnessError(`code-server did not start: ${err.message}`)),
    );
    child.on('exit', (code, signal) => {
      reject(
        new HarnessError(`code-server exited early (${signal ?? code}):\n${output.slice(-4000)}`),
      );
    });
  });
  // The listening line comes before the routes are up; /healthz answers once they are.
  await waitFor(
    () => httpStatus(`http://127.0.0.1:${port}/healthz`).then((s) => s === 200),
    30_000,
    'code-server /healthz',
  );
  return port;
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

async function waitFor(check, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new HarnessError(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function workbenchUrl(port, opts, dirs) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(opts.extension)],
    ...(opts.tests ? [['extensionTestsPath', remote(opts.tests)]] : []),
    ['skipWelcome', 'true'],
  ];
  return (
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  );
}

async function launchBrowser(state, dirs) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our own signal handlers close the browser and then code-server, in that order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium keeps its crash-report database under $XDG_CONFIG_HOME/chromium (and dconf's
    // under $XDG_CACHE_HOME) even with a temp profile: into the run's temp folder with them.
    env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_CACHE_HOME: dirs.xdgCache },
    // Without the background-networking flags Chromium keeps dialling Google on this closed
    // network; --no-sandbox because we run as root.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  state.browser = browser;
  // Fixed size, locale and zone: screenshots and formatted text do not depend on the machine.
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const consoleLog = fs.createWriteStream(path.join(dirs.runLogs, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
  return page;
}

/** Wires the workbench's test hooks: the host's console and its exit code. */
async function exposeAutomation(page) {
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The host forwards console calls unformatted (mocha's reporter passes '%s (%dms)', …).
    const text = format(...(Array.isArray(args) ? args : [args]));
    (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
  // Wrapped: an async function returning the bare promise would make the caller await the exit.
  return { hostExit: exited };
}

async function loadUiScript(file) {
  const mod = await import(pathToFileURL(file).href);
  // ESM default, CommonJS (tsc output: exports.default) or a named `run`.
  const fn = [mod.default, mod.default?.default, mod.run, mod.default?.run].find(
    (f) => typeof f === 'function',
  );
  if (!fn) throw new HarnessError(`${file} exports no function (default or run)`);
  return fn;
}

async function runUi(page, opts, dirs, port) {
  const fn = await loadUiScript(opts.ui);
  const ctx = {
    baseUrl: `http://127.0.0.1:${port}`,
    workspace: dirs.workspace,
    extensionPath: opts.extension,
    userDataDir: dirs.userData,
    screenshotDir: opts.screenshotDir,
    trusted: opts.trust,
    log: (msg) => console.log(`[ui] ${msg}`),
  };
  try {
    await fn(page, ctx);
    return 0;
  } catch (err) {
    console.error(
      `[ui] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : inspect(err)}`,
    );
    return 1;
  }
}

/** Pids of every process below `root`, read from /proc before anything is killed. */
function descendants(root) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // Exited while we looked.
    }
  }
  const out = [];
  const todo = [root];
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

function alive(pid) {
  return signal(pid, 0);
}

/**
 * Ends code-server's whole tree: its process group, plus descendants that left the group
 * (node-pty's shells call setsid) and so would survive as orphans.
 */
async function killServer(child) {
  if (!child?.pid) return;
  const pids = [child.pid, ...descendants(child.pid)];
  signal(-child.pid, 'SIGTERM');
  for (const p of pids) signal(p, 'SIGTERM');
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && pids.some(alive)) await sleep(100);
  const left = pids.filter(alive);
  if (left.length > 0) {
    signal(-child.pid, 'SIGKILL');
    for (const p of left) signal(p, 'SIGKILL');
  }
}

/** Copies the workbench's own logs (extension host, server, exthost output) for CI artifacts. */
function collectLogs(dirs) {
  const src = path.join(dirs.userData, 'logs');
  if (fs.existsSync(src))
    fs.cpSync(src, path.join(dirs.runLogs, 'vscode-logs'), { recursive: true });
}

/** The host log's activation line for our extension, if VS Code wrote one. */
function reportActivation(dirs, extensionId) {
  const logs = path.join(dirs.runLogs, 'vscode-logs');
  if (!fs.existsSync(logs)) return;
  for (const f of fs.readdirSync(logs, { recursive: true })) {
    if (!String(f).endsWith('exthost.log')) continue;
    const text = fs.readFileSync(path.join(logs, String(f)), 'utf8');
    for (const line of text.split('\n')) {
      if (line.includes(extensionId) && /activat/i.test(line)) say(`host log: ${line.trim()}`);
    }
  }
}

async function screenshot(page, file) {
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    say(`screenshot: ${path.relative(process.cwd(), file)}`);
  } catch (err) {
    say(`screenshot failed: ${err.message}`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkSystemPrerequisites({ needBuildTools: false });
  const installDir = await ensureCodeServer({ log: say });
  // The extension under test: the installed package's (read before cleanup removes it), else
  // the development extension's.
  const extensionId = () =>
    extensionIdOf(
      JSON.parse(
        fs.readFileSync(path.join(dirs.installed ?? opts.extension, 'package.json'), 'utf8'),
      ),
    );

  const dirs = prepareDirs(opts);
  const state = {
    server: undefined,
    browser: undefined,
    page: undefined,
    signal: undefined,
  };
  // One cleanup, awaited by whoever needs it: a signal arriving while main() is already
  // cleaning up must not exit before code-server is down.
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await state.browser?.close().catch(() => {});
      await killServer(state.server);
      collectLogs(dirs);
      if (opts.keep) say(`kept ${dirs.tmp}`);
      else fs.rmSync(dirs.tmp, { recursive: true, force: true });
    })());
  // Ctrl-C or a CI cancel must not leave a server or a browser behind.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      state.signal = sig;
      say(`${sig}: stopping`);
      cleanup().finally(() => process.exit(128 + os.constants.signals[sig]));
    });
  }

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutS * 1000);
  });

  const work = async () => {
    const tStart = performance.now();
    if (opts.install) installPackage(installDir, opts, dirs);
    const port = await startCodeServer(installDir, opts, dirs, state);
    say(
      `code-server ready on 127.0.0.1:${port} (${opts.trust ? 'trusted' : 'untrusted'} workspace ${dirs.workspace})`,
    );
    const page = await launchBrowser(state, dirs);
    state.page = page;
    const { hostExit } = await exposeAutomation(page);
    const browserGone = new Promise((resolve) =>
      state.browser.on('disconnected', () => resolve('browser')),
    );
    const serverGone = new Promise((resolve) => state.server.on('exit', () => resolve('server')));
    await page.goto(workbenchUrl(port, opts, dirs), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    say('workbench loaded');

    const outcome = opts.ui
      ? await Promise.race([runUi(page, opts, dirs, port), browserGone, serverGone])
      : await Promise.race([hostExit, browserGone, serverGone]);
    if (typeof outcome !== 'number')
      throw new HarnessError(`the ${outcome} went away before the tests finished`);
    say(
      `tests finished with exit code ${outcome} in ${((performance.now() - tStart) / 1000).toFixed(1)} s`,
    );
    return outcome;
  };

  let code;
  try {
    const result = await Promise.race([work(), timedOut]);
    if (result === 'timeout') {
      console.error(
        `\nrun-tests: TIMEOUT: no result after ${opts.timeoutS} s (--timeout / WORKFLOW_PROFILER_VSCODE_TIMEOUT_S)`,
      );
      code = EXIT_TIMEOUT;
    } else {
      code = result;
    }
  } catch (err) {
    // After a signal the browser and server go away on purpose: no failure to report.
    if (!state.signal)
      console.error(
        `\nrun-tests: HARNESS FAILURE: ${err instanceof HarnessError || err instanceof InstalledExtensionError ? err.message : (err.stack ?? err)}`,
      );
    code = EXIT_HARNESS;
  } finally {
    clearTimeout(timer);
  }
  if (code !== 0 && state.page && !state.signal)
    await screenshot(state.page, path.join(dirs.runLogs, 'failure.png'));
  const id = dirs.installed || opts.extension ? extensionId() : undefined;
  await cleanup();
  if (state.signal) return; // the signal handler exits with 128+n
  if (id) reportActivation(dirs, id);
  say(`logs in ${path.relative(process.cwd(), dirs.runLogs) || '.'}; exit ${code}`);
  process.exit(code);
}

try {
  await main();
} catch (err) {
  // Setup failures (missing Debian packages, a failed install) before anything was started.
  const detail = err instanceof InstallError ? err.message : (err.stack ?? String(err));
  console.error(`\nrun-tests: SETUP FAILED\n${detail}`);
  process.exit(EXIT_HARNESS);
}
