/**
 * The RunStore: the run store. One folder per run under the store directory:
 *
 *   <store>/index.ndjson          summaries for fast listing (see runIndex.ts)
 *   <store>/<id>/run.json         the RunRecord, rewritten atomically on every save
 *   <store>/<id>/samples.ndjson   appended during profiled runs
 *   <store>/<id>/logs/<node>.log  node output
 *   <store>/<id>/report.md
 *
 * The folders are the truth and the index is a cache that heals itself: list() notices folders
 * it lacks, entries whose folder is gone and run.json files that changed behind its back, and
 * rebuilds it from the folders when it is missing or damaged. Several runners may share a store:
 * each writes only its own folder, and the index only ever gets single-write appends except for
 * atomic rewrites (see runIndex.ts for what a racing rewrite can cost: nothing the next list
 * does not repair).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from './atomicWrite';
import { recordJsonChunks } from './recordJson';
import { nodeFileName } from './nodeFiles';
import {
  entryFromRecord,
  fingerprintOf,
  IndexFile,
  INDEX_FILE,
  sameFingerprint,
  type FileFingerprint,
  type IndexEntry,
  type IndexRead,
} from './runIndex';
import { checkRunRecord } from './runRecordCheck';
import {
  JOURNAL_FILE,
  mergeJournal,
  openTaskJournal,
  readTaskJournal,
  type TaskJournal,
} from './taskJournal';
import { runnerState } from './runnerLiveness';
import { openSamplesWriter, SampleReader, type SamplesWriter } from './samplesFile';
import type { RunRecord, Sample } from '../model/run';

export type { SamplesWriter } from './samplesFile';

/** A run's samples as a stream; after iterating, `skipped` counts the malformed lines. */
export type SampleStream = AsyncIterable<Sample> & { readonly skipped: number };

/** A run as listed: the index's columns (taskCounts has every status, 0 when none) and its folder. */
export type RunSummary = Pick<
  IndexEntry,
  'id' | 'status' | 'workflow' | 'startedAt' | 'endedAt' | 'wallMs' | 'taskCounts'
> & { runDir: string };

/** Every run, newest first, and what was skipped while listing. */
export interface RunList {
  runs: RunSummary[];
  warnings: string[];
}

export interface TaskManagerOptions {
  /** Problems worth telling the user that do not stop the operation (each message once). */
  warn?: (message: string) => void;
}

export type RunStoreErrorCode =
  'unknown-run' | 'ambiguous-run' | 'corrupt-run' | 'bad-id' | 'exists' | 'busy';

export class RunStoreError extends Error {
  constructor(
    readonly code: RunStoreErrorCode,
    message: string,
    readonly candidates: string[] = [],
  ) {
    super(message);
    this.name = 'RunStoreError';
  }
}

const RUN_FILE = 'run.json';
/** Space held back for the end of a run (see reserveSpace); hidden, removed when the run ends. */
const RESERVE_FILE = '.reserve';
const RESERVE_BYTES = 512 * 1024;
const SAMPLES_FILE = 'samples.ndjson';
/** Run ids become folder names: no separators, no leading dot (hidden/temporary names). */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Folders being deleted are renamed to this prefix first, so a half-deleted run never lists. */
const DELETING_PREFIX = '.deleting-';
/** Reason given to the tasks of a run whose runner died. */
export const RUNNER_STOPPED = 'runner stopped';

/** Compact when the index holds more lines than this for `runs` runs. */
function compactionThreshold(runs: number): number {
  return 2 * runs + 64;
}

type ReadResult = { record: RunRecord; fp: FileFingerprint | null } | { error: string };

export class RunStore {
  private readonly index: IndexFile;
  private readonly warnOnce: (message: string) => void;

  constructor(
    readonly storeDir: string,
    opts: TaskManagerOptions = {},
  ) {
    this.storeDir = path.resolve(storeDir);
    this.index = new IndexFile(path.join(this.storeDir, INDEX_FILE));
    const seen = new Set<string>();
    const warn = opts.warn;
    // Views list the store again and again; the same damaged folder should be logged once.
    this.warnOnce = (message) => {
      if (!warn || seen.has(message)) return;
      seen.add(message);
      warn(message);
    };
  }

  // ---------------------------------------------------------------- paths

  runDir(runId: string): string {
    return path.join(this.storeDir, safeId(runId));
  }

