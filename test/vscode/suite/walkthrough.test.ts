/**
 * The "Get started" walkthrough: its steps are contributed and open, "Create a Sample Workflow"
 * writes a valid sample without overwriting anything, and each step's context key is set by the
 * real event only (a run that completed, a dashboard or compare panel that drew), never by a
 * command that failed or a run still going.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  api,
  EXTENSION_ID,
  extension,
  nextRender,
  sleep,
  waitFor,
  workspaceUri,
  type ProfilerApi,
  type RunCommandResult,
  type WalkthroughState,
} from '../helpers';

const WALKTHROUGH_ID = 'getStarted';
const KEY_PREFIX = 'workflowProfiler.walkthrough.';
const STEPS = ['createSample', 'trust', 'run', 'profile', 'dashboard', 'compare'];

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; svg?: string };
  completionEvents?: string[];
  when?: string;
}

interface Walkthrough {
  id: string;
  title: string;
  steps: Step[];
}

function contributed(): Walkthrough {
  const pkg = extension().packageJSON as { contributes: { walkthroughs?: Walkthrough[] } };
  const w = pkg.contributes.walkthroughs?.find((x) => x.id === WALKTHROUGH_ID);
  assert.ok(w, `walkthrough ${WALKTHROUGH_ID} is contributed`);
  return w;
}

/** Resolves with the walkthrough state once `done(state)` holds, or fails after a while. */
function progressUntil(
  a: ProfilerApi,
  done: (s: WalkthroughState) => boolean,
  timeoutMs = 20_000,
): Promise<WalkthroughState> {
  return waitFor(
    'the walkthrough key',
    () => {
      const s = a.walkthrough();
      return done(s) ? s : undefined;
    },
    timeoutMs,
  );
}

function runIds(storeDir: string): string[] {
  return fs.existsSync(storeDir) ? fs.readdirSync(storeDir) : [];
}

/** Runs of the store, not among `before`, whose run.json has this status. */
function newRunsWithStatus(storeDir: string, before: Set<string>, status: string): string[] {
  return runIds(storeDir).filter((id) => {
    if (before.has(id)) return false;
    try {
      const run = JSON.parse(fs.readFileSync(path.join(storeDir, id, 'run.json'), 'utf8')) as {
        status?: string;
      };
      return run.status === status;
    } catch {
      return false;
    }
  });
}

