/**
 * `index.ndjson`: the run store's summary cache, so listing thousands of runs reads one file
 * instead of every run.json.
 *
 * Append-only: every createRun/saveRun/delete appends one line (the last line per id wins; a
 * tombstone line removes an id). Appending one line with O_APPEND in a single write() is atomic
 * with respect to other appenders, so concurrent runners in one store never interleave, and the
 * file is never rewritten whole on a save (the original rewrote its index on every save). It is
 * compacted (atomic rewrite, one line per run) only when it holds many more lines than runs.
 *
 * The index is only a cache: the run folders are the truth. Each entry carries a fingerprint of
 * the run.json it summarises, so a reader notices a run.json that changed behind the index's back
 * (a lost append, a hand edit, damage) with one stat and re-reads just that run.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from './atomicWrite';
import { isRunStatus, TASK_STATUSES } from './runRecordCheck';
import type { RunRecord, RunStatus, TaskStatus } from '../model/run';

export const INDEX_FILE = 'index.ndjson';
const INDEX_VERSION = 1;

/** Identity of one version of a run.json: atomic rewrites give it a new inode every time. */
export interface FileFingerprint {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** What the index keeps per run (the list view's columns, plus what liveness checks need). */
export interface IndexEntry {
  id: string;
  status: RunStatus;
  workflow: { name: string; file: string; hash: string };
  startedAt: string;
  endedAt: string | null;
  wallMs: number | null;
  taskCounts: Record<TaskStatus, number>;
  runner: RunRecord['runner'];
  /** The run.json this entry was made from; null when it could not be stat'ed. */
  fp: FileFingerprint | null;
}

export type IndexRead =
  | {
      kind: 'ok';
      entries: ReadonlyMap<string, IndexEntry>;
      lines: number;
      /** Runs with two lines for one run.json version that disagree: run.json must decide. */
      disputed: ReadonlySet<string>;
    }
  | { kind: 'missing' }
  | { kind: 'corrupt'; why: string };

export function entryFromRecord(record: RunRecord, fp: FileFingerprint | null): IndexEntry {
  return {
    id: record.id,
    status: record.status,
    workflow: {
      name: record.workflow.name,
      file: record.workflow.file,
      hash: record.workflow.hash,
    },
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    wallMs: record.wallMs,
    taskCounts: countTasks(record),
    runner: {
      pid: record.runner.pid,
      host: record.runner.host,
      startedAtTicks: record.runner.startedAtTicks,
    },
    fp,
  };
}

export function countTasks(record: RunRecord): Record<TaskStatus, number> {
  const counts = emptyCounts();
  for (const t of record.tasks) counts[t.status]++;
  return counts;
}

function emptyCounts(): Record<TaskStatus, number> {
  const counts = {} as Record<TaskStatus, number>;
  for (const s of TASK_STATUSES) counts[s] = 0;
  return counts;
}

export function fingerprintOf(stat: fs.Stats): FileFingerprint {
  return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

export function sameFingerprint(a: FileFingerprint | null, b: FileFingerprint | null): boolean {
  return !!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function entryLine(entry: IndexEntry): string {
  return JSON.stringify({ v: INDEX_VERSION, ...entry }) + '\n';
}

function tombstoneLine(id: string): string {
  return JSON.stringify({ v: INDEX_VERSION, id, deleted: true }) + '\n';
}

type ParsedLine = { entry: IndexEntry } | { tombstone: string } | { error: string };

function parseLine(text: string): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'not an object' };
  const o = v as Record<string, unknown>;
  if (o.v !== INDEX_VERSION) return { error: `unknown index version ${JSON.stringify(o.v)}` };
  if (typeof o.id !== 'string' || o.id === '') return { error: 'no "id"' };
  if (o.deleted === true) return { tombstone: o.id };
  const why = entryProblem(o);
  if (why) return { error: why };
  const wf = o.workflow as IndexEntry['workflow'];
  const runner = o.runner as IndexEntry['runner'];
  const fp = o.fp as FileFingerprint | null;
  const counts = emptyCounts();
  const rawCounts = o.taskCounts as Record<string, unknown>;
  for (const s of TASK_STATUSES) counts[s] = typeof rawCounts[s] === 'number' ? rawCounts[s] : 0;
  return {
    entry: {
      id: o.id,
      status: o.status as RunStatus,
      workflow: { name: wf.name, file: wf.file, hash: wf.hash },
      startedAt: o.startedAt as string,
      endedAt: o.endedAt as string | null,
      wallMs: o.wallMs as number | null,
      taskCounts: counts,
      runner: { pid: runner.pid, host: runner.host, startedAtTicks: runner.startedAtTicks },
      fp: fp && { ino: fp.ino, size: fp.size, mtimeMs: fp.mtimeMs },
    },
  };
}

function entryProblem(o: Record<string, unknown>): string | null {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  const numOrNull = (x: unknown): boolean => x === null || typeof x === 'number';
  if (!isRunStatus(o.status)) return `bad "status" ${JSON.stringify(o.status)}`;
  const wf = o.workflow;
  if (
    !isObj(wf) ||
    typeof wf.name !== 'string' ||
    typeof wf.file !== 'string' ||
    typeof wf.hash !== 'string'
  ) {
    return 'bad "workflow"';
  }
  if (typeof o.startedAt !== 'string') return 'bad "startedAt"';
  if (!(o.endedAt === null || typeof o.endedAt === 'string')) return 'bad "endedAt"';
  if (!numOrNull(o.wallMs)) return 'bad "wallMs"';
  if (!isObj(o.taskCounts)) return 'bad "taskCounts"';
  const r = o.runner;
  if (
    !isObj(r) ||
    !Number.isSafeInteger(r.pid) ||
    typeof r.host !== 'string' ||
    !numOrNull(r.startedAtTicks)
  ) {
    return 'bad "runner"';
  }
  const fp = o.fp;
  if (
    fp !== null &&
    !(
      isObj(fp) &&
      typeof fp.ino === 'number' &&
      typeof fp.size === 'number' &&
      typeof fp.mtimeMs === 'number'
    )
  ) {
    return 'bad "fp"';
  }
  return null;
}

/** What this process has already parsed, so the next read only parses lines appended since. */
interface ReadCache {
  dev: number;
  ino: number;
  /** Bytes parsed: always just after a newline. */
  offset: number;
  /** The last bytes before `offset`, to notice a file rewritten in place (same inode). */
  tail: Buffer;
  entries: Map<string, IndexEntry>;
  lines: number;
  disputed: Set<string>;
}

const TAIL_CHECK_BYTES = 64;

export class IndexFile {
  private cache: ReadCache | null = null;

  constructor(readonly file: string) {}

  /**
   * The current entries (last line per id, tombstoned ids removed). An unterminated last line is
   * left for the next read: it is either an append in progress by another process or a line
   * torn by a crash. Any other line that does not parse, or has the wrong shape, makes the whole
   * index `corrupt`: a damaged middle means lines may be lost, so the caller rebuilds.
   */
  read(): IndexRead {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      return this.openFailed(err);
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw notAFile(this.file, st);
      const reuse = this.reusableCache(st, (cache) =>
        bytesAt(fd, cache.offset - cache.tail.length, cache.tail.length).equals(cache.tail),
      );
      const cache = reuse ?? freshCache(st);
      // Until this read succeeds, the cache may be half-updated: drop it.
      this.cache = null;
      const buf = bytesAt(fd, cache.offset, st.size - cache.offset);
      return this.parseInto(cache, buf, (from, length) => bytesAt(fd, from, length));
    } finally {
      fs.closeSync(fd);
    }
  }

  /** read() without blocking: the same result, through a file handle. */
  async readAsync(): Promise<IndexRead> {
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(this.file, 'r');
    } catch (err) {
      return this.openFailed(err);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw notAFile(this.file, st);
      let cache = this.reusableCache(st, () => true);
      if (cache) {
        const tail = await bytesAtAsync(fh, cache.offset - cache.tail.length, cache.tail.length);
        if (!tail.equals(cache.tail)) cache = null;
      }
      cache ??= freshCache(st);
      this.cache = null;
      const buf = await bytesAtAsync(fh, cache.offset, st.size - cache.offset);
      const end = buf.lastIndexOf(0x0a);
      const newOffset = cache.offset + end + 1;
      const tail =
        end >= 0
          ? await bytesAtAsync(
              fh,
              Math.max(0, newOffset - TAIL_CHECK_BYTES),
              Math.min(newOffset, TAIL_CHECK_BYTES),
            )
          : cache.tail;
      return this.parseInto(cache, buf, () => tail);
    } finally {
      await fh.close();
    }
  }