  /** `logs/<node>.log`; attempts after the first get `<node>.attempt-N.log` (see nodeFiles.ts). */
  logPath(runId: string, nodeId: string, attempt = 1): string {
    return path.join(this.runDir(runId), 'logs', nodeFileName(nodeId, attempt, 'log'));
  }

  /** `outputs/<node>.json`: what the node wrote to WORKFLOW_OUTPUT. */
  outputPath(runId: string, nodeId: string, attempt = 1): string {
    return path.join(this.outputsDir(runId), nodeFileName(nodeId, attempt, 'json'));
  }

  /** `inputs/<node>.json`: the outputs of the node's `needs`, as it was given them. */
  inputsPath(runId: string, nodeId: string, attempt = 1): string {
    return path.join(this.runDir(runId), 'inputs', nodeFileName(nodeId, attempt, 'json'));
  }

  reportPath(runId: string): string {
    return path.join(this.runDir(runId), 'report.md');
  }

  outputsDir(runId: string): string {
    return path.join(this.runDir(runId), 'outputs');
  }

  samplesPath(runId: string): string {
    return path.join(this.runDir(runId), SAMPLES_FILE);
  }

  // ---------------------------------------------------------------- writing

  /** Creates the run's folder, its run.json and logs/; returns the folder. */
  createRun(record: RunRecord): string {
    const dir = this.runDir(record.id);
    fs.mkdirSync(this.storeDir, { recursive: true });
    try {
      // Not recursive: an existing folder means an id collision, which must not merge two runs.
      fs.mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RunStoreError('exists', `run ${record.id} already exists in ${this.storeDir}`);
      }
      throw err;
    }
    try {
      fs.mkdirSync(path.join(dir, 'logs'));
      this.writeRecord(record, true);
    } catch (err) {
      // Leave no half-made folder behind to hold the id.
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return dir;
  }

  /** Rewrites run.json atomically and records the new summary in the index. */
  saveRun(record: RunRecord): void {
    this.writeRecord(record, true);
  }

  /** An appender for the run's samples.ndjson (buffered; close() it when the run ends). */
  samplesWriter(runId: string, onError?: (err: NodeJS.ErrnoException) => void): SamplesWriter {
    return openSamplesWriter(this.samplesPath(runId), this.warnOnce, onError);
  }

  /** The run's journal of finished tasks (taskJournal.ts), what a dead runner's run is rebuilt from. */
  taskJournal(runId: string, onError: (err: NodeJS.ErrnoException) => void): TaskJournal {
    return openTaskJournal(path.join(this.runDir(runId), JOURNAL_FILE), onError);
  }

  /**
   * Sets aside RESERVE_BYTES in the run's folder, released with releaseSpace() when the run ends
   * so that a disk filled by the run still has room for its final run.json and report. Best
   * effort: a disk already too full for it gets no reserve.
   */
  reserveSpace(runId: string): void {
    const file = path.join(this.runDir(runId), RESERVE_FILE);
    try {
      fs.writeFileSync(file, Buffer.alloc(RESERVE_BYTES));
    } catch {
      fs.rmSync(file, { force: true });
    }
  }

  releaseSpace(runId: string): void {
    fs.rmSync(path.join(this.runDir(runId), RESERVE_FILE), { force: true });
  }

  // ---------------------------------------------------------------- reading

  /**
   * Every run, newest first, and what was skipped. Reads the index plus one readdir and one
   * stat per run; run.json files are read only for runs new to the index, changed since it was
   * written, or possibly orphaned by a dead runner. Warnings are returned every time and also
   * passed to `warn` (once per message).
   */
  list(): RunList {
    const dirs = this.runFolders();
    if (dirs === null) return { runs: [], warnings: [] };
    const read = this.index.read();
    const fps = new Map(
      dirs.map((id) => [id, statFingerprint(path.join(this.storeDir, id, RUN_FILE))]),
    );
    const records = new Map<string, ReadResult>();
    for (const id of toRead(read, fps)) records.set(id, this.readRecordSync(id));
    return this.assembleList(read, fps, records);
  }

