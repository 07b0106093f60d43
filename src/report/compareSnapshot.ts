/** The compare panel's data: pure, so it tests without an editor. */
import type { CompareSnapshot } from '../protocol/compare';
import type { RunRecord } from '../model/run';
import { finalTaskByNode } from './analysis';
import { compareRuns } from './compare';

/** Pure: the snapshot the compare webview draws, runs in any order. */
export function compareSnapshot(runs: RunRecord[]): CompareSnapshot {
  const sorted = [...runs].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  );
  const comparison = compareRuns(sorted);
  const finals = sorted.map(finalTaskByNode);
  const durationTrend: Record<string, (number | null)[]> = {};
  for (const n of comparison.nodes) {
    durationTrend[n.nodeId] = finals.map((f) => f.get(n.nodeId)?.durationMs ?? null);
  }
  const last = sorted[sorted.length - 1];
  return {
    workflowName: last?.workflow.name ?? '',
    comparison,
    runs: sorted.map((r) => ({
      id: r.id,
      startedAt: r.startedAt,
      status: r.status,
      wallMs: r.wallMs,
    })),
    durationTrend,
  };
}