suite('walkthrough', () => {
  const dir = workspaceUri('walkthrough-sample');
  let sample: vscode.Uri | undefined;
  const completed: string[] = [];

  suiteSetup(async () => {
    const a = await api();
    // Earlier suites of this session completed runs and opened panels: start from nothing.
    await a.resetWalkthrough();
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
    fs.mkdirSync(dir.fsPath, { recursive: true });
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
  });

  test('the walkthrough and its steps are registered, each with media and a real completion event', async () => {
    const w = contributed();
    assert.equal(w.title, 'Get started with Workflow Profiler');
    assert.deepEqual(
      w.steps.map((s) => s.id),
      STEPS,
    );
    const commands = new Set(await vscode.commands.getCommands(true));
    const root = extension().extensionPath;
    for (const s of w.steps) {
      // Completed by an event, never by merely clicking a button of the step.
      assert.ok(s.completionEvents && s.completionEvents.length > 0, `${s.id} has events`);
      for (const e of s.completionEvents) {
        assert.match(e, /^onContext:/, `${s.id}: ${e}`);
        const key = e.slice('onContext:'.length);
        assert.ok(key.startsWith(KEY_PREFIX) || key === 'isWorkspaceTrusted', `${s.id}: ${key}`);
      }
      const media = s.media.markdown;
      assert.ok(media, `${s.id} has Markdown media`);
      const text = fs.readFileSync(path.join(root, media), 'utf8');
      assert.ok(text.length > 200, `${media} says something`);
      assert.doesNotMatch(text, /https?:/, `${media}: relative links only`);
      // Every button runs a command that exists in this VS Code.
      const buttons = [...s.description.matchAll(/\]\(command:([^)?]+)/g)].map((m) => m[1]);
      assert.ok(buttons.length >= 1, `${s.id} has a button`);
      for (const id of buttons) assert.ok(commands.has(id as string), `${s.id}: ${id}`);
    }
    // The run steps say they need trust; the trust step shows only when it is missing.
    assert.equal(w.steps.find((s) => s.id === 'trust')?.when, '!isWorkspaceTrusted');
    for (const id of ['run', 'profile'])
      assert.match(w.steps.find((s) => s.id === id)?.description ?? '', /trusted workspace/);
  });

  test('welcome.showAllWalkthroughs and workbench.action.openWalkthrough open it without error', async () => {
    await vscode.commands.executeCommand('welcome.showAllWalkthroughs');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${EXTENSION_ID}#${WALKTHROUGH_ID}`,
      false,
    );
    const tab = await waitFor('the walkthrough tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t && /welcome|walkthrough|get started/i.test(t.label) ? t : undefined;
    });
    console.log(`      [walkthrough] opened as the tab "${tab.label}"`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('createSampleWorkflow writes a sample with no problems, never overwriting a file', async () => {
    const a = await api();
    assert.equal(a.walkthrough().sampleCreated, false);
    const taken = path.join(dir.fsPath, 'sample-pipeline.workflow.yaml');
    fs.writeFileSync(taken, '# mine\n');
    const first = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'workflowProfiler.createSampleWorkflow',
      dir,
    );
    assert.ok(first, 'a file was written');
    assert.equal(path.basename(first.fsPath), 'sample-pipeline-2.workflow.yaml');
    assert.equal(fs.readFileSync(taken, 'utf8'), '# mine\n', 'the existing file is untouched');
    await progressUntil(a, (s) => s.sampleCreated);
    const second = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'workflowProfiler.createSampleWorkflow',
      dir,
    );
    assert.equal(path.basename(second?.fsPath ?? ''), 'sample-pipeline-3.workflow.yaml');
    assert.equal(
      fs.readFileSync(first.fsPath, 'utf8'),
      fs
        .readFileSync(second?.fsPath ?? '', 'utf8')
        .replace(/sample-pipeline-3/g, 'sample-pipeline-2'),
    );
    // It is open in the editor, and the editor finds no problem in it; a broken copy beside it
    // does get diagnostics, so the check would see them.
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, second?.fsPath);
    const broken = vscode.Uri.file(path.join(dir.fsPath, 'broken.workflow.yaml'));
    fs.writeFileSync(
      broken.fsPath,
      fs.readFileSync(first.fsPath, 'utf8').replace('needs: extract', 'needs: nothing'),
    );
    await vscode.window.showTextDocument(broken, { preview: false });
    await waitFor('diagnostics of the broken copy', () =>
      vscode.languages.getDiagnostics(broken).length > 0 ? true : undefined,
    );
    await vscode.window.showTextDocument(first, { preview: false });
    await sleep(500);
    assert.deepEqual(
      vscode.languages.getDiagnostics(first).map((d) => d.message),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(broken.fsPath);
    fs.rmSync(taken);
    fs.rmSync(second?.fsPath ?? '');
    sample = first;
  });

  test('the run key is set only once a run completed: not by a failed run, not while running', async function () {
    this.timeout(120_000);
    const a = await api();
    assert.ok(sample, 'the sample of the test above');
    const fails = vscode.Uri.file(path.join(dir.fsPath, 'fails.workflow.yaml'));
    fs.writeFileSync(fails.fsPath, 'name: fails\nnodes:\n  boom: { type: shell, run: exit 3 }\n');
    const failed = await vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.run',
      fails,
    );
    assert.equal(failed.status, 'failed');
    await sleep(300);
    assert.equal(a.walkthrough().runCompleted, false, 'a failed run ticks nothing');
    fs.rmSync(fails.fsPath);

    // While the sample runs, the key stays false; it turns true when the run has completed.
    const before = new Set(runIds(a.storeDir()));
    const running = vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.run',
      sample,
    );
    const during = await waitFor(
      'the sample running',
      () =>
        newRunsWithStatus(a.storeDir(), before, 'running').length > 0 ? a.walkthrough() : undefined,
      30_000,
    );
    assert.equal(during.runCompleted, false, 'not while the run goes');
    const r = await running;
    assert.equal(r.status, 'completed', 'the sample runs to completion');
    assert.ok(r.runId);
    completed.push(r.runId);
    const after = await progressUntil(a, (s) => s.runCompleted);
    assert.equal(after.profileCompleted, false, 'a plain run is not a profile');
    assert.equal(after.dashboardOpened, false, 'a plain run opens no dashboard');
  });

  test('profiling ticks the profile step, and the dashboard step once a dashboard drew', async function () {
    this.timeout(120_000);
    const a = await api();
    assert.ok(sample && completed.length === 1);
    // A dashboard of a run that does not exist opens nothing and ticks nothing.
    await vscode.commands.executeCommand('workflowProfiler.openDashboard', 'no-such-run');
    await sleep(1000);
    assert.equal(a.walkthrough().dashboardOpened, false);

    const drawn = nextRender(a, (x) => x.kind === 'dashboard', 60_000);
    const r = await vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.profile',
      sample,
    );
    assert.equal(r.status, 'completed');
    assert.ok(r.runId);
    completed.push(r.runId);
    await progressUntil(a, (s) => s.profileCompleted);
    await drawn;
    await progressUntil(a, (s) => s.dashboardOpened);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the compare step is ticked when the compare panel drew, not by a refused compare', async function () {
    this.timeout(60_000);
    const a = await api();
    assert.equal(completed.length, 2, 'the two runs of the tests above');
    // One run cannot be compared: the command says so and opens nothing.
    await vscode.commands.executeCommand('workflowProfiler.compareRuns', [completed[0]]);
    await sleep(1000);
    assert.equal(a.walkthrough().compareOpened, false);
    const drawn = nextRender(a, (x) => x.kind === 'compare', 60_000);
    await vscode.commands.executeCommand('workflowProfiler.compareRuns', completed);
    await drawn;
    await progressUntil(a, (s) => s.compareOpened);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
