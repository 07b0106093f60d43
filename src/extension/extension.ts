/**
 * Activation registers providers and commands and nothing else: no parsing, no store reads and
 * no process starts until a view, a workflow file or a command asks for them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../store/runStore';
import { WorkflowCodeLensProvider, WorkflowHoverProvider } from './codeLens';
import { registerCommands } from './commands';
import { ParsedWorkflows } from './parsedWorkflows';
import { RunCatalog } from './runCatalog';
import { WorkflowDiagnostics } from './diagnostics';
import { NodeOutput } from './nodeOutput';
import { RunController, type RunNotice } from './runController';
import type { MemoryWarning } from './memoryPrompt';
import type { SeriesNotice } from './profileRepeatedly';
import { FallbackNotice } from './fallbackNotice';
import { RunsTreeProvider } from './runsTree';
import { storeDirFor } from './storage';
import { TASK_TYPE, WorkflowTaskProvider } from './taskProvider';
import { WorkflowsTreeProvider } from './workflowsTree';
import { ComparePanels } from './panels/comparePanel';
import { DashboardPanels, type PanelRendered } from './panels/dashboardPanel';
import { RUN_GLANCE_VIEW_ID, RunGlanceViewProvider } from './panels/runGlanceView';
import { RunItem } from './runsTree';
import { WalkthroughProgress, type WalkthroughState } from './walkthroughProgress';

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

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Workflow Profiler', { log: true });
  const storeDir = (): string => storeDirFor(context);
  let store: RunStore | null = null;
  const getStore = (): RunStore =>
    (store ??= new RunStore(storeDir(), { warn: (m) => log.warn(m) }));

  // One parse per document version and one cached run list, shared by every view.
  const parsed = new ParsedWorkflows();
  const runs = new RunCatalog(getStore);
  const diagnostics = new WorkflowDiagnostics(parsed);
  const output = new NodeOutput();
  const controller = new RunController(storeDir, log, output, diagnostics);
  const runsTree = new RunsTreeProvider(runs);
  const workflowsTree = new WorkflowsTreeProvider(parsed);
  const lenses = new WorkflowCodeLensProvider(runs, parsed);
  const dashboards = new DashboardPanels(context.extensionUri, runs, controller, log);
  const scratchDir = (): string =>
    path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'scratch');
  const compares = new ComparePanels(dashboards, scratchDir);
  const glance = new RunGlanceViewProvider(runs, controller);
  const seriesNotices = new vscode.EventEmitter<SeriesNotice>();
  const walkthrough = new WalkthroughProgress(controller, dashboards.onDidRender);
  const runsView = vscode.window.createTreeView('workflowProfiler.runs', {
    treeDataProvider: runsTree,
    canSelectMany: true,
  });
  runsView.onDidChangeSelection((e) => {
    const item = e.selection.find((s): s is RunItem => s instanceof RunItem);
    if (item) glance.select(item.runId);
  });

  // Views that show stored runs redraw when the catalog says the store changed; a run starting,
  // finishing a node or ending changes it, so the controller only invalidates the list.
  runs.onDidChange(() => {
    runsTree.refresh();
    lenses.refresh();
  });
  const refresh = (): void => {
    runs.invalidate(true);
    workflowsTree.refresh();
  };
  controller.onDidChange(() => runs.invalidate());
  const fallback = new FallbackNotice(context.globalState);
  controller.onDidEvent(({ event }) => {
    if (event.type === 'run-started') fallback.maybeShow(event.run.collector);
  });

  context.subscriptions.push(
    log,
    seriesNotices,
    walkthrough,
    runs,
    runs.watch(storeDir()),
    diagnostics,
    output,
    controller,
    runsTree,
    workflowsTree,
    lenses,
    vscode.window.createTreeView('workflowProfiler.workflows', {
      treeDataProvider: workflowsTree,
      showCollapseAll: true,
    }),
    runsView,
    dashboards,
    compares,
    glance,
    dashboards.register(),
    compares.register(),
    vscode.window.registerWebviewViewProvider(RUN_GLANCE_VIEW_ID, glance),
    vscode.languages.registerCodeLensProvider(WORKFLOW_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, new WorkflowHoverProvider(lenses)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new WorkflowTaskProvider(controller)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('workflowProfiler')) lenses.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => refresh()),
  );
  registerCommands(context, {
    controller,
    runs,
    log,
    refresh,
    scratchDir,
    openDashboard: (run, nodeId) => dashboards.open(run.id, nodeId),
    openCompare: (sides) => compares.open(sides),
    seriesNotices,
    onSampleCreated: () => walkthrough.reach('sampleCreated'),
  });
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms; runs are stored in ${storeDir()}`);
  return {
    storeDir,
    activationMs,
    onDidRenderPanel: dashboards.onDidRender,
    onDidNotifyRun: controller.onDidNotify,
    onDidWarnMemory: controller.onDidWarnMemory,
    onDidNotifySeries: seriesNotices.event,
    walkthrough: () => walkthrough.state(),
    resetWalkthrough: () => walkthrough.reset(),
    onDidProgressWalkthrough: walkthrough.onDidChange,
  };
}

export function deactivate(): void {
  // Disposables cancel running runs; the runner also cancels when its IPC channel closes.
}
