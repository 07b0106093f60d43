/**
 * Starts a runner process and follows its events. Used by the CLI and the editor alike, so the
 * caller never blocks on a run: it gets events as they happen and a promise of the result.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { distDir } from '../measure/assets';
import {
  isRunnerEvent,
  type ParentMessage,
  type RunRequest,
  type RunResult,
  type RunnerEvent,
} from '../protocol/runner';

export interface RunHandle {
  /** The runner's pid (the node processes are its descendants). */
  pid: number | undefined;
  result: Promise<RunResult>;
  cancel(reason?: string): void;
  /** Asks the runner for the live samples it holds back (a live view just opened). */
  flushSamples(): void;
}

export interface StartRunOptions {
  onEvent?: (event: RunnerEvent) => void;
  /** Runner script; defaults to the bundled `runner.js` beside this code. */
  runnerPath?: string;
  /** Where the runner's own stderr goes (warnings); default: inherited. */
  stderr?: 'inherit' | 'pipe';
  onStderr?: (text: string) => void;
}

export function startRun(request: RunRequest, options: StartRunOptions = {}): RunHandle {
  const runnerPath = options.runnerPath ?? path.join(distDir(), 'runner.js');
  const child: ChildProcess = fork(runnerPath, [], {
    stdio: ['ignore', 'inherit', options.stderr ?? 'inherit', 'ipc'],
    // In an Electron-based editor, execPath is the editor: make it behave as plain Node.
    env: { ...process.env, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
    serialization: 'json',
  });
  if (options.onStderr && child.stderr) {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', options.onStderr);
  }
  let runId: string | null = null;
  let runDir: string | null = null;
  let finished: RunResult | null = null;
  let fatal: string | null = null;

  const result = new Promise<RunResult>((resolve) => {
    child.on('message', (raw: unknown) => {
      if (!isRunnerEvent(raw)) return;
      const event = raw;
      switch (event.type) {
        case 'run-started':
          runId = event.runId;
          runDir = event.runDir;
          break;
        case 'run-finished':
          finished = {
            status: event.run.status,
            runId: event.runId,
            runDir: event.runDir,
            problems: [],
            run: event.run,
            error: null,
          };
          break;
        case 'invalid':
          finished = {
            status: 'invalid',
            runId: null,
            runDir: null,
            problems: event.problems,
            run: null,
            error: null,
          };
          break;
        case 'fatal':
          fatal = event.message;
          break;
        default:
          break;
      }
      options.onEvent?.(event);
    });
    child.on('error', (err) => {
      fatal ??= `could not start the runner: ${err.message}`;
    });
    child.on('exit', (code, signal) => {
      if (finished) {
        resolve(finished);
        return;
      }
      resolve({
        status: runId ? 'interrupted' : 'failed',
        runId,
        runDir,
        problems: [],
        run: null,
        error: fatal ?? `the runner exited unexpectedly (${signal ?? `code ${code ?? 'unknown'}`})`,
      });
    });
  });

  const send = (msg: ParentMessage): void => {
    if (child.connected) child.send(msg);
  };
  send({ type: 'start', request });
  return {
    pid: child.pid,
    result,
    cancel: (reason = 'cancelled by the user') => send({ type: 'cancel', reason }),
    flushSamples: () => send({ type: 'flush-samples' }),
  };
}
