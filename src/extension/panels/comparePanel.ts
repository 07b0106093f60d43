/**
 * The compare panel: a baseline and a candidate, each a series, a run or a list of runs. The host
 * resolves both sides and computes the statistics with the `compare` command's own query
 * (src/query/compareSides.ts), sends the result whole, recomputes when the page chooses other
 * sides, and a serializer restores the panel from the sides the page kept.
 */
import * as vscode from 'vscode';
import { COMPARE_VIEW_TYPE } from '../contributionIds';
import type { SeriesComparison } from '../../model/seriesComparison';
import type { CompareToHost, HostToCompare } from '../../protocol/compare';
import { parseCompareToHost, restoredSides } from '../../protocol/compareValidate';
import { describeMessage } from '../../protocol/validate';
import { compareChoices, compareSides, type SidesComparison } from '../../query/compareSides';
import { compareSnapshot } from '../../report/compareSnapshot';
import { COMMANDS } from '../commandIds';
import { showCompareReport } from '../compareReport';
import type { DashboardPanels } from './dashboardPanel';
import { revealNode } from './revealNode';
import { htmlFor, webviewOptions } from './webviewAssets';

export interface CompareSidesSpec {
  baseline: string;
  candidate: string;
}

const keyOf = (s: CompareSidesSpec): string => `${s.baseline} | ${s.candidate}`;

export class ComparePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Set<ComparePanel>();

  constructor(
    readonly dashboards: DashboardPanels,
    readonly scratchDir: () => string,
  ) {}

  /** Restores a panel VS Code kept across a reload (registered by activate()). */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const sides = restoredSides(state);
    if (!sides) panel.dispose();
    else void this.attach(panel, sides).computed.catch(() => undefined);
    return Promise.resolve();
  }

  /**
   * Opens (or reveals) the panel comparing these sides; resolves with the host's comparison, the
   * same result `compare --json` prints, once it is computed.
   */
  open(sides: CompareSidesSpec): Promise<SeriesComparison> {
    const existing = [...this.panels].find((p) => keyOf(p.sides) === keyOf(sides));
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing.computed.then((c) => c.result);
    }
    const panel = vscode.window.createWebviewPanel(
      COMPARE_VIEW_TYPE,
      'Compare Runs',
      vscode.ViewColumn.Active,
      webviewOptions(this.dashboards.extensionUri),
    );
    return this.attach(panel, sides).computed.then((c) => c.result);
  }

  private attach(panel: vscode.WebviewPanel, sides: CompareSidesSpec): ComparePanel {
    const p = new ComparePanel(panel, sides, this);
    this.panels.add(p);
    panel.onDidDispose(() => this.panels.delete(p));
    return p;
  }

  dispose(): void {
    for (const p of this.panels) p.panel.dispose();
  }
}

class ComparePanel {
  /** The comparison shown (or being computed for the first time). */
  computed: Promise<SidesComparison>;
  private file: string | null = null;
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public sides: CompareSidesSpec,
    private readonly manager: ComparePanels,
  ) {
    const ext = manager.dashboards.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'activity.svg');
    panel.webview.html = htmlFor(panel.webview, ext, 'compare', 'Compare Runs');
    // Computed at once, not on `ready`: a caller waiting for the result needs no page.
    this.computed = this.compute(sides);
    this.computed.catch((err: unknown) => {
      void vscode.window.showErrorMessage(
        `Workflow Profiler: cannot compare: ${(err as Error).message}`,
      );
      panel.dispose();
    });
    // A webview posting malformed messages would flood the log: the first one is enough.
    let loggedInvalid = false;
    const sub = panel.webview.onDidReceiveMessage(async (raw: unknown) => {
      const m: CompareToHost | null = parseCompareToHost(raw);
      if (!m) {
        if (!loggedInvalid)
          manager.dashboards.log.warn(
            `compare ${keyOf(this.sides)}: ignored an invalid message from the webview (${describeMessage(raw)})`,
          );
        loggedInvalid = true;
        return;
      }
      await this.receive(m);
    });
    panel.onDidDispose(() => {
      sub.dispose();
    });
  }

  private async compute(sides: CompareSidesSpec): Promise<SidesComparison> {
    const cache = this.manager.dashboards.cache;
    const c = await compareSides(cache, sides.baseline, sides.candidate);
    const last = c.candidate.runs[c.candidate.runs.length - 1];
    this.file = last?.workflow.file ?? null;
    this.panel.title = `Compare: ${last?.workflow.name ?? ''}`;
    return c;
  }

  private async post(c: SidesComparison): Promise<void> {
    const choices = await compareChoices(this.manager.dashboards.cache, this.file);
    const message: HostToCompare = {
      type: 'snapshot',
      snapshot: compareSnapshot({ ...c, choices }),
    };
    void this.panel.webview.postMessage(message);
  }

  private async receive(m: CompareToHost): Promise<void> {
    const log = this.manager.dashboards.log;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.post(await this.computed);
        break;
      case 'choose': {
        const sides = { baseline: m.baseline, candidate: m.candidate };
        try {
          const next = await this.compute(sides);
          this.sides = sides;
          this.computed = Promise.resolve(next);
          if (this.ready) await this.post(next);
        } catch (err) {
          const message: HostToCompare = {
            type: 'error',
            message: `Cannot compare ${sides.baseline} with ${sides.candidate}: ${(err as Error).message}`,
          };
          void this.panel.webview.postMessage(message);
        }
        break;
      }
      case 'openReport':
        await showCompareReport(this.manager.scratchDir(), await this.computed);
        break;
      case 'revealNode':
        if (this.file) await revealNode(this.file, m.nodeId);
        break;
      case 'openDashboard':
        await vscode.commands.executeCommand(COMMANDS.openDashboard, m.runId);
        break;
      case 'rendered': {
        const id = keyOf(this.sides);
        log.info(`compare ${id}: drawn in ${m.ms.toFixed(0)} ms`);
        this.manager.dashboards.rendered({ kind: 'compare', id, ms: m.ms, charts: m.charts });
        break;
      }
      default:
        break;
    }
  }
}
