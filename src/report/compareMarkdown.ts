/**
 * A run comparison as Markdown: the wall-time verdict, flagged regressions and improvements, then
 * one table per metric. Every string that comes from a workflow or a run is escaped.
 */
import type { RunRecord } from '../model/run';
import {
  COMPARE_METRICS,
  compareMetricDef,
  formatCompareValue,
  type CompareMetric,
  type MetricDelta,
  type RunComparison,
} from '../model/comparison';
import { formatMs, formatPercent, NA } from '../model/format';
import { escapeMarkdown as e } from './markdown';

const label = (m: CompareMetric): string => compareMetricDef(m).label;
const value = formatCompareValue;

function ratio(d: MetricDelta): string {
  if (d.ratio === null) return NA;
  return (d.ratio > 0 ? '+' : '') + formatPercent(d.ratio * 100);
}

const VERDICT: Record<MetricDelta['verdict'], string> = {
  regression: '▲ regression',
  improvement: '▼ improvement',
  same: 'within noise',
  'n/a': NA,
};

export function renderComparison(comparison: RunComparison, runs: readonly RunRecord[]): string {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const cand = byId.get(comparison.candidateId);
  const lines: string[] = [];
  lines.push(`# Run comparison: ${e(cand?.workflow.name ?? comparison.candidateId)}`, '');
  const baseDesc =
    comparison.baselineIds.length === 1
      ? `run \`${comparison.baselineIds[0]}\``
      : `the mean of ${comparison.baselineIds.length} runs (spread shown as ±1 σ)`;
  lines.push(`Candidate run \`${comparison.candidateId}\` against ${baseDesc}.`, '');
  const w = comparison.wall;
  lines.push(
    `**Wall time:** ${value('durationMs', w.baseline)} → ${value('durationMs', w.candidate)} ` +
      `(${value('durationMs', w.delta, true)}, ${ratio(w)}; ${VERDICT[w.verdict]})`,
    '',
  );
  lines.push(
    `A change is flagged when it exceeds 10% of the baseline and the metric's noise floor ` +
      `(and twice the baseline's spread when there are repeats).`,
    '',
  );
  const flagList = (title: string, items: RunComparison['regressions']): void => {
    lines.push(`## ${title}`, '');
    if (items.length === 0) lines.push('None.', '');
    else {
      for (const it of items) {
        const pct =
          it.ratio === null ? NA : `${it.ratio > 0 ? '+' : ''}${formatPercent(it.ratio * 100)}`;
        lines.push(`- \`${e(it.nodeId)}\`: ${label(it.metric)} ${pct}`);
      }
      lines.push('');
    }
  };
  flagList('Regressions', comparison.regressions);
  flagList('Improvements', comparison.improvements);

  for (const metric of COMPARE_METRICS) {
    lines.push(`## ${label(metric)}`, '');
    lines.push(
      '| Node | Type | Baseline | Candidate | Change | Verdict |',
      '| --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const n of comparison.nodes) {
      const d = n.metrics.find((m) => m.metric === metric);
      if (!d) continue;
      const base =
        value(metric, d.baseline) + (d.spread !== null ? ` ± ${value(metric, d.spread)}` : '');
      lines.push(
        `| ${e(n.nodeId)} | ${e(n.type)} | ${base} | ${value(metric, d.candidate)} | ` +
          `${value(metric, d.delta, true)} (${ratio(d)}) | ${VERDICT[d.verdict]} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Runs', '', '| Run | Started | Wall time | Status |', '| --- | --- | ---: | --- |');
  for (const t of comparison.trend) {
    lines.push(`| \`${t.runId}\` | ${e(t.startedAt)} | ${formatMs(t.wallMs)} | ${e(t.status)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
