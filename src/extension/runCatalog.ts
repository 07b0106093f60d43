/**
 * The editor's one view of the run store: the run list, loaded asynchronously and cached until
 * the store changes (a file watcher on the store folder, a run starting or ending, a delete),
 * and finished run records, which never change, in a small LRU. Views listen to onDidChange
 * instead of listing the store themselves.
 */
import * as vscode from 'vscode';
import type { RunRecord, Sample } from '../model/run';
import type { RunStore, RunSummary } from '../store/runStore';
import type { RunSource } from '../query/runSource';

const MAX_CACHED_RECORDS = 64;
/** A run's folder changes several times in a burst (run.json, index): one reload for them all. */
const CHANGE_DEBOUNCE_MS = 100;

export class RunCatalog implements RunSource, vscode.Disposable {
  private listing: Promise<RunSummary[]> | null = null;
  private readonly records = new Map<string, RunRecord>();
  private readonly changed = new vscode.EventEmitter<void>();
  private timer: NodeJS.Timeout | null = null;
  private watcher: vscode.FileSystemWatcher | null = null;
  /** Fires (debounced) after the store changed: the next list() reads it again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: () => RunStore) {}

  /**
   * Starts watching the store folder. Only run.json files and the index matter: samples are
   * appended many times a second while profiling and change no summary.
   */
  watch(storeDir: string): vscode.Disposable {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(storeDir), '{index.ndjson,*/run.json}'),
    );
    const changed = (): void => this.invalidate();
    watcher.onDidCreate(changed);
    watcher.onDidChange(changed);
    watcher.onDidDelete(changed);
    this.watcher = watcher;
    return watcher;
  }

  /** Every run, newest first; one store read shared by every caller until the next change. */
  list(): Promise<RunSummary[]> {
    if (!this.listing) {
      const listing = this.store()
        .listAsync()
        .then((l) => l.runs);
      // A failed read is not cached: the next caller tries again.
      listing.catch(() => {
        if (this.listing === listing) this.listing = null;
      });
      this.listing = listing;
    }
    return this.listing;
  }

  async load(idOrPrefix: string): Promise<RunRecord> {
    const hit = this.records.get(idOrPrefix);
    if (hit) {
      // Refresh its place: least recently used goes first.
      this.records.delete(hit.id);
      this.records.set(hit.id, hit);
      return hit;
    }
    const run = await this.store().load(idOrPrefix);
    if (run.status !== 'running') {
      if (this.records.size >= MAX_CACHED_RECORDS) {
        const oldest = this.records.keys().next().value;
        if (oldest !== undefined) this.records.delete(oldest);
      }
      this.records.set(run.id, run);
    }
    return run;
  }

  readSamples(runId: string): Promise<Sample[]> {
    return this.store().readSamples(runId);
  }

  reportPath(runId: string): string {
    return this.store().reportPath(runId);
  }

  /** Deletes runs from the store and from every cache. */
  delete(ids: readonly string[]): void {
    try {
      for (const id of ids) {
        this.records.delete(id);
        this.store().delete(id);
      }
    } finally {
      this.invalidate(true);
    }
  }

  /** Forgets the list; listeners hear of it once the burst of changes is over (or now). */
  invalidate(now = false): void {
    this.listing = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (now) {
      this.changed.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.listing = null;
      this.changed.fire();
    }, CHANGE_DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
