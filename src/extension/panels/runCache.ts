/**
 * Finished runs never change, so panels share one small cache of loaded records (the custom
 * metric trend and comparisons read many runs of one workflow).
 */
import type { RunStore } from '../../store/runStore';
import type { RunRecord } from '../../model/run';

const MAX_CACHED = 64;

export class RunCache {
  private readonly runs = new Map<string, RunRecord>();

  constructor(private readonly store: () => RunStore) {}

  async load(id: string): Promise<RunRecord> {
    const hit = this.runs.get(id);
    if (hit) return hit;
    const run = await this.store().load(id);
    if (run.status !== 'running') {
      if (this.runs.size >= MAX_CACHED) {
        const oldest = this.runs.keys().next().value;
        if (oldest !== undefined) this.runs.delete(oldest);
      }
      this.runs.set(run.id, run);
    }
    return run;
  }

  forget(id: string): void {
    this.runs.delete(id);
  }
}
