// Builds everything the product ships into dist/: the CLI, the runner process, the native
// reaper and the webview bundles. Nothing in dist/ resolves modules from the repository's
// node_modules at run time.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const argv = process.argv.slice(2);
const watch = argv.includes('--watch');
const production = argv.includes('--production');
// scripts/package.mjs builds into a staging folder of its own and adds the reaper of each target
// itself, so the development build in dist/ is never touched by packaging.
const outdirAt = argv.indexOf('--outdir');
const dist = outdirAt >= 0 ? path.resolve(argv[outdirAt + 1]) : path.join(root, 'dist');
const withReaper = !argv.includes('--no-reaper');
fs.mkdirSync(dist, { recursive: true });

// The CLI's --version: package.json's, written into the bundle (src/cli/main.ts reads it).
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  define: { __VERSION__: JSON.stringify(version) },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const nodeEntries = [
  // The CLI: a tiny launcher (cli.js) that loads the bundle (cli-main.js) with a V8 code cache.
  { in: 'src/cli/launch.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'src/cli/main.ts', out: 'cli-main', plainBuiltins: true },
  { in: 'src/runner/main.ts', out: 'runner', plainBuiltins: true },
  // The extension host provides `vscode`; everything else is bundled in. Two bundles: the host
  // loads extension.js on activation, which only registers contributions; extensionServices.js,
  // everything behind them, is loaded on their first use (src/extension/extension.ts requires it
  // by name at run time, so esbuild leaves it out of extension.js). Both minified in every build:
  // loading is most of their cost (the source maps still name the original code).
  { in: 'src/extension/extension.ts', out: 'extension', external: ['vscode'], minify: true },
  {
    in: 'src/extension/extensionServices.ts',
    out: 'extensionServices',
    external: ['vscode'],
    minify: true,
  },
];

// The webviews run in a browser: one IIFE per panel (and the CSS it imports next to it),
// minified in every build because the bundle size is what a panel waits for.
const webEntries = [
  { in: 'webview/dashboard/main.ts', out: 'webview/dashboard' },
  { in: 'webview/compare/main.ts', out: 'webview/compare' },
];
const webCommon = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['es2022', 'chrome120'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  // ECharts and zrender keep development checks behind process.env.NODE_ENV.
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * `import * as fs from 'node:fs'` becomes `__toESM(require("node:fs"))` in a CJS bundle: a copy of
 * every export of the module as a getter, once per importing file, which the CLI paid on every
 * start (about 60 copies of fs, path and os; measured: some 10 ms of CPU). A built-in module needs
 * no such wrapper where nothing reads its `.default`, so those become plain requires. Identifiers
 * of these bundles stay unminified (whitespace and syntax still are) so the helper is found by name.
 */
function plainBuiltinRequires(file) {
  let code = fs.readFileSync(file, 'utf8');
  const site = /([\w$]+) ?= ?__toESM\(require\("(node:[\w/]+)"\)\)/g;
  code = code.replace(site, (whole, name, mod) =>
    new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}\\.default\\b`).test(code)
      ? whole
      : `${name} = require("${mod}")`,
  );
  fs.writeFileSync(file, code);
}

function buildReaper() {
  // The reaper must be native: see src/measure/reaper.ts for why.
  if (process.platform !== 'linux') {
    console.warn('reaper: not Linux, the collector will use its pidusage fallback');
    return;
  }
  const cc = process.env.CC || 'cc';
  const out = path.join(dist, 'wp-reaper');
  // Compiled beside and renamed into place: a run starting during a rebuild must find either
  // the old binary or the new one, never a half-written file.
  const tmp = `${out}.${process.pid}.tmp`;
  const compile = (extra, stdio) =>
    execFileSync(
      cc,
      ['-O2', '-Wall', '-Wextra', ...extra, '-o', tmp, path.join(root, 'native/reaper.c')],
      {
        stdio,
      },
    );
  try {
    // Static like the packaged reapers (scripts/reapers.mjs): no dynamic loader per node, and
    // the same small memory image the shipped binary has.
    try {
      compile(['-static'], ['ignore', 'ignore', 'pipe']);
    } catch {
      console.warn('reaper: no static C library here (Debian: libc6-dev); linked dynamically');
      compile([], 'inherit');
    }
    fs.renameSync(tmp, out);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    console.error(`reaper: could not compile native/reaper.c with ${cc}: ${err.message}`);
    console.error('Install a C compiler (Debian: apt-get install gcc) or set CC.');
    process.exit(1);
  }
}

// The native reaper first: a broken compiler should stop the build before anything else.
if (withReaper && fs.existsSync(path.join(root, 'native/reaper.c'))) buildReaper();
const contexts = [];
for (const e of nodeEntries) {
  if (!fs.existsSync(path.join(root, e.in))) continue;
  const outfile = path.join(dist, `${e.out}.js`);
  const options = {
    ...common,
    entryPoints: [e.in],
    outfile,
    banner: e.banner ? { js: e.banner } : undefined,
    external: e.external ?? [],
    minify: e.minify ?? common.minify,
    ...(e.plainBuiltins && common.minify
      ? { minify: false, minifyWhitespace: true, minifySyntax: true }
      : {}),
    plugins: e.plainBuiltins
      ? [{ name: 'plain-builtins', setup: (b) => b.onEnd(() => plainBuiltinRequires(outfile)) }]
      : [],
  };
  if (watch) contexts.push(await esbuild.context(options));
  else await esbuild.build(options);
}
for (const e of webEntries) {
  if (!fs.existsSync(path.join(root, e.in))) continue;
  const options = { ...webCommon, entryPoints: [e.in], outfile: path.join(dist, `${e.out}.js`) };
  if (watch) contexts.push(await esbuild.context(options));
  else await esbuild.build(options);
}
if (fs.existsSync(path.join(dist, 'cli.js'))) fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
}
