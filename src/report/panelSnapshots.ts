/**
 * Pure pieces of a DashboardSnapshot, shared by the CLI's standalone dashboard and whoever else
 * builds one from stored runs (the compare panel's snapshot is in compareSnapshot.ts).
 */
import type { CustomTrendPoint, DashboardSnapshot } from '../protocol/dashboard';
import type { RunRecord } from '../model/run';
import { finalTaskByNode } from './analysis';

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
