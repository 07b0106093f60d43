/**
 * The walkthrough's progress: one context key per step, set only when the thing the step asks
 * for has really happened (a run that completed, a dashboard or compare panel that drew), so a
 * button that fails does not tick its step. VS Code remembers a completed step itself, so the
 * keys only ever go from false to true within a session.
 */
import * as vscode from 'vscode';
import type { PanelRendered } from './panels/dashboardPanel';
import type { RunController } from './runController';

/** The keys, as package.json's walkthrough steps name them in `onContext:` completion events. */
export const WALKTHROUGH_KEYS = {
  sampleCreated: 'workflowProfiler.walkthrough.sampleCreated',
  runCompleted: 'workflowProfiler.walkthrough.runCompleted',
  profileCompleted: 'workflowProfiler.walkthrough.profileCompleted',
  dashboardOpened: 'workflowProfiler.walkthrough.dashboardOpened',
  compareOpened: 'workflowProfiler.walkthrough.compareOpened',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_KEYS;

export type WalkthroughState = Record<WalkthroughStep, boolean>;

export class WalkthroughProgress implements vscode.Disposable {
  private readonly done: WalkthroughState = {
    sampleCreated: false,
    runCompleted: false,
    profileCompleted: false,
    dashboardOpened: false,
    compareOpened: false,
  };
  private readonly changed = new vscode.EventEmitter<WalkthroughState>();
  /** Fires after a step's key was set (tests wait on it). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(controller: RunController, onDidRenderPanel: vscode.Event<PanelRendered>) {
    this.subscriptions = [
      controller.onDidEvent(({ run, event }) => {
        // The runner's last word on a run: only a run that completed ticks the run steps.
        if (event.type !== 'run-finished' || event.run.status !== 'completed') return;
        this.reach('runCompleted');
        if (run.profile) this.reach('profileCompleted');
      }),
      // A panel reports `rendered` once its page has drawn every chart: it really opened.
      onDidRenderPanel((r) =>
        this.reach(r.kind === 'dashboard' ? 'dashboardOpened' : 'compareOpened'),
      ),
    ];
  }

  state(): WalkthroughState {
    return { ...this.done };
  }

  reach(step: WalkthroughStep): void {
    if (this.done[step]) return;
    this.done[step] = true;
    // Announced once VS Code holds the key, so a listener may rely on the step being ticked.
    void vscode.commands
      .executeCommand('setContext', WALKTHROUGH_KEYS[step], true)
      .then(() => this.changed.fire(this.state()));
  }

  /**
   * Forgets this session's progress (every key back to false). For extension-host tests, which
   * share one session: each can then watch its own step being reached, or not.
   */
  async reset(): Promise<void> {
    for (const step of Object.keys(WALKTHROUGH_KEYS) as WalkthroughStep[]) {
      this.done[step] = false;
      await vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[step], false);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
