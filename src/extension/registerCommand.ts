/**
 * The one way commands are registered: a failing command (thrown or rejected) is logged with its
 * stack and shown as one error message, and never escapes as an unhandled rejection.
 */
import * as vscode from 'vscode';
import type { CommandId } from './commandIds';

export type CommandHandler = (...args: unknown[]) => unknown;

export interface CommandErrorSink {
  error(message: string): void;
}

/** Runs `fn`; on failure reports it once and resolves to undefined. */
export function guarded(id: CommandId, fn: CommandHandler, log: CommandErrorSink): CommandHandler {
  const fail = (err: unknown): undefined => {
    const message = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error && err.stack ? err.stack : message;
    log.error(`command ${id} failed: ${stack}`);
    void vscode.window.showErrorMessage(`Workflow Profiler: ${message}`);
    return undefined;
  };
  return (...args: unknown[]): unknown => {
    try {
      const result = fn(...args);
      return isThenable(result) ? Promise.resolve(result).catch(fail) : result;
    } catch (err) {
      return fail(err);
    }
  };
}

export function registerCommand(
  id: CommandId,
  fn: CommandHandler,
  log: CommandErrorSink,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, guarded(id, fn, log));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
