/**
 * Runs a workflow in this process, behind the same RunHandle as a forked runner. For the CLI: it
 * owns its terminal and nothing else, so a second Node start (and a second bundle compile) per
 * run buys it nothing. The editor keeps forking (runnerClient), so a workflow's crash cannot take
 * the editor down.
 *
 * The same run records follow: run.json names this process as the runner (pid and start ticks),
 * so a CLI killed mid-run leaves a run the next reader marks interrupted, as with a forked one;
 * each node's reaper has this process as its parent and kills its tree when it dies.
 */
import type { RunRequest, RunResult, RunnerEvent } from '../protocol/runner';
import type { RunHandle } from './runnerClient';
import { fatalMessageOf, RunOutcome } from './runOutcome';
import { runWorkflow, type ReportRenderer, type RunFinaliser } from './runWorkflow';

export interface InProcessRunOptions {
  onEvent?: (event: RunnerEvent) => void;
  renderReport: ReportRenderer;
  finalise: RunFinaliser | null;
}

export function startRunInProcess(request: RunRequest, options: InProcessRunOptions): RunHandle {
  const controller = new AbortController();
  const outcome = new RunOutcome();
  const emit = (event: RunnerEvent): void => {
    outcome.observe(event);
    options.onEvent?.(event);
  };
  const result: Promise<RunResult> = runWorkflow(
    request,
    controller.signal,
    emit,
    options.renderReport,
    options.finalise,
  ).then(
    () => outcome.result('the run ended without a result'),
    (err: unknown) => {
      emit({ type: 'fatal', message: fatalMessageOf(err) });
      return outcome.result('the run failed');
    },
  );
  return {
    pid: process.pid,
    result,
    cancel: (reason = 'cancelled by the user') => {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    // Events reach the caller as they happen here: nothing is held back to flush.
    flushSamples: () => undefined,
  };
}
