/**
 * How the CLI reports failures: a mistake a person can fix (a wrong path, a read-only store, an
 * unknown run) is one line saying what and where; anything else is an internal error, one line
 * plus a file under the OS temp folder holding the full trace (printed too with --debug).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStoreError } from '../store/runStore';
import { describeFsError, fsProblem } from '../store/writeFault';

/** A failure the user can act on, with its exit status (2 usage, 1 otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The one line for a user's mistake, or null when the error is internal. */
export function userMessage(err: unknown): string | null {
  if (err instanceof CliError || err instanceof RunStoreError) return err.message;
  return describeFsError(err);
}

/**
 * Lines for an internal error: its message and where the trace was written (or the trace itself
 * when it cannot be written, or with `debug`).
 */
export function internalErrorLines(trace: string, debug: boolean): string[] {
  const first = trace.split('\n', 1)[0] ?? trace;
  const file = path.join(os.tmpdir(), `workflow-profiler-error-${process.pid}-${Date.now()}.log`);
  let where: string;
  try {
    fs.writeFileSync(file, trace + '\n');
    where = ` (full trace in ${file}${debug ? '' : '; --debug prints it'})`;
  } catch {
    // Nowhere to keep it: the trace itself is the only way to keep it.
    return [`workflow-profiler: internal error: ${first}`, trace];
  }
  const line = `workflow-profiler: internal error: ${first}${where}`;
  return debug ? [line, trace] : [line];
}

export function traceOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * The store folder, made if missing and checked writable, before a run is started in it: the
 * runner would otherwise fail on its first write with an error far from the cause.
 */
export function prepareStore(storeDir: string): void {
  const st = fs.statSync(storeDir, { throwIfNoEntry: false });
  if (st && !st.isDirectory())
    throw new CliError(`the run store ${storeDir} is not a folder (--store names a file)`);
  try {
    fs.mkdirSync(storeDir, { recursive: true });
    fs.accessSync(storeDir, fs.constants.W_OK);
  } catch (err) {
    throw new CliError(
      `cannot write to the run store ${storeDir}: ${describeFsError(err) ?? (err as Error).message}`,
    );
  }
}

/** Checks that `file` can be created: its folder exists, is a folder and is writable. */
export function checkOutputFile(file: string): void {
  const dir = path.dirname(file);
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new CliError(`cannot write ${file}: the folder ${dir} does not exist`);
  if (!st.isDirectory()) throw new CliError(`cannot write ${file}: ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${describeFsError(err) ?? (err as Error).message}`);
  }
}

/** Runs a write of `file`, turning a file-system failure into one line naming `file`. */
export async function writingTo<T>(file: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const what = fsProblem(err);
    if (what === null) throw err;
    throw new CliError(`cannot write ${file}: ${what}`);
  }
}
