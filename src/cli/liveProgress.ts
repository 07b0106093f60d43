/**
 * What `run` shows while a workflow runs: the task lines of terminalProgress.ts and, on a
 * terminal, one line under them naming the running nodes and their elapsed time, redrawn in place
 * and cleared at the end. Not on a pipe or a file (the escape codes would land in it), nor with
 * --json or --quiet.
 */
import type { RunnerEvent } from '../protocol/runner';
import { progressPrinter, runningLine } from '../report/terminalProgress';
import { terminalSafe } from '../model/terminalText';

/** How often the elapsed times move: often enough to look alive, rarely enough to cost nothing. */
const REDRAW_MS = 200;
const CLEAR = '\r\u001b[2K';

export interface LiveProgress {
  onEvent(e: RunnerEvent): void;
  /** Clears the live line and stops its timer; safe to call more than once. */
  stop(): void;
}

/**
 * `log` prints the permanent lines; `tty` is the terminal the live line is drawn on (the same
 * stream as `log`), or null for none.
 */
export function liveProgress(
  log: (line: string) => void,
  tty: NodeJS.WriteStream | null,
): LiveProgress {
  const running = new Map<string, number>();
  let shown = false;
  let timer: NodeJS.Timeout | null = null;
  const clear = (): void => {
    if (shown && tty) tty.write(CLEAR);
    shown = false;
  };
  const draw = (): void => {
    if (!tty) return;
    if (running.size === 0) return clear();
    tty.write(CLEAR + runningLine(running, Date.now(), tty.columns || 80));
    shown = true;
  };
  const print = progressPrinter((line) => {
    // A permanent line goes above the live one: clear it, print, draw it again below.
    clear();
    log(line);
    draw();
  });
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
    running.clear();
    clear();
  };
  return {
    onEvent(e) {
      if (e.type === 'task-started' && tty) {
        running.set(terminalSafe(e.task.nodeId), Date.now());
        if (!timer) {
          timer = setInterval(draw, REDRAW_MS);
          // The run's end, not this timer, decides when the CLI exits.
          timer.unref();
        }
        draw();
      } else if (e.type === 'task-finished') {
        running.delete(terminalSafe(e.task.nodeId));
      } else if (e.type === 'run-finished') {
        stop();
      }
      print(e);
    },
    stop,
  };
}

/**
 * Where the live line is drawn: stdout when it is a terminal and carries the progress (not with
 * --json, whose stdout is one JSON object, nor with --quiet).
 */
export function liveTty(args: { json: boolean; quiet: boolean }): NodeJS.WriteStream | null {
  return !args.json && !args.quiet && process.stdout.isTTY ? process.stdout : null;
}