  /**
   * list() for callers that must not block (the editor): the folder scan, the stats, the index
   * and any run.json reads are asynchronous. Repairs (a dead runner's run marked interrupted, an
   * index append) stay synchronous: they are rare and small.
   */
  async listAsync(): Promise<RunList> {
    const dirs = await this.runFoldersAsync();
    if (dirs === null) return { runs: [], warnings: [] };
    const read = await this.index.readAsync();
    const fps = new Map(
      await Promise.all(
        dirs.map(
          async (id) =>
            [id, await statFingerprintAsync(path.join(this.storeDir, id, RUN_FILE))] as const,
        ),
      ),
    );
    const records = new Map(
      await Promise.all(
        toRead(read, fps).map(async (id) => [id, await this.readRecordAsync(id)] as const),
      ),
    );
    return this.assembleList(read, fps, records);
  }

  /** The shared half of list() and listAsync(): from what was read to the summaries. */
  private assembleList(
    read: IndexRead,
    fps: ReadonlyMap<string, FileFingerprint | null>,
    records: ReadonlyMap<string, ReadResult>,
  ): RunList {
    const warnings: string[] = [];
    const warn = (message: string): void => {
      warnings.push(message);
      this.warnOnce(message);
    };
    const rebuilding = read.kind !== 'ok';
    const indexed: ReadonlyMap<string, IndexEntry> = read.kind === 'ok' ? read.entries : new Map();
    const disputed: ReadonlySet<string> = read.kind === 'ok' ? read.disputed : new Set();
    const live = new Map<string, IndexEntry>();
    const fresh: IndexEntry[] = [];

    for (const [id, fp] of fps) {
      const known = indexed.get(id);
      if (!fp) {
        // A folder without run.json is not a run (or one being created right now) unless the
        // index knew it as one.
        if (known) warn(`run folder "${id}" skipped: ${RUN_FILE} is missing`);
        continue;
      }
      if (known && sameFingerprint(known.fp, fp) && !disputed.has(id)) {
        live.set(id, known);
        continue;
      }
      const got = records.get(id) ?? this.readRecordSync(id);
      if ('error' in got) {
        warn(`run folder "${id}" skipped: ${got.error}`);
        continue;
      }
      const entry = entryFromRecord(got.record, got.fp);
      live.set(id, entry);
      fresh.push(entry);
    }

    for (const [id, entry] of live) {
      if (entry.status !== 'running' || runnerState(entry.runner) !== 'dead') continue;
      const updated = this.reconcileRunning(id, warn);
      if (updated === undefined) continue;
      if (updated === null) live.delete(id);
      else {
        live.set(id, updated);
        fresh.push(updated);
      }
    }

    if (rebuilding) {
      if (read.kind === 'corrupt') {
        warn(
          `run index ${this.index.file} is corrupt (${read.why}); rebuilt it from ${live.size} run folder(s)`,
        );
      } else if (live.size > 0) {
        warn(
          `run index ${this.index.file} was missing; rebuilt it from ${live.size} run folder(s)`,
        );
      }
      if (live.size > 0 || read.kind === 'corrupt')
        this.tryIndex(() => this.index.rewrite(live.values()), warn);
    } else {
      this.tryIndex(() => this.index.append(fresh), warn);
      const lines = read.lines + fresh.length;
      // A disputed run keeps its lying line until the index is rewritten from what was read.
      if (lines > compactionThreshold(live.size) || disputed.size > 0) {
        this.tryIndex(() => this.index.rewrite(live.values()), warn);
      }
    }

    return { runs: newestFirst([...live.values()]).map((e) => this.summaryOf(e)), warnings };
  }

  /** The full id for a full id or a unique prefix of one. */
  resolveId(idOrPrefix: string): string {
    const wanted = idOrPrefix.trim();
    if (wanted === '') throw new RunStoreError('unknown-run', 'no run id given');
    if (SAFE_ID.test(wanted) && isFile(path.join(this.storeDir, wanted, RUN_FILE))) return wanted;
    const candidates = (this.runFolders() ?? [])
      .filter((id) => id.startsWith(wanted))
      .filter((id) => isFile(path.join(this.storeDir, id, RUN_FILE)))
      .sort()
      .reverse();
    if (candidates.length === 1) return candidates[0] as string;
    if (candidates.length === 0) {
      throw new RunStoreError('unknown-run', `no run "${wanted}" in ${this.storeDir}`);
    }
    const shown = candidates.slice(0, 10).join(', ');
    const more = candidates.length > 10 ? ` and ${candidates.length - 10} more` : '';
    throw new RunStoreError(
      'ambiguous-run',
      `run id "${wanted}" is ambiguous: it matches ${candidates.length} runs: ${shown}${more}`,
      candidates,
    );
  }

