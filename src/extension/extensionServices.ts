/**
 * Everything behind the extension's contributions: the run controller, the run catalog, the
 * trees, lenses, panels and command handlers. Built into a bundle of its own
 * (dist/extensionServices.js) that activate() loads on the first use of any contribution, so
 * activation itself loads none of it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../store/runStore';
import { WorkflowCodeLensProvider, WorkflowHoverProvider } from './codeLens';
import type { CommandId } from './commandIds';
import { commandHandlers } from './commands';
import { ParsedWorkflows } from './parsedWorkflows';
import { RunCatalog } from './runCatalog';
import { WorkflowDiagnostics } from './diagnostics';
import { NodeOutput } from './nodeOutput';
import { RunController } from './runController';
import type { CommandHandler } from './registerCommand';
import type { SeriesNotice } from './profileRepeatedly';
import { FallbackNotice } from './fallbackNotice';
import { RunItem, RunsTreeProvider } from './runsTree';
import { WorkflowTaskProvider } from './taskProvider';
import { WorkflowsTreeProvider } from './workflowsTree';
import { ComparePanels } from './panels/comparePanel';
import { DashboardPanels } from './panels/dashboardPanel';
import { RunGlanceViewProvider } from './panels/runGlanceView';
import { WalkthroughProgress } from './walkthroughProgress';

export interface ExtensionServices {
  controller: RunController;
  runsTree: RunsTreeProvider;
  workflowsTree: WorkflowsTreeProvider;
  lenses: WorkflowCodeLensProvider;
  hover: WorkflowHoverProvider;
  tasks: WorkflowTaskProvider;
  glance: RunGlanceViewProvider;
  dashboards: DashboardPanels;
  compares: ComparePanels;
  walkthrough: WalkthroughProgress;
  seriesNotices: vscode.EventEmitter<SeriesNotice>;
  commands: ReadonlyMap<CommandId, CommandHandler>;
  /** The runs view's selection changed: the glance view shows the run picked. */
  selectRuns(selection: readonly unknown[]): void;
  /** Re-reads the store and the workspace's workflows (the refresh command, trust granted). */
  refresh(): void;
}

export function createServices(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  storeDir: () => string,
): ExtensionServices {
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
    dashboards,
    compares,
    glance,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('workflowProfiler')) lenses.refresh();
    }),
  );
  const commands = commandHandlers({
    controller,
    runs,
    refresh,
    scratchDir,
    openDashboard: (run, nodeId) => dashboards.open(run.id, nodeId),
    openCompare: (sides) => compares.open(sides),
    seriesNotices,
    onSampleCreated: () => walkthrough.reach('sampleCreated'),
  });
  return {
    controller,
    runsTree,
    workflowsTree,
    lenses,
    hover: new WorkflowHoverProvider(lenses),
    tasks: new WorkflowTaskProvider(controller),
    glance,
    dashboards,
    compares,
    walkthrough,
    seriesNotices,
    commands,
    selectRuns: (selection) => {
      const item = selection.find((s): s is RunItem => s instanceof RunItem);
      if (item) glance.select(item.runId);
    },
    refresh,
  };
}
