/**
 * `tasks.ndjson`: every finished TaskRun of a run, one JSON line each, appended the moment the
 * task ends and fsynced within JOURNAL_SYNC_EVERY_MS (see append). run.json is rewritten only every so often (see runWorkflow.ts), so this
 * journal is what survives a runner that dies between two saves (a crash, SIGKILL, power loss):
 * the store rebuilds run.json from it (runStore.ts, markInterrupted).
 */
import * as fs from 'node:fs';
import type { TaskRun } from '../model/run';
import { isTaskStatus } from './runRecordCheck';

export const JOURNAL_FILE = 'tasks.ndjson';

export interface TaskJournal {
  /**
   * Appends one finished task. The write is synchronous (once in the kernel it survives the
   * runner being killed); the fsync that makes it survive a power loss runs off the event loop,
   * since a synchronous one (measured: about 4 ms on a virtual disk) would sit between nodes.
   * Fsyncs are grouped: at most one starts per `syncEveryMs` (an append after a quiet spell is
   * synced at once). So a power loss or kernel crash loses at most the tasks appended in the
   * last `syncEveryMs` plus one fsync's duration; a killed runner loses none.
   */
  append(task: TaskRun): void;
  /** Writes and fsyncs what is left, synchronously; failures go to `onError`. */
  close(): void;
}

/**
 * Default spacing of the journal's fsyncs. One per task (500 a second on a chain of `true`)
 * made every file the next nodes create wait on the disk's journal commit: creating 500 small
 * files took 126 ms instead of 35 beside back-to-back fdatasyncs (ext4, virtual disk).
 */
export const JOURNAL_SYNC_EVERY_MS = 100;

export interface JournalOptions {
  syncEveryMs?: number;
  /** The fsync (fs.fdatasync); replaced only by tests counting calls. */
  sync?: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;
}

export function openTaskJournal(
  file: string,
  onError: (err: NodeJS.ErrnoException) => void,
  options: JournalOptions = {},
): TaskJournal {
  const syncEveryMs = options.syncEveryMs ?? JOURNAL_SYNC_EVERY_MS;
  const sync = options.sync ?? fs.fdatasync;
  let fd: number | null = null;
  let failed = false;
  let syncing = false;
  let syncAgain = false;
  let closed = false;
  let lastSyncStart = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    onError(err as NodeJS.ErrnoException);
  };
  // One fsync in flight at a time, at most one started per syncEveryMs; appends made meanwhile
  // are covered by the next one.
  const syncSoon = (): void => {
    if (syncing || timer) {
      syncAgain = true;
      return;
    }
    if (fd === null || closed) return;
    const wait = lastSyncStart + syncEveryMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = null;
        syncSoon();
      }, wait);
      // close() syncs what is left: a pending fsync must not keep the runner alive.
      timer.unref();
      return;
    }
    syncing = true;
    syncAgain = false;
    lastSyncStart = performance.now();
    sync(fd, (err) => {
      syncing = false;
      if (err) fail(err);
      else if (syncAgain) syncSoon();
    });
  };
  return {
    append(task) {
      if (failed || closed) return;
      try {
        // Opened on the first task: a run that ends before any task leaves no empty journal.
        fd ??= fs.openSync(file, 'a');
        // One write() per line: with O_APPEND a crash can tear only the last line.
        fs.writeSync(fd, JSON.stringify(task) + '\n');
      } catch (err) {
        fail(err);
        return;
      }
      syncSoon();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (fd === null) return;
      try {
        fs.fdatasyncSync(fd);
      } catch (err) {
        fail(err);
      }
      // An fsync still in flight holds the fd: closing it under that call is not safe.
      const handle = fd;
      fd = null;
      if (syncing) setImmediate(() => closeWhenIdle(handle, () => syncing));
      else fs.closeSync(handle);
    },
  };
}

/** Closes `fd` once no fsync is using it any more. */
function closeWhenIdle(fd: number, busy: () => boolean): void {
  if (busy()) setTimeout(() => closeWhenIdle(fd, busy), 10);
  else fs.close(fd, () => undefined);
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