  /** The full record of a run (full id or unique prefix); a dead runner's run reads `interrupted`. */
  async load(idOrPrefix: string): Promise<RunRecord> {
    const id = this.resolveId(idOrPrefix);
    const file = path.join(this.runDir(id), RUN_FILE);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RunStoreError('unknown-run', `no run "${id}" in ${this.storeDir}`);
      }
      throw err;
    }
    const parsed = parseRecord(text, id);
    if ('error' in parsed) {
      throw new RunStoreError('corrupt-run', `run ${id} cannot be read: ${parsed.error}`);
    }
    const record = parsed.record;
    if (record.status === 'running' && runnerState(record.runner) === 'dead') {
      return this.markInterrupted(record, this.warnOnce);
    }
    return record;
  }

  /** Every sample of a run, in file order. Use sampleReader() to stream long runs instead. */
  async readSamples(runId: string): Promise<Sample[]> {
    const reader = this.sampleReader(runId);
    const out: Sample[] = [];
    for await (const s of reader) out.push(s);
    return out;
  }

  /**
   * Streams a run's samples; after iteration, `skipped` says how many malformed lines were
   * skipped. A torn last line (a crash mid-write) is expected and skipped silently; malformed
   * lines elsewhere are also reported to `warn`.
   */
  sampleReader(runId: string): SampleStream {
    const dir = this.runDir(runId);
    if (!fs.existsSync(dir)) {
      throw new RunStoreError('unknown-run', `no run "${runId}" in ${this.storeDir}`);
    }
    const reader = new SampleReader(path.join(dir, SAMPLES_FILE));
    const warn = this.warnOnce;
    return {
      get skipped() {
        return reader.skipped;
      },
      async *[Symbol.asyncIterator]() {
        yield* reader;
        const damaged = reader.skipped - (reader.tornTail ? 1 : 0);
        if (damaged > 0) {
          warn(`run ${runId}: skipped ${damaged} malformed line(s) in ${SAMPLES_FILE}`);
        }
      },
    };
  }

  // ---------------------------------------------------------------- deleting

  /** Removes a run's folder and records the removal in the index. Refuses a live run. */
  delete(id: string): void {
    const dir = this.runDir(id);
    // A folder without run.json is not a run: never remove what the store did not create.
    if (!isFile(path.join(dir, RUN_FILE))) {
      throw new RunStoreError('unknown-run', `no run "${id}" in ${this.storeDir}`);
    }
    const got = this.readRecordSync(id);
    if (
      'record' in got &&
      got.record.status === 'running' &&
      runnerState(got.record.runner) === 'alive'
    ) {
      throw new RunStoreError('busy', `run ${id} is still running; cancel it before deleting it`);
    }
    // Rename first (atomic), then remove: a crash mid-removal leaves a hidden folder, never a
    // half-deleted run that lists as corrupt.
    const doomed = path.join(
      this.storeDir,
      `${DELETING_PREFIX}${id}-${randomBytes(4).toString('hex')}`,
    );
    fs.renameSync(dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    this.tryIndex(() => this.index.append([], [id]), this.warnOnce);
  }

  /**
   * Keeps the newest `keep` finished runs of one workflow (matched by file when given, else by
   * name) and deletes older finished ones; running runs are neither counted nor deleted.
   * `keep` <= 0 keeps everything. Returns the deleted ids.
   */
  applyRetention(workflowKey: { file?: string; name: string }, keep: number): string[] {
    if (!(keep > 0)) return [];
    const matches = (r: RunSummary): boolean =>
      workflowKey.file !== undefined && workflowKey.file !== ''
        ? r.workflow.file === workflowKey.file
        : r.workflow.name === workflowKey.name;
    const finished = this.list().runs.filter((r) => matches(r) && r.status !== 'running');
    const deleted: string[] = [];
    for (const run of finished.slice(keep)) {
      try {
        this.delete(run.id);
        deleted.push(run.id);
      } catch (err) {
        this.warnOnce(`retention could not delete run ${run.id}: ${(err as Error).message}`);
      }
    }
    return deleted;
  }

  // ---------------------------------------------------------------- internals

  /** Names of candidate run folders, or null when the store does not exist yet. */
  private runFolders(): string[] | null {
    try {
      return runFolderNames(fs.readdirSync(this.storeDir, { withFileTypes: true }));
    } catch (err) {
      return noStoreYet(err);
    }
  }

  private async runFoldersAsync(): Promise<string[] | null> {
    try {
      return runFolderNames(await fs.promises.readdir(this.storeDir, { withFileTypes: true }));
    } catch (err) {
      return noStoreYet(err);
    }
  }

  private writeRecord(record: RunRecord, indexIt: boolean): FileFingerprint | null {
    const file = path.join(this.runDir(record.id), RUN_FILE);
    writeFileAtomic(file, recordJsonChunks(record));
    const fp = statFingerprint(file);
    if (indexIt)
      this.tryIndex(() => this.index.append([entryFromRecord(record, fp)]), this.warnOnce);
    return fp;
  }

  // Both readers take the fingerprint of the very file they read (fstat of the open file), so a
  // concurrent rewrite cannot pair a new fingerprint with old data.
  private readRecordSync(id: string): ReadResult {
    let read: { text: string; fp: FileFingerprint | null };
    try {
      const fd = fs.openSync(path.join(this.storeDir, id, RUN_FILE), 'r');
      try {
        const fp = fingerprintOf(fs.fstatSync(fd));
        read = { fp, text: fs.readFileSync(fd, 'utf8') };
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      return unreadable(err);
    }
    return recordOf(read, id);
  }

  private async readRecordAsync(id: string): Promise<ReadResult> {
    let read: { text: string; fp: FileFingerprint | null };
    try {
      const fh = await fs.promises.open(path.join(this.storeDir, id, RUN_FILE), 'r');
      try {
        const fp = fingerprintOf(await fh.stat());
        read = { fp, text: await fh.readFile('utf8') };
      } finally {
        await fh.close();
      }
    } catch (err) {
      return unreadable(err);
    }
    return recordOf(read, id);
  }

  /**
   * An index entry says `running` but its runner is dead: re-read run.json (the index may lag)
   * and mark the run interrupted if it still says `running`.
   * Returns the entry to list, null to drop the run (unreadable), undefined to keep the old one.
   */
  private reconcileRunning(id: string, warn: (m: string) => void): IndexEntry | null | undefined {
    const got = this.readRecordSync(id);
    if ('error' in got) {
      warn(`run folder "${id}" skipped: ${got.error}`);
      return null;
    }
    const record = got.record;
    if (record.status !== 'running') return entryFromRecord(record, got.fp);
    if (runnerState(record.runner) !== 'dead') return undefined; // alive now, or another host
    const updated = this.markInterrupted(record, warn, false);
    return entryFromRecord(updated, statFingerprint(path.join(this.runDir(id), RUN_FILE)));
  }

  /**
   * A run whose runner died: status `interrupted`, unfinished tasks `cancelled`, finished tasks
   * keep their metrics. The end time is the last sign of life the runner left (its last write).
   */
  private markInterrupted(record: RunRecord, warn: (m: string) => void, indexIt = true): RunRecord {
    const dir = this.runDir(record.id);
    const lastWrite = Math.max(
      mtimeOf(path.join(dir, RUN_FILE)),
      mtimeOf(path.join(dir, SAMPLES_FILE)),
      mtimeOf(path.join(dir, JOURNAL_FILE)),
    );
    const endedAt =
      record.endedAt ?? new Date(lastWrite > 0 ? lastWrite : Date.now()).toISOString();
    const started = Date.parse(record.startedAt);
    const wall = Date.parse(endedAt) - started;
    // run.json lags the run (it is saved every so often); the journal has every finished task.
    const merged = mergeJournal(record.tasks, readTaskJournal(path.join(dir, JOURNAL_FILE)));
    const recovered =
      merged.recovered > 0
        ? `; ${merged.recovered} finished task(s) recovered from ${JOURNAL_FILE}`
        : '';
    const updated: RunRecord = {
      ...record,
      status: 'interrupted',
      endedAt,
      wallMs: record.wallMs ?? (Number.isFinite(wall) && wall >= 0 ? wall : null),
      reason:
        record.reason ??
        `${RUNNER_STOPPED}: process ${record.runner.pid} on ${record.runner.host} exited before the run finished${recovered}`,
      tasks: merged.tasks.map((t) =>
        t.status === 'pending' || t.status === 'running'
          ? { ...t, status: 'cancelled', reason: RUNNER_STOPPED }
          : t,
      ),
    };
    try {
      this.writeRecord(updated, indexIt);
      this.releaseSpace(record.id);
    } catch (err) {
      // Read-only store, say: still report the truth, just do not persist it.
      warn(`run ${record.id} is interrupted but could not be marked so: ${(err as Error).message}`);
    }
    return updated;
  }

  /** The index is a cache: failing to update it must never fail the operation. */
  private tryIndex(update: () => void, warn: (m: string) => void): void {
    try {
      update();
    } catch (err) {
      warn(`could not update the run index ${this.index.file}: ${(err as Error).message}`);
    }
  }

  private summaryOf(e: IndexEntry): RunSummary {
    return {
      id: e.id,
      status: e.status,
      workflow: { ...e.workflow },
      startedAt: e.startedAt,
      endedAt: e.endedAt,
      wallMs: e.wallMs,
      taskCounts: { ...e.taskCounts },
      runDir: path.join(this.storeDir, e.id),
    };
  }
}

function parseRecord(text: string, folder: string): { record: RunRecord } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `${RUN_FILE} is not valid JSON (${(err as Error).message})` };
  }
  const why = checkRunRecord(value);
  if (why) return { error: `${RUN_FILE} has the wrong shape: ${why}` };
  const record = value as RunRecord;
  if (record.id !== folder) {
    return { error: `${RUN_FILE} belongs to run "${record.id}", not to its folder "${folder}"` };
  }
  return { record };
}