  private openFailed(err: unknown): IndexRead {
    this.cache = null;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', why: (err as Error).message };
  }

  /** The cache, if it still describes the start of this file (same inode, not shrunk, same tail). */
  private reusableCache(
    st: fs.Stats,
    tailMatches: (cache: ReadCache) => boolean,
  ): ReadCache | null {
    const cache = this.cache;
    if (!cache || cache.dev !== st.dev || cache.ino !== st.ino || st.size < cache.offset)
      return null;
    return tailMatches(cache) ? cache : null;
  }

  /** Parses the complete lines of `buf` (the bytes after `cache.offset`) into the cache. */
  private parseInto(
    cache: ReadCache,
    buf: Buffer,
    tailAt: (from: number, length: number) => Buffer,
  ): IndexRead {
    const end = buf.lastIndexOf(0x0a);
    if (end >= 0) {
      const lines = buf.toString('utf8', 0, end).split('\n');
      for (const line of lines) {
        if (line.trim() === '') continue;
        cache.lines++;
        const parsed = parseLine(line);
        if ('error' in parsed) {
          return { kind: 'corrupt', why: `line ${cache.lines}: ${parsed.error}` };
        }
        if ('tombstone' in parsed) {
          cache.entries.delete(parsed.tombstone);
          cache.disputed.delete(parsed.tombstone);
        } else {
          const e = parsed.entry;
          const before = cache.entries.get(e.id);
          // One run.json version summarised two ways: a line that lies (a stray or hand-made
          // append), and the fingerprint cannot tell which.
          if (before && sameFingerprint(before.fp, e.fp) && !sameSummary(before, e))
            cache.disputed.add(e.id);
          else if (before && !sameFingerprint(before.fp, e.fp)) cache.disputed.delete(e.id);
          cache.entries.set(e.id, e);
        }
      }
      cache.offset += end + 1;
      cache.tail = tailAt(
        Math.max(0, cache.offset - TAIL_CHECK_BYTES),
        Math.min(cache.offset, TAIL_CHECK_BYTES),
      );
    }
    this.cache = cache;
    return { kind: 'ok', entries: cache.entries, lines: cache.lines, disputed: cache.disputed };
  }

