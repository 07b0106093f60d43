/**
 * What a run came to, from the events its runner sent: the one reading of a runner's events into
 * a RunResult, shared by a forked runner (runnerClient) and one running in this process
 * (inProcessRun), so both report a run the same way.
 */
import type { RunResult, RunnerEvent } from '../protocol/runner';
import { describeFsError } from '../store/writeFault';

export class RunOutcome {
  private runId: string | null = null;
  private runDir: string | null = null;
  private finished: RunResult | null = null;
  private fatal: string | null = null;

  observe(event: RunnerEvent): void {
    switch (event.type) {
      case 'run-started':
        this.runId = event.runId;
        this.runDir = event.runDir;
        break;
      case 'run-finished':
        this.finished = {
          status: event.run.status,
          runId: event.runId,
          runDir: event.runDir,
          problems: [],
          run: event.run,
          error: null,
        };
        break;
      case 'invalid':
        this.finished = {
          status: 'invalid',
          runId: null,
          runDir: null,
          problems: event.problems,
          run: null,
          error: null,
        };
        break;
      case 'fatal':
        this.fatal = event.message;
        break;
      default:
        break;
    }
  }

  /** A runner that could not start says why; the first reason is kept. */
  failedToStart(message: string): void {
    this.fatal ??= message;
  }

  /** The result once the runner is done; `ended` says how, for a runner that sent no end. */
  result(ended: string): RunResult {
    if (this.finished) return this.finished;
    return {
      status: this.runId ? 'interrupted' : 'failed',
      runId: this.runId,
      runDir: this.runDir,
      problems: [],
      run: null,
      error: this.fatal ?? ended,
    };
  }
}

/** A runner's own failure as one message: a file-system mistake in one line, else with its trace. */
export function fatalMessageOf(err: unknown): string {
  return describeFsError(err) ?? (err instanceof Error ? (err.stack ?? err.message) : String(err));
}
