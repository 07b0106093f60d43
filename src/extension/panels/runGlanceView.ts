/**
 * "Run at a Glance": a small webview view in the side bar showing the selected or running run.
 * Rendered on the host as static HTML (no script at all): status, progress, the slowest nodes,
 * and links to the dashboard and the report.
 */
import * as vscode from 'vscode';
import type { RunStore } from '../../store/runStore';
import type { RunRecord } from '../../model/run';
import type { ActiveRun, RunController } from '../runController';
import { glanceHtml } from './glanceHtml';
import { nonce } from './webviewAssets';

export const RUN_GLANCE_VIEW_ID = 'workflowProfiler.runGlance';

export class RunGlanceViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private selected: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: () => RunStore,
    private readonly controller: RunController,
  ) {
    this.subscriptions.push(controller.onDidChange(() => void this.render()));
  }

  /** Shows this run (e.g. selected in the Runs tree); a running run takes precedence. */
  select(runId: string | null): void {
    this.selected = runId;
    void this.render();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = {
      enableScripts: false,
      enableCommandUris: [
        'workflowProfiler.openDashboard',
        'workflowProfiler.openReport',
        'workflowProfiler.cancel',
      ],
      localResourceRoots: [],
    };
    view.onDidChangeVisibility(() => void this.render());
    view.onDidDispose(() => (this.view = undefined));
    void this.render();
  }

  private async render(): Promise<void> {
    if (!this.view?.visible) return;
    const active: ActiveRun | undefined = this.controller
      .activeRuns()
      .find((r) => r.record !== null);
    let html: string;
    if (active?.record) {
      html = glanceHtml(
        active.record,
        {
          done: active.done,
          total: active.total,
          elapsedMs: Date.now() - active.startedAt,
          running: [...active.running],
        },
        nonce(),
      );
      // Elapsed time moves while the run goes.
      this.timer ??= setInterval(() => void this.render(), 1000);
    } else {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      let run: RunRecord | null = null;
      const id = this.selected ?? this.store().list().runs[0]?.id ?? null;
      if (id) {
        try {
          run = await this.store().load(id);
        } catch {
          run = null;
        }
      }
      html = glanceHtml(run, null, nonce());
    }
    if (this.view) this.view.webview.html = html;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
