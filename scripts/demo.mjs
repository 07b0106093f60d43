#!/usr/bin/env node
// The README's main job: profile the bundled example workflow through the CLI, then write its
// report (the run folder's report.md) and its dashboard as one self-contained HTML file.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const store = path.join(root, '.workflow-runs');
const workflow = path.join(root, 'examples', 'nightly-etl.workflow.yaml');

// Progress goes to stderr (the terminal); stdout holds the one JSON result.
const run = spawnSync(process.execPath, [cli, 'run', workflow, '--store', store, '--json'], {
  stdio: ['inherit', 'pipe', 'inherit'],
  encoding: 'utf8',
});
if (run.status === null || run.status === 2) process.exit(run.status ?? 1);
const { runId, runDir, status } = JSON.parse(run.stdout);
const html = path.join(runDir, 'dashboard.html');
const dash = spawnSync(process.execPath, [cli, 'dashboard', runId, '--store', store, '-o', html], {
  stdio: ['inherit', 'ignore', 'inherit'],
});
if (dash.status !== 0) process.exit(dash.status ?? 1);
console.log(`\nrun ${runId}: ${status}`);
console.log(`report:    ${path.relative(process.cwd(), path.join(runDir, 'report.md'))}`);
console.log(
  `dashboard: ${path.relative(process.cwd(), html)} (open it in a browser; it works offline)`,
);
process.exit(run.status);
