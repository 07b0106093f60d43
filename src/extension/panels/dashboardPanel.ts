/**
 * The dashboard webview panels: one per run, restored after a window reload by a serializer,
 * live while the run goes (incremental updates every 200 ms, then the final snapshot), and
 * re-sent whole whenever the webview (re)loads and says it is ready.
 */
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../contributionIds';
import { COMMANDS } from '../commandIds';
import type {
  DashboardSnapshot,
  DashboardToHost,
  DashboardUiState,
  HostToDashboard,
} from '../../protocol/dashboard';
import { parseDashboardToHost } from '../../protocol/dashboardValidate';
import { describeMessage } from '../../protocol/validate';
import type { RunRecord, Sample, TaskRun } from '../../model/run';
import { planOf, whatIfInputOf } from '../../report/panelSnapshots';
import { customHistory, customPrevious } from '../../query/customHistory';
import type { RunController } from '../runController';
import type { RunCatalog } from '../runCatalog';
import { revealNode } from './revealNode';
import { htmlFor, webviewOptions } from './webviewAssets';

const LIVE_FLUSH_MS = 200;

export interface PanelRendered {
  kind: 'dashboard' | 'compare';
  id: string;
  ms: number;
  charts: string[];
}

export class DashboardPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, DashboardPanel>();
  private readonly renderedEmitter = new vscode.EventEmitter<PanelRendered>();
  /** Fires when a panel reports that every chart has drawn (tests and the benchmark wait on it). */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    readonly extensionUri: vscode.Uri,
    /** The extension's one run catalog: panels load runs and history through it. */
    readonly cache: RunCatalog,
    readonly controller: RunController,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** Restores a panel VS Code kept across a reload (registered by activate()). */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const runId = uiStateRunId(state);
    if (!runId) panel.dispose();
    else this.attach(panel, runId);
    return Promise.resolve();
  }

  /** Opens (or reveals) the dashboard of a run, optionally focused on one node. */
  open(runId: string, nodeId?: string): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.panel.reveal(undefined, true);
      if (nodeId) existing.focus(nodeId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Workflow Dashboard',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    const p = this.attach(panel, runId);
    if (nodeId) p.focus(nodeId);
  }

  rendered(r: PanelRendered): void {
    this.renderedEmitter.fire(r);
  }

  private attach(panel: vscode.WebviewPanel, runId: string): DashboardPanel {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    panel.webview.html = htmlFor(
      panel.webview,
      this.extensionUri,
      'dashboard',
      'Workflow Dashboard',
    );
    const p = new DashboardPanel(panel, runId, this);
    this.panels.set(runId, p);
    panel.onDidDispose(() => {
      this.panels.delete(runId);
      p.dispose();
    });
    return p;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.renderedEmitter.dispose();
  }
}

