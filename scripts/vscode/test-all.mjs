#!/usr/bin/env node
// Every editor test, in a real VS Code: the extension-host suites in a trusted workspace, the
// Restricted Mode suite, and the UI test that drives the workbench in Chromium. The extension is
// loaded from a staged copy of what it ships (stage-extension.mjs). Exits non-zero when any fails.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const runs = [
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
];

const failed = [];
for (const run of runs) {
  console.log(`\n=== ${run.name} ===`);
  const r = spawnSync(node, [script('run-tests.mjs'), '--extension', extension, ...run.args], {
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
