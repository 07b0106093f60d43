/**
 * Activation registers providers and commands and nothing else. Their implementations live in a
 * bundle of their own (src/extension/extensionServices.ts, dist/extensionServices.js), loaded on
 * the first use of any of them: a cold activation only loads this small module.
 */
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commandIds';
import {
  COMPARE_VIEW_TYPE,
  DASHBOARD_VIEW_TYPE,
  RUN_GLANCE_VIEW_ID,
  RUNS_VIEW_ID,
  TASK_TYPE,
  WORKFLOWS_VIEW_ID,
} from './contributionIds';
import type * as ServicesModule from './extensionServices';
import type { ExtensionServices } from './extensionServices';
import { LazyCodeLensProvider, LazyTreeDataProvider, lazyEvent } from './lazyProviders';
import type { MemoryWarning } from './memoryPrompt';
import type { PanelRendered } from './panels/dashboardPanel';
import type { SeriesNotice } from './profileRepeatedly';
import { registerCommand } from './registerCommand';
import type { RunNotice } from './runController';
import { storeDirFor } from './storage';
import { isWorkflowFile } from '../workflow/discover';
import type { WalkthroughState } from './walkthroughProgress';

const WORKFLOW_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.workflow.{yaml,yml,json}' },
];

export interface ExtensionApi {
  /** Where this workspace's runs are stored (for tests and other extensions). */
  storeDir(): string;
  /** Milliseconds activate() took. */
  activationMs: number;
  /** Fires when a dashboard or compare panel has drawn every chart. */
  onDidRenderPanel: vscode.Event<PanelRendered>;
  /** Fires as an end-of-run notification is shown. */
  onDidNotifyRun: vscode.Event<RunNotice>;
  /** Fires as a memory-forecast warning is shown, with a way to answer it. */
  onDidWarnMemory: vscode.Event<MemoryWarning>;
  /** Fires as "Profile Repeatedly…" shows its end-of-series notification. */
  onDidNotifySeries: vscode.Event<SeriesNotice>;
  /** Which walkthrough steps' context keys this session has set. */
  walkthrough(): WalkthroughState;
  /** Sets every walkthrough key back to false (tests share one session). */
  resetWalkthrough(): Promise<void>;
  /** Fires once VS Code holds a newly set walkthrough key. */
  onDidProgressWalkthrough: vscode.Event<WalkthroughState>;
}

/** Loads the services bundle, beside this file both in dist/ and in the compiled tests. */
function loadServicesModule(): typeof ServicesModule {
  return createRequire(__filename)('./extensionServices') as typeof ServicesModule;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Workflow Profiler', { log: true });
  const storeDir = (): string => storeDirFor(context);
  let loaded: ExtensionServices | null = null;
  const services = (): ExtensionServices => {
    if (loaded) return loaded;
    const s0 = performance.now();
    loaded = loadServicesModule().createServices(context, log, storeDir);
    log.info(`services loaded in ${(performance.now() - s0).toFixed(1)} ms`);
    return loaded;
  };

  // A workflow file's problems show as soon as it is open: the first workflow document loads the
  // services (their diagnostics check every open document), just after activation returns.
  const isWorkflowDocument = (d: vscode.TextDocument): boolean =>
    d.uri.scheme === 'file' && isWorkflowFile(d.uri.fsPath);
  const loadSoon = (): void => {
    setImmediate(() => {
      try {
        services();
      } catch (err) {
        log.error(
          `loading the extension's services failed: ${(err as Error).stack ?? String(err)}`,
        );
      }
    });
  };
  if (vscode.workspace.textDocuments.some(isWorkflowDocument)) loadSoon();
  else {
    const opened = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isWorkflowDocument(d)) return;
      opened.dispose();
      loadSoon();
    });
    context.subscriptions.push(opened);
  }

  const runsTree = new LazyTreeDataProvider(() => services().runsTree);
  const workflowsTree = new LazyTreeDataProvider(() => services().workflowsTree);
  const lenses = new LazyCodeLensProvider(() => services().lenses);
  const runsView = vscode.window.createTreeView(RUNS_VIEW_ID, {
    treeDataProvider: runsTree,
    canSelectMany: true,
  });
  context.subscriptions.push(
    log,
    runsTree,
    workflowsTree,
    lenses,
    runsView,
    // A selection exists only once the tree has drawn, so the services are loaded by then.
    runsView.onDidChangeSelection((e) => loaded?.selectRuns(e.selection)),
    vscode.window.createTreeView(WORKFLOWS_VIEW_ID, {
      treeDataProvider: workflowsTree,
      showCollapseAll: true,
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) =>
        services().dashboards.deserializeWebviewPanel(panel, state),
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) =>
        services().compares.deserializeWebviewPanel(panel, state),
    }),
    vscode.window.registerWebviewViewProvider(RUN_GLANCE_VIEW_ID, {
      resolveWebviewView: (view) => services().glance.resolveWebviewView(view),
    }),
    vscode.languages.registerCodeLensProvider(WORKFLOW_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, {
      provideHover: (doc, pos) => services().hover.provideHover(doc, pos),
    }),
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => services().tasks.provideTasks(),
      resolveTask: (task) => services().tasks.resolveTask(task),
    }),
    // Nothing to re-read before the services exist: they read the store when first asked.
    vscode.workspace.onDidGrantWorkspaceTrust(() => loaded?.refresh()),
    ...COMMAND_IDS.map((id) =>
      registerCommand(
        id,
        (...args: unknown[]) => {
          const handler = services().commands.get(id);
          if (!handler) throw new Error(`no handler for ${id}`);
          return handler(...args);
        },
        log,
      ),
    ),
  );
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms; runs are stored in ${storeDir()}`);
  return {
    storeDir,
    activationMs,
    onDidRenderPanel: lazyEvent(() => services().dashboards.onDidRender),
    onDidNotifyRun: lazyEvent(() => services().controller.onDidNotify),
    onDidWarnMemory: lazyEvent(() => services().controller.onDidWarnMemory),
    onDidNotifySeries: lazyEvent(() => services().seriesNotices.event),
    walkthrough: () => services().walkthrough.state(),
    resetWalkthrough: () => services().walkthrough.reset(),
    onDidProgressWalkthrough: lazyEvent(() => services().walkthrough.onDidChange),
  };
}

export function deactivate(): void {
  // Disposables cancel running runs; the runner also cancels when its IPC channel closes.
}
