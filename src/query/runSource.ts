/**
 * What the queries read runs through. The CLI reads the store directly; the editor passes its
 * cached catalog (same answers, fewer disk reads), so every query has one definition.
 */
import type { RunRecord, Sample } from '../model/run';
import type { RunStore, RunSummary } from '../store/runStore';

export interface RunSource {
  /** Every run, newest first. */
  list(): Promise<RunSummary[]>;
  /** A run by full id or unique prefix of one. */
  load(idOrPrefix: string): Promise<RunRecord>;
  readSamples(runId: string): Promise<Sample[]>;
  reportPath(runId: string): string;
}

/** The store itself as a RunSource: nothing cached, every call reads the disk. */
export function storeSource(store: RunStore): RunSource {
  return {
    list: async () => (await store.listAsync()).runs,
    load: (idOrPrefix) => store.load(idOrPrefix),
    readSamples: (runId) => store.readSamples(runId),
    reportPath: (runId) => store.reportPath(runId),
  };
}
