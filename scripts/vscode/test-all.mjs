#!/usr/bin/env node
// Every editor test, in a real VS Code: the extension-host suites in a trusted workspace, the
// Restricted Mode suite, the UI tests that drive the workbench in Chromium, and the installed
// package's suite. The extension is loaded from a staged copy of what it ships
// (stage-extension.mjs), except in the last phase, which installs packages/…-linux-x64-….vsix
// (built by `npm run package`) and drives that installed copy. Exits non-zero when any fails.
//
//   node scripts/vscode/test-all.mjs [WORD]   only the phases whose name contains WORD
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstalledExtensionError, checkPackage, packagePath } from './installed-extension.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = process.execPath;
const script = (name) => path.join(root, 'scripts', 'vscode', name);

const staged = spawnSync(node, [script('stage-extension.mjs')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (staged.status !== 0) process.exit(staged.status ?? 2);
const extension = staged.stdout.trim();

const out = path.join(root, 'out', 'vscode-test', 'test', 'vscode');
const vsix = packagePath(root, 'linux-x64');
const allRuns = [
  {
    name: 'extension host, trusted workspace',
    args: [
      '--workspace',
      'test/vscode/workspace',
      '--trust',
      '--screenshot-dir',
      'test-results/host-trusted',
    ],
  },
  {
    name: 'extension host, Restricted Mode',
    args: [
      '--workspace',
      'test/vscode/workspace',
      '--no-trust',
      '--screenshot-dir',
      'test-results/host-untrusted',
    ],
  },
  {
    name: 'UI: dashboard, report and compare panels',
    args: [
      '--workspace',
      'examples',
      '--trust',
      '--ui',
      path.join(out, 'ui', 'dashboard.ui.js'),
      '--screenshot-dir',
      'test-results/ui-panels',
    ],
  },
  {
    name: 'UI: the walkthrough, from an empty folder',
    args: [
      '--trust',
      '--ui',
      path.join(out, 'ui', 'walkthrough.ui.js'),
      '--screenshot-dir',
      'test-results/ui-walkthrough',
    ],
  },
  {
    name: 'UI: run a workflow from the palette',
    args: [
      '--workspace',
      'examples',
      '--trust',
      '--ui',
      path.join(out, 'ui', 'run-workflow.ui.js'),
      '--screenshot-dir',
      'test-results/ui',
    ],
  },
  {
    name: 'installed linux-x64 package, extension host',
    installed: true,
    // Checked here, so a missing or stale package fails with the command that builds it.
    before: () => checkPackage(root, vsix),
    args: [
      '--install',
      vsix,
      '--tests',
      path.join(out, 'installed', 'index.js'),
      '--workspace',
      'test/vscode/workspace',
      '--trust',
      '--screenshot-dir',
      'test-results/host-installed',
    ],
  },
];
const only = process.argv[2];
const runs = only ? allRuns.filter((r) => r.name.includes(only)) : allRuns;
if (runs.length === 0) {
  console.error(
    `test-all: no phase named like "${only}": ${allRuns.map((r) => r.name).join('; ')}`,
  );
  process.exit(2);
}

const failed = [];
for (const run of runs) {
  console.log(`\n=== ${run.name} ===`);
  try {
    run.before?.();
  } catch (err) {
    if (!(err instanceof InstalledExtensionError)) throw err;
    console.error(`${run.name}: ${err.message}`);
    failed.push(`${run.name} (${err.message})`);
    continue;
  }
  // The installed phase's development extension is a driver that run-tests.mjs makes.
  const extensionArgs = run.installed ? [] : ['--extension', extension];
  const r = spawnSync(node, [script('run-tests.mjs'), ...extensionArgs, ...run.args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed.push(`${run.name} (exit ${r.status ?? r.signal})`);
}
if (failed.length > 0) {
  console.error(`\neditor tests FAILED: ${failed.join('; ')}`);
  process.exit(1);
}
console.log(`\neditor tests: all ${runs.length} runs passed`);