  /** Appends entries (and tombstones) in one write. Throws on I/O errors. */
  append(entries: readonly IndexEntry[], tombstones: readonly string[] = []): void {
    let data = entries.map(entryLine).join('') + tombstones.map(tombstoneLine).join('');
    if (data === '') return;
    const fd = fs.openSync(this.file, 'a+');
    try {
      // A line torn by a crash has no newline; without this, ours would be glued onto it.
      const size = fs.fstatSync(fd).size;
      if (size > 0 && bytesAt(fd, size - 1, 1)[0] !== 0x0a) data = '\n' + data;
      const bytes = Buffer.from(data, 'utf8');
      // One write() call: that is what makes concurrent appends not interleave.
      let written = fs.writeSync(fd, bytes);
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Replaces the whole index atomically with exactly these entries (compaction, rebuild). */
  rewrite(entries: Iterable<IndexEntry>): void {
    const all = [...entries];
    const data = all.map(entryLine).join('');
    writeFileAtomic(this.file, data);
    this.cache = null;
    // Seed the cache so the next read parses nothing; unless another process appended (or
    // replaced the file) in between, in which case the next read starts over.
    try {
      const st = fs.statSync(this.file);
      const bytes = Buffer.from(data, 'utf8');
      if (st.size === bytes.length) {
        this.cache = {
          dev: st.dev,
          ino: st.ino,
          offset: bytes.length,
          tail: bytes.subarray(Math.max(0, bytes.length - TAIL_CHECK_BYTES)),
          entries: new Map(all.map((e) => [e.id, e])),
          lines: all.length,
          disputed: new Set(),
        };
      }
    } catch {
      // leave the cache empty
    }
  }
}

/**
 * Opening a folder for reading succeeds on Linux and only the read fails, with an error that
 * names no path: say which file is in the way instead.
 */
function notAFile(file: string, st: fs.Stats): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`the run index ${file} is not a regular file`);
  err.code = st.isDirectory() ? 'EISDIR' : 'EINVAL';
  err.path = file;
  return err;
}

function freshCache(st: fs.Stats): ReadCache {
  return {
    dev: st.dev,
    ino: st.ino,
    offset: 0,
    tail: Buffer.alloc(0),
    entries: new Map(),
    lines: 0,
    disputed: new Set(),
  };
}

function sameSummary(a: IndexEntry, b: IndexEntry): boolean {
  return entryLine(a) === entryLine(b);
}

async function bytesAtAsync(
  fh: fs.promises.FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead <= 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Reads exactly `length` bytes at `position` (fewer if the file is shorter). */
function bytesAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n <= 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}
