/**
 * `tasks.ndjson`: every finished TaskRun of a run, one JSON line each, appended and fsynced the
 * moment the task ends. run.json is rewritten only every so often (see runWorkflow.ts), so this
 * journal is what survives a runner that dies between two saves (a crash, SIGKILL, power loss):
 * the store rebuilds run.json from it (runStore.ts, markInterrupted).
 */
import * as fs from 'node:fs';
import type { TaskRun } from '../model/run';
import { isTaskStatus } from './runRecordCheck';

export const JOURNAL_FILE = 'tasks.ndjson';

export interface TaskJournal {
  /**
   * Queues one finished task; it is written and fsynced at the end of this event-loop turn, with
   * any others that finished in it (one write, one fsync), so the next node is spawned first.
   */
  append(task: TaskRun): void;
  /** Writes what is queued now; a failure goes to `onError` (nothing throws). */
  flush(): void;
  close(): void;
}

export function openTaskJournal(
  file: string,
  onError: (err: NodeJS.ErrnoException) => void,
): TaskJournal {
  let fd: number | null = null;
  let queued: string[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let failed = false;
  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (queued.length === 0 || failed) return;
    const data = queued.join('');
    queued = [];
    try {
      // Opened on the first task: a run that ends before any task leaves no empty journal.
      fd ??= fs.openSync(file, 'a');
      // One write() per batch: with O_APPEND a crash can tear only the last line.
      fs.writeSync(fd, data);
      fs.fdatasyncSync(fd);
    } catch (err) {
      failed = true;
      onError(err as NodeJS.ErrnoException);
    }
  };
  return {
    append(task) {
      queued.push(JSON.stringify(task) + '\n');
      scheduled ??= setImmediate(flush);
    },
    flush,
    close() {
      flush();
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

/** The tasks a journal holds; a torn or malformed line is skipped (it holds no finished task). */
export function readTaskJournal(file: string): TaskRun[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const tasks: TaskRun[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (looksLikeTask(v)) tasks.push(v);
  }
  return tasks;
}

function looksLikeTask(v: unknown): v is TaskRun {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.nodeId === 'string' &&
    typeof o.type === 'string' &&
    Number.isSafeInteger(o.attempt) &&
    isTaskStatus(o.status)
  );
}

/**
 * run.json's tasks with the journal's laid over them: a journalled task is finished, so it wins
 * over the same attempt's older (pending, running) copy; journalled tasks run.json lacked are
 * added. Returns the tasks and how many came from the journal.
 */
export function mergeJournal(
  saved: readonly TaskRun[],
  journal: readonly TaskRun[],
): { tasks: TaskRun[]; recovered: number } {
  const key = (t: TaskRun): string => `${t.nodeId}#${t.attempt}`;
  const byKey = new Map(saved.map((t) => [key(t), t] as const));
  let recovered = 0;
  for (const t of journal) {
    const old = byKey.get(key(t));
    if (old && old.status !== 'pending' && old.status !== 'running') continue;
    byKey.set(key(t), t);
    recovered++;
  }
  return { tasks: [...byKey.values()], recovered };
}
