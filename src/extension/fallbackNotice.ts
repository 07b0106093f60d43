/**
 * Says once, in a notification, that runs are measured by sampling because the native reaper
 * cannot run here (the universal package, a package for another architecture, a damaged
 * install). Every run still records the reason in its collector block and report; the
 * notification is for the person who would otherwise wonder why CPU and I/O are estimates. It
 * comes back only when the reason changes (another package installed, another machine).
 */
import * as vscode from 'vscode';
import type { CollectorInfo } from '../model/run';

const SHOWN_KEY = 'workflowProfiler.reaperFallbackShown';

/** The reason to tell about, or null: reaper used, an older run, or already told. */
export function fallbackToTell(
  collector: CollectorInfo,
  alreadyTold: string | undefined,
): string | null {
  const reaper = collector.reaper;
  if (!reaper || reaper.used || reaper.fallbackReason === null) return null;
  return reaper.fallbackReason === alreadyTold ? null : reaper.fallbackReason;
}

export class FallbackNotice {
  constructor(private readonly state: vscode.Memento) {}

  /** Called with each run's collector as the run starts. */
  maybeShow(collector: CollectorInfo): void {
    const reason = fallbackToTell(collector, this.state.get<string>(SHOWN_KEY));
    if (reason === null) return;
    void this.state.update(SHOWN_KEY, reason);
    void vscode.window.showInformationMessage(
      `Workflow Profiler measures nodes by sampling here (CPU time, I/O and peaks are estimates, context switches unavailable): ${reason}.`,
    );
  }
}
