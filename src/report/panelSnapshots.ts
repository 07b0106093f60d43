/**
 * Pure pieces of a DashboardSnapshot, shared by the CLI's standalone dashboard and whoever else
 * builds one from stored runs (the compare panel's snapshot is in compareSnapshot.ts).
 */
import type { CustomTrendPoint, DashboardSnapshot } from '../protocol/dashboard';
import type { RunRecord } from '../model/run';
import type { WhatIfInput } from '../protocol/whatIf';
import { finalTaskByNode } from './analysis';
import { simModelOf } from './whatif/simModel';

/** How many runs of a workflow the custom-metric trends look back over. */
export const CUSTOM_HISTORY_RUNS = 20;

/** A finished run's plan: its nodes in the order they first appear. */
export function planOf(run: RunRecord): DashboardSnapshot['plan'] {
  const seen = new Set<string>();
  const plan: DashboardSnapshot['plan'] = [];
  for (const t of run.tasks) {
    if (seen.has(t.nodeId)) continue;
    seen.add(t.nodeId);
    plan.push({ nodeId: t.nodeId, type: t.type, needs: t.needs, parentId: t.parentId });
  }
  return plan;
}

/** Every finite custom metric of each run's final attempts, runs oldest first. */
export function customTrendPoints(runs: readonly RunRecord[]): CustomTrendPoint[] {
  const sorted = [...runs].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  );
  const points: CustomTrendPoint[] = [];
  for (const r of sorted) {
    for (const t of finalTaskByNode(r).values()) {
      for (const [metric, value] of Object.entries(t.custom)) {
        if (typeof value === 'number' && Number.isFinite(value))
          points.push({ runId: r.id, startedAt: r.startedAt, nodeId: t.nodeId, metric, value });
      }
    }
  }
  return points;
}

/**
 * The "What if" section's input: the simulator's model of a finished run, built here with the
 * same builder as the `whatif` command so both replay the same thing. Undefined while the run is
 * going (its durations are not known yet) or when no node ran (nothing to replay).
 */
export function whatIfInputOf(run: RunRecord): WhatIfInput | undefined {
  if (run.status === 'running' || !run.tasks.some((t) => t.startMs !== null)) return undefined;
  return {
    model: simModelOf(run),
    recordedWallMs: run.wallMs,
    cores: run.cores !== undefined && run.cores > 0 ? run.cores : null,
  };
}
