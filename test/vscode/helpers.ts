/** Shared by the extension-host suites: the extension's API, the test workspace, waiting. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'workflow-profiler.workflow-profiler';

/** What activate() returns (src/extension/extension.ts); only what tests read. */
export interface PanelRendered {
  kind: 'dashboard' | 'compare';
  id: string;
  ms: number;
  charts: string[];
}

/** An end-of-run notification as the extension showed it (src/extension/runController.ts). */
export interface RunNotice {
  runId: string;
  status: string;
  message: string;
  items: string[];
  choose(item: string | undefined): void;
}

/** A memory-forecast warning as the extension showed it (src/extension/memoryPrompt.ts). */
export interface MemoryWarning {
  file: string;
  message: string;
  items: string[];
  lowerTo: number | null;
  choose(item: string | undefined): void;
}

/** The end-of-series notification of "Profile Repeatedly…" (src/extension/profileRepeatedly.ts). */
export interface SeriesNotice {
  series: string;
  message: string;
  items: string[];
  choose(item: string | undefined): Promise<void>;
}

/** Which walkthrough steps' context keys are set (src/extension/walkthroughProgress.ts). */
export interface WalkthroughState {
  sampleCreated: boolean;
  runCompleted: boolean;
  profileCompleted: boolean;
  dashboardOpened: boolean;
  compareOpened: boolean;
}

export interface ProfilerApi {
  storeDir(): string;
  activationMs: number;
  onDidRenderPanel: vscode.Event<PanelRendered>;
  onDidNotifyRun: vscode.Event<RunNotice>;
  onDidWarnMemory: vscode.Event<MemoryWarning>;
  onDidNotifySeries: vscode.Event<SeriesNotice>;
  walkthrough(): WalkthroughState;
  resetWalkthrough(): Promise<void>;
  onDidProgressWalkthrough: vscode.Event<WalkthroughState>;
}

/** Resolves with the first render report matching `match` from now on (or fails after a while). */
export function nextRender(
  a: ProfilerApi,
  match: (r: PanelRendered) => boolean,
  timeoutMs = 20_000,
): Promise<PanelRendered> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no panel finished drawing within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = a.onDidRenderPanel((r) => {
      if (!match(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

export interface RunCommandResult {
  runId: string | null;
  runDir: string | null;
  status: string;
}

export function extension(): vscode.Extension<ProfilerApi> {
  const ext = vscode.extensions.getExtension<ProfilerApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded: is extensionDevelopmentPath right?`);
  return ext;
}

export async function api(): Promise<ProfilerApi> {
  return extension().activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (run-tests.mjs --workspace)');
  return folder.uri.fsPath;
}

export function workspaceUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), rel));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns a value other than undefined, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function readRun(runDir: string): {
  id: string;
  status: string;
  profile: boolean;
  tasks: { nodeId: string; status: string; durationMs: number | null }[];
} {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as ReturnType<
    typeof readRun
  >;
}

export function pidAlive(pid: number): boolean {
  try {
    // A zombie still has a /proc entry; it is dead for our purposes.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    uri,
    100,
  );
  return lenses.map((l) => l.command?.title ?? '');
}
