/**
 * "Run at a Glance": a small webview view in the side bar showing the selected or running run:
 * status, progress, the slowest nodes, and links to the dashboard and the report. Its page is
 * set once; every change (and each second of a live run's clock) is a posted model.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../model/run';
import type { RunCatalog } from '../runCatalog';
import type { ActiveRun, RunController } from '../runController';
import {
  GLANCE_COMMANDS,
  glanceHtml,
  glanceModel,
  type GlanceModel,
  type GlanceToHost,
  type HostToGlance,
} from './glanceHtml';
import { nonce } from './webviewAssets';

export class RunGlanceViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private selected: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly runs: RunCatalog,
    private readonly controller: RunController,
  ) {
    this.subscriptions.push(
      controller.onDidChange(() => void this.update()),
      runs.onDidChange(() => void this.update()),
    );
  }

  /** Shows this run (e.g. selected in the Runs tree); a running run takes precedence. */
  select(runId: string | null): void {
    this.selected = runId;
    void this.update();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: [...GLANCE_COMMANDS],
      localResourceRoots: [],
    };
    view.webview.onDidReceiveMessage((m: GlanceToHost) => {
      if (typeof m === 'object' && m !== null && m.type === 'ready') {
        this.ready = true;
        void this.update();
      }
    });
    view.onDidChangeVisibility(() => void this.update());
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
      this.stopClock();
    });
    view.webview.html = glanceHtml(nonce());
  }

  private async update(): Promise<void> {
    if (!this.view?.visible || !this.ready) return;
    const model = await this.model();
    const message: HostToGlance = { type: 'glance', model };
    if (this.view) void this.view.webview.postMessage(message);
  }

  private async model(): Promise<GlanceModel | null> {
    const active: ActiveRun | undefined = this.controller
      .activeRuns()
      .find((r) => r.record !== null);
    if (active?.record) {
      // Elapsed time moves while the run goes.
      this.timer ??= setInterval(() => void this.update(), 1000);
      return glanceModel(active.record, {
        done: active.done,
        total: active.total,
        elapsedMs: Date.now() - active.startedAt,
        running: [...active.running],
      });
    }
    this.stopClock();
    let run: RunRecord | null = null;
    try {
      const id = this.selected ?? (await this.runs.list())[0]?.id ?? null;
      if (id) run = await this.runs.load(id);
    } catch {
      run = null;
    }
    return glanceModel(run, null);
  }

  private stopClock(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.stopClock();
    for (const s of this.subscriptions) s.dispose();
  }
}
