/**
 * Why a task failed, kept with its TaskRun so every view can say it without opening the log.
 * Not a metric: it is words and a log excerpt, so it is not in the metrics table.
 */

export type TaskErrorKind = 'exit' | 'signal' | 'timeout' | 'spawn' | 'output' | 'limit';

export interface TaskError {
  kind: TaskErrorKind;
  /** One line, in words (the same text as the TaskRun's `reason`). */
  message: string;
  exitCode: number | null;
  signal: string | null;
  /** The end of the node's stderr (or output) as written to its log: already redacted. */
  stderrTail: string;
}

/** Notes the runner writes into a node's log start with this; they are not the node's words. */
const RUNNER_NOTE = '[workflow-profiler]';

/**
 * The one line that best says why: the first non-blank line the node itself wrote to the tail,
 * else the message. Views show this under or beside the failed node.
 */
export function errorHeadline(error: TaskError): string {
  for (const raw of error.stderrTail.split('\n')) {
    const line = raw.trim();
    if (line.length > 0 && !line.startsWith(RUNNER_NOTE)) return line;
  }
  return error.message;
}
