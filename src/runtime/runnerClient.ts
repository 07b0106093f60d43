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
import { RunOutcome } from './runOutcome';

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
  const outcome = new RunOutcome();
  const result = new Promise<RunResult>((resolve) => {
    child.on('message', (raw: unknown) => {
      if (!isRunnerEvent(raw)) return;
      outcome.observe(raw);
      options.onEvent?.(raw);
    });
    child.on('error', (err) => outcome.failedToStart(`could not start the runner: ${err.message}`));
    child.on('exit', (code, signal) =>
      resolve(
        outcome.result(`the runner exited unexpectedly (${signal ?? `code ${code ?? 'unknown'}`})`),
      ),
    );
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
