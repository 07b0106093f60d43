/**
 * One node's root process as the process layer sees it, whether Node spawned it (the one-shot
 * reaper, or the command itself without one) or the spawn helper forked it (spawnHelper.ts).
 */
import { spawn, type SpawnOptions } from 'node:child_process';

export interface ChildEvents {
  /** The root's pid is known (at once for Node's spawn, with the helper's first frame otherwise). */
  started(pid: number): void;
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** The root exited (its output may still be held open by an escaped process). */
  exit(): void;
  /** Exited, and both outputs ended (or were let go). */
  close(): void;
  /** Could not start at all: no exit follows. */
  error(message: string): void;
}

export interface NodeChild {
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /**
   * The reaper's result JSON when it came over a pipe (null: the reaper gave none); undefined when
   * the result is in a result file instead.
   */
  readonly resultText: string | null | undefined;
  /** Asks the reaper to cancel: it TERMs the tree, waits its grace period, KILLs what is left. */
  terminate(): void;
  /** Stops reading the output (an escaped process holds it open). */
  releaseOutput(): void;
}

/** Signals a pid, ignoring a process that is already gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Node's spawn, the way the process layer always used it. Throws as spawn throws. */
export function spawnChild(
  file: string,
  args: string[],
  options: SpawnOptions,
  on: ChildEvents,
): NodeChild {
  const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  child.stdout?.on('data', (c: Buffer) => on.stdout(c));
  child.stderr?.on('data', (c: Buffer) => on.stderr(c));
  // `on`, not `once`: an 'error' event without a listener would crash the runner. Only a failed
  // spawn counts (signals are sent with process.kill, whose failures throw there instead).
  child.on('error', (err: Error) => {
    if (pid === undefined) on.error(err.message);
  });
  child.once('exit', () => on.exit());
  child.once('close', () => on.close());
  if (pid !== undefined) on.started(pid);
  return {
    pid,
    get exitCode() {
      return child.exitCode;
    },
    get signal() {
      return child.signalCode;
    },
    resultText: undefined,
    terminate: () => {
      if (pid !== undefined) sendSignal(pid, 'SIGTERM');
    },
    releaseOutput: () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}
