/**
 * The UI end to end, as a person would do it, on a copy of examples/:
 * command palette → "Workflow Profiler: Run Workflow" → the progress notification and the status
 * bar item appear → the Runs tree shows the run → it completes → screenshots in test-results/.
 * Then a second run is interrupted by reloading the window: none of its processes survive, and
 * the run is recorded as cancelled or interrupted.
 *
 *   node scripts/vscode/run-tests.mjs --workspace examples --ui out/vscode-test/test/vscode/ui/run-workflow.ui.js
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  openFile,
  openViewContainer,
  runCommand,
  screenshot,
  waitForNotification,
  waitForStatusBarItem,
  waitForTreeItem,
  waitForCommand,
  waitForWorkbench,
  waitForCodeLens,
  type UiContext,
} from './workbench';

/**
 * The README's picture of the editor with CodeLens (out/vscode-test/test/vscode/ui → repo),
 * written into media/ only with WORKFLOW_PROFILER_UPDATE_MEDIA=1 (see CONTRIBUTING.md).
 */
const REPO = path.resolve(__dirname, '../../../../..');
const README_CODELENS =
  process.env.WORKFLOW_PROFILER_UPDATE_MEDIA === '1'
    ? path.join(REPO, 'media', 'editor-codelens.png')
    : path.join(REPO, 'test-results', 'ui', 'readme-editor-codelens.png');
/** A fixed size, so the committed picture changes only when what it shows does. */
const README_SIZE = { width: 1280, height: 800 };

const RUN_TIMEOUT_MS = 60_000;

/** Every run.json in this user-data folder's workspace storage. */
function storedRuns(userDataDir: string): { file: string; id: string; status: string }[] {
  const root = path.join(userDataDir, 'User', 'workspaceStorage');
  const out: { file: string; id: string; status: string }[] = [];
  if (!fs.existsSync(root)) return out;
  for (const ws of fs.readdirSync(root)) {
    const runs = path.join(root, ws, 'workflow-profiler.workflow-profiler', 'runs');
    if (!fs.existsSync(runs)) continue;
    for (const id of fs.readdirSync(runs)) {
      const file = path.join(runs, id, 'run.json');
      if (!fs.existsSync(file)) continue;
      try {
        const { status } = JSON.parse(fs.readFileSync(file, 'utf8')) as { status: string };
        out.push({ file, id, status });
      } catch {
        // Being rewritten: the next poll reads it.
      }
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(e), ppid: Number(rest[1]), cmd });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** The runner processes started from this extension, and everything below them. */
function runnerTrees(extensionPath: string): Proc[] {
  const all = processes();
  const runner = path.join(extensionPath, 'dist', 'runner.js');
  const found = all.filter((p) => p.cmd.includes(runner));
  const seen = new Set(found.map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!seen.has(p.pid) && seen.has(p.ppid)) {
        seen.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

async function poll<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export default async function runWorkflow(page: Page, ctx: UiContext): Promise<void> {
  assert.ok(ctx.trusted, 'this UI test runs in a trusted workspace');
  await waitForWorkbench(page);
  await waitForCommand(page, 'Workflow Profiler: Profile Workflow');
  await openViewContainer(page, 'Workflow Profiler');
  ctx.log('activity bar: Workflow Profiler opened');

  // 1. Palette → Run Workflow (the workspace holds one workflow, so no picker).
  await runCommand(page, 'Workflow Profiler: Run Workflow');
  await waitForNotification(page, /Workflow: nightly-etl/);
  ctx.log('progress notification shown');
  const status = await waitForStatusBarItem(page, /nightly-etl \d+\/\d+ nodes/);
  ctx.log(`status bar: ${(await status.innerText()).trim()}`);
  await waitForTreeItem(page, /running/);
  ctx.log('Runs tree shows the run as running');
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'ui-run-workflow-running')}`);

  const done = await waitForNotification(page, /nightly-etl completed in/, RUN_TIMEOUT_MS);
  ctx.log(`notification: ${(await done.innerText()).split('\n')[0]}`);
  await waitForTreeItem(page, /completed · \d/);
  ctx.log('Runs tree shows the run as completed');
  const runs = storedRuns(ctx.userDataDir);
  assert.equal(runs.length, 1, `one stored run: ${JSON.stringify(runs)}`);
  assert.equal(runs[0]?.status, 'completed');
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'ui-run-workflow-completed')}`);

  // The workflow in the editor: CodeLens above the workflow (its commands) and above each node
  // (what it cost in the run just made), as the README shows it.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await openFile(page, 'nightly-etl.workflow.yaml');
  const lenses = await waitForCodeLens(page, /\d+(\.\d+)? (ms|s) · .*MiB/, RUN_TIMEOUT_MS);
  ctx.log(`CodeLens: ${lenses.join(' | ')}`);
  assert.ok(
    lenses.some((l) => /Run \| Profile/.test(l.replace(/\s+/g, ' '))),
    `the workflow's commands: ${lenses.join(' | ')}`,
  );
  assert.ok(fs.existsSync(path.join(REPO, 'media', 'icon.png')), 'the repository found');
  fs.mkdirSync(path.dirname(README_CODELENS), { recursive: true });
  const size = page.viewportSize();
  await page.setViewportSize(README_SIZE);
  await page.waitForTimeout(500); // the editor relayouts to the new size
  await page.screenshot({ path: README_CODELENS, animations: 'disabled' });
  if (size) await page.setViewportSize(size);
  ctx.log(`screenshot: ${README_CODELENS}`);

  // 2. A second run, interrupted by reloading the window.
  await runCommand(page, 'Workflow Profiler: Run Workflow');
  await waitForStatusBarItem(page, /nightly-etl [1-9]\d*\/\d+ nodes/, RUN_TIMEOUT_MS);
  const second = await poll(
    'the second run folder',
    () => storedRuns(ctx.userDataDir).find((r) => r.status === 'running'),
    10_000,
  );
  const tree = runnerTrees(ctx.extensionPath);
  assert.ok(tree.length >= 2, `a runner with node processes: ${JSON.stringify(tree)}`);
  ctx.log(`reloading the window with ${tree.length} runner processes alive (run ${second.id})`);
  await runCommand(page, 'Developer: Reload Window');
  const t0 = Date.now();
  await waitForWorkbench(page, 60_000);
  const survivors = await poll(
    'the runner tree to end',
    () => {
      const alive = tree.filter((p) => processes().some((q) => q.pid === p.pid && q.cmd === p.cmd));
      return alive.length === 0 || Date.now() - t0 > 5000 ? alive : undefined;
    },
    10_000,
  );
  assert.deepEqual(survivors, [], 'processes of the interrupted run survived the reload');
  ctx.log(`after the reload every runner process was gone within ${Date.now() - t0} ms`);
  const ended = await poll(
    'the interrupted run to be recorded',
    () => {
      const r = storedRuns(ctx.userDataDir).find((x) => x.id === second.id);
      return r && r.status !== 'running' ? r : undefined;
    },
    10_000,
  );
  assert.ok(['cancelled', 'interrupted'].includes(ended.status), `status ${ended.status}`);
  ctx.log(`the interrupted run is recorded as ${ended.status}`);
}