function uiStateRunId(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const id = (state as Partial<DashboardUiState>).runId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

class DashboardPanel {
  private readonly subscriptions: vscode.Disposable[] = [];
  private pendingTasks = new Map<string, TaskRun>();
  private pendingSamples: Sample[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private pendingFocus: string | null = null;
  private ready = false;
  private file: string | null = null;
  /** A webview posting malformed messages would flood the log: the first one is enough. */
  private loggedInvalid = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly runId: string,
    private readonly manager: DashboardPanels,
  ) {
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      manager.controller.onDidEvent(({ run, event }) => {
        if (run.runId !== this.runId) return;
        switch (event.type) {
          case 'task-started':
          case 'task-finished':
            this.pendingTasks.set(`${event.task.nodeId}#${event.task.attempt}`, event.task);
            this.scheduleFlush();
            break;
          case 'samples':
            this.pendingSamples.push(...event.samples);
            this.scheduleFlush();
            break;
          case 'run-finished':
            // The last word is a whole snapshot of the finished run.
            this.clearPending();
            void this.sendSnapshot(event.run, run.samples);
            break;
          default:
            break;
        }
      }),
    );
  }

  focus(nodeId: string): void {
    if (this.ready) this.post({ type: 'focusNode', nodeId });
    else this.pendingFocus = nodeId;
  }

  private post(message: HostToDashboard): void {
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const m = parseDashboardToHost(raw);
    if (m) void this.onMessage(m);
    else if (!this.loggedInvalid) {
      this.loggedInvalid = true;
      this.manager.log.warn(
        `dashboard ${this.runId}: ignored an invalid message from the webview (${describeMessage(raw)})`,
      );
    }
  }

  private async onMessage(m: DashboardToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.clearPending();
        await this.sendSnapshot();
        // The runner holds live samples back up to 500 ms: the ones after the snapshot, now.
        this.manager.controller.activeRun(this.runId)?.handle.flushSamples();
        if (this.pendingFocus) {
          this.post({ type: 'focusNode', nodeId: this.pendingFocus });
          this.pendingFocus = null;
        }
        break;
      case 'revealNode':
        if (this.file) await revealNode(this.file, m.nodeId);
        break;
      case 'openReport':
        await vscode.commands.executeCommand(COMMANDS.openReport, this.runId);
        break;
      case 'rendered':
        this.manager.log.info(
          `dashboard ${m.runId}: ${m.charts.length} charts drawn in ${m.ms.toFixed(0)} ms`,
        );
        this.manager.rendered({ kind: 'dashboard', id: m.runId, ms: m.ms, charts: m.charts });
        break;
      default:
        break;
    }
  }

  private async sendSnapshot(finished?: RunRecord, liveSamples?: Sample[]): Promise<void> {
    try {
      const snapshot = await this.snapshot(finished, liveSamples);
      this.file = snapshot.run.workflow.file;
      this.panel.title = `${snapshot.run.workflow.name} · ${snapshot.live ? 'live' : snapshot.run.status}`;
      this.post({ type: 'snapshot', snapshot });
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Workflow Profiler: cannot open run ${this.runId}: ${(err as Error).message}`,
      );
      this.panel.dispose();
    }
  }

  private async snapshot(finished?: RunRecord, liveSamples?: Sample[]): Promise<DashboardSnapshot> {
    const active = finished ? undefined : this.manager.controller.activeRun(this.runId);
    if (active?.record) {
      return {
        run: structuredClone(active.record),
        samples: [...active.samples],
        plan: active.plan,
        live: true,
        customHistory: await customHistory(this.manager.cache, active.record),
        customPrevious: await customPrevious(this.manager.cache, active.record),
        sentAt: Date.now(),
      };
    }
    const run = finished ?? (await this.manager.cache.load(this.runId));
    const stored = await this.manager.cache.readSamples(run.id);
    const samples = stored.length >= (liveSamples?.length ?? 0) ? stored : (liveSamples ?? []);
    return {
      run,
      samples,
      plan: planOf(run),
      live: false,
      customHistory: await customHistory(this.manager.cache, run),
      customPrevious: await customPrevious(this.manager.cache, run),
      whatIf: whatIfInputOf(run),
      sentAt: Date.now(),
    };
  }

  private scheduleFlush(): void {
    if (!this.ready || this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), LIVE_FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = null;
    const active = this.manager.controller.activeRun(this.runId);
    if (!active?.record) return;
    const tasks = [...this.pendingTasks.values()];
    const samples = this.pendingSamples;
    this.pendingTasks = new Map();
    this.pendingSamples = [];
    this.post({
      type: 'update',
      update: {
        runId: this.runId,
        status: active.record.status,
        wallMs: active.record.wallMs,
        endedAt: active.record.endedAt,
        tasks,
        samples,
        sentAt: Date.now(),
      },
    });
  }

  private clearPending(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.pendingTasks = new Map();
    this.pendingSamples = [];
  }

  dispose(): void {
    this.clearPending();
    for (const s of this.subscriptions) s.dispose();
  }
}
