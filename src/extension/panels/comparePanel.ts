/**
 * The compare panel: two or more runs of one workflow side by side. The host computes the
 * comparison (pure, src/report/compare.ts) and sends it whole; a serializer restores it.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { CompareToHost, CompareUiState, HostToCompare } from '../../protocol/compare';
import { parseCompareToHost } from '../../protocol/compareValidate';
import { describeMessage } from '../../protocol/validate';
import { compareSnapshot } from '../../report/compareSnapshot';
import type { DashboardPanels } from './dashboardPanel';
import { revealNode } from './revealNode';
import { htmlFor, webviewOptions } from './webviewAssets';

export const COMPARE_VIEW_TYPE = 'workflowProfiler.compare';

export class ComparePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly dashboards: DashboardPanels) {}

  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => {
        const ids = runIdsOf(state);
        if (ids.length < 2) {
          panel.dispose();
          return Promise.resolve();
        }
        this.attach(panel, ids);
        return Promise.resolve();
      },
    });
  }

  open(runIds: string[]): void {
    const key = [...runIds].sort().join(',');
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      COMPARE_VIEW_TYPE,
      'Compare Runs',
      vscode.ViewColumn.Active,
      webviewOptions(this.dashboards.extensionUri),
    );
    this.attach(panel, runIds);
  }

  private attach(panel: vscode.WebviewPanel, runIds: string[]): void {
    const key = [...runIds].sort().join(',');
    const ext = this.dashboards.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'activity.svg');
    panel.webview.html = htmlFor(panel.webview, ext, 'compare', 'Compare Runs');
    this.panels.set(key, panel);
    let file: string | null = null;
    // A webview posting malformed messages would flood the log: the first one is enough.
    let loggedInvalid = false;
    const sub = panel.webview.onDidReceiveMessage(async (raw: unknown) => {
      const m: CompareToHost | null = parseCompareToHost(raw);
      if (!m) {
        if (!loggedInvalid) {
          this.dashboards.log.warn(
            `compare ${key}: ignored an invalid message from the webview (${describeMessage(raw)})`,
          );
        }
        loggedInvalid = true;
        return;
      }
      switch (m.type) {
        case 'ready': {
          try {
            const runs = await Promise.all(runIds.map((id) => this.dashboards.cache.load(id)));
            const snapshot = compareSnapshot(runs);
            file = runs[runs.length - 1]?.workflow.file ?? null;
            panel.title = `Compare: ${snapshot.workflowName} (${runs.length} runs)`;
            const message: HostToCompare = { type: 'snapshot', snapshot };
            void panel.webview.postMessage(message);
          } catch (err) {
            void vscode.window.showErrorMessage(
              `Workflow Profiler: cannot compare: ${(err as Error).message}`,
            );
            panel.dispose();
          }
          break;
        }
        case 'revealNode':
          if (file) await revealNode(file, m.nodeId);
          break;
        case 'openDashboard':
          await vscode.commands.executeCommand(COMMANDS.openDashboard, m.runId);
          break;
        case 'rendered':
          this.dashboards.log.info(`compare ${key}: drawn in ${m.ms.toFixed(0)} ms`);
          this.dashboards.rendered({ kind: 'compare', id: key, ms: m.ms, charts: m.charts });
          break;
        default:
          break;
      }
    });
    panel.onDidDispose(() => {
      sub.dispose();
      this.panels.delete(key);
    });
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
  }
}

function runIdsOf(state: unknown): string[] {
  if (typeof state !== 'object' || state === null) return [];
  const ids = (state as Partial<CompareUiState>).runIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}