/** Newest first: by start time, then by id (ids sort by time; this breaks same-ms ties). */
function newestFirst(entries: IndexEntry[]): IndexEntry[] {
  const keyed = entries.map((e) => ({ e, t: Date.parse(e.startedAt) }));
  keyed.sort((a, b) => {
    if (a.t !== b.t && Number.isFinite(a.t) && Number.isFinite(b.t)) return b.t - a.t;
    return a.e.id < b.e.id ? 1 : a.e.id > b.e.id ? -1 : 0;
  });
  return keyed.map((k) => k.e);
}

function safeId(id: string): string {
  if (!SAFE_ID.test(id)) throw new RunStoreError('bad-id', `not a valid run id: "${id}"`);
  return id;
}

function statFingerprint(file: string): FileFingerprint | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st && st.isFile() ? fingerprintOf(st) : null;
}

async function statFingerprintAsync(file: string): Promise<FileFingerprint | null> {
  try {
    const st = await fs.promises.stat(file);
    return st.isFile() ? fingerprintOf(st) : null;
  } catch (err) {
    // As statSync with throwIfNoEntry: false: only a missing entry means "no file".
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** The runs whose run.json must be read: new to the index, or changed since it was written. */
function toRead(read: IndexRead, fps: ReadonlyMap<string, FileFingerprint | null>): string[] {
  const indexed = read.kind === 'ok' ? read.entries : new Map<string, IndexEntry>();
  const disputed = read.kind === 'ok' ? read.disputed : new Set<string>();
  const ids: string[] = [];
  for (const [id, fp] of fps) {
    if (!fp) continue;
    const known = indexed.get(id);
    if (!known || !sameFingerprint(known.fp, fp) || disputed.has(id)) ids.push(id);
  }
  return ids;
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function mtimeOf(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/** Folder names that can be runs: files (the index, its temporaries) and hidden folders are not. */
function runFolderNames(entries: fs.Dirent[]): string[] {
  return entries.filter((d) => d.isDirectory() && SAFE_ID.test(d.name)).map((d) => d.name);
}

/** A store folder that does not exist yet holds no runs; any other error is real. */
function noStoreYet(err: unknown): null {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw err;
}

function unreadable(err: unknown): ReadResult {
  return { error: `${RUN_FILE} cannot be read: ${(err as Error).message}` };
}

function recordOf(read: { text: string; fp: FileFingerprint | null }, id: string): ReadResult {
  const parsed = parseRecord(read.text, id);
  return 'error' in parsed ? parsed : { record: parsed.record, fp: read.fp };
}
