/** The compare panel's data: pure, so it tests without an editor. */
import type {
  CompareChoice,
  CompareRunInfo,
  CompareSideInfo,
  CompareSnapshot,
} from '../protocol/compare';
import type { RunRecord } from '../model/run';
import type { SeriesComparison } from '../model/seriesComparison';
import { finalTaskByNode } from './analysis';
import { loadLines, method, outlierLines, verdictLine } from './stats/renderSeries';
import { sideDescription } from './stats/renderSides';

/** One resolved side (src/query/runSet.ts): its measured runs oldest first, warm-ups named. */
export interface SnapshotSide {
  spec: string;
  runs: readonly RunRecord[];
  warmups: readonly string[];
}

export interface SnapshotInput {
  baseline: SnapshotSide;
  candidate: SnapshotSide;
  /** compareSeries over the two sides' runs: the CLI's result, unchanged. */
  result: SeriesComparison;
  choices?: readonly CompareChoice[];
}

function sideInfo(s: SnapshotSide): CompareSideInfo {
  return {
    spec: s.spec,
    runs: s.runs.map((r) => r.id),
    warmups: [...s.warmups],
    description: sideDescription(s),
  };
}

/** Pure: the snapshot the compare webview draws. */
export function compareSnapshot(input: SnapshotInput): CompareSnapshot {
  const { baseline, candidate, result } = input;
  const all: { run: RunRecord; side: CompareRunInfo['side'] }[] = [
    ...baseline.runs.map((run) => ({ run, side: 'baseline' as const })),
    ...candidate.runs.map((run) => ({ run, side: 'candidate' as const })),
  ];
  const finals = all.map((x) => finalTaskByNode(x.run));
  const durationTrend: Record<string, (number | null)[]> = {};
  const nodeTypes: Record<string, string> = {};
  for (const n of result.nodes) {
    durationTrend[n.nodeId] = finals.map((f) => f.get(n.nodeId)?.durationMs ?? null);
    // The candidate's type wins: it is what the workflow says now.
    for (const f of finals) {
      const t = f.get(n.nodeId);
      if (t) nodeTypes[n.nodeId] = t.type;
    }
  }
  const last = candidate.runs[candidate.runs.length - 1] ?? baseline.runs[baseline.runs.length - 1];
  return {
    workflowName: last?.workflow.name ?? '',
    baseline: sideInfo(baseline),
    candidate: sideInfo(candidate),
    stats: result,
    words: {
      verdict: verdictLine(result),
      method: method(result),
      outliers: outlierLines(result),
      load: loadLines(result),
    },
    nodeTypes,
    runs: all.map(({ run, side }) => ({
      id: run.id,
      startedAt: run.startedAt,
      status: run.status,
      wallMs: run.wallMs,
      side,
    })),
    durationTrend,
    choices: [...(input.choices ?? [])],
  };
}
