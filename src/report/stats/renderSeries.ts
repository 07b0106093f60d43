/**
 * A series comparison in words: one row per node × metric, the outliers, and a verdict line.
 * The same rows render as a terminal table (the CLI) and as Markdown (the Compare panel), so the
 * two can never disagree. Pure.
 */
import { compareMetricDef, formatCompareValue, type CompareMetric } from '../../model/comparison';
import { formatPercent, NA } from '../../model/format';
import type {
  MetricStats,
  SeriesComparison,
  SeriesVerdict,
  SideStats,
} from '../../model/seriesComparison';
import { escapeMarkdown } from '../markdown';
import { heldForLoad } from './loadContext';

const HEAD = ['node', 'metric', 'baseline', 'candidate', 'change', 'interval', 'verdict'];

const pct = (x: number | null): string =>
  x === null ? NA : `${x > 0 ? '+' : ''}${formatPercent(x * 100)}`;

function sideCell(m: CompareMetric, s: SideStats): string {
  return `${formatCompareValue(m, s.median)} (n=${s.n})`;
}

const MARK: Record<SeriesVerdict, string> = {
  regressed: '▲ regressed',
  improved: '▼ improved',
  unchanged: 'unchanged',
  insufficient: 'insufficient',
};

interface Row {
  nodeId: string;
  metric: CompareMetric;
  stats: MetricStats;
}

function rowsOf(c: SeriesComparison): Row[] {
  return c.nodes.flatMap((n) =>
    c.metrics.flatMap((metric) => {
      const stats = n.metrics[metric];
      return stats ? [{ nodeId: n.nodeId, metric, stats }] : [];
    }),
  );
}

function cells(r: Row): string[] {
  const s = r.stats;
  return [
    r.nodeId,
    compareMetricDef(r.metric).label,
    sideCell(r.metric, s.baseline),
    sideCell(r.metric, s.candidate),
    pct(s.change),
    s.low === null || s.high === null ? NA : `[${pct(s.low)}, ${pct(s.high)}]`,
    MARK[s.verdict],
  ];
}

/** Exported for the Compare panel, which shows the same lines. */
export function outlierLines(c: SeriesComparison): string[] {
  return rowsOf(c).flatMap((r) =>
    (['baseline', 'candidate'] as const).flatMap((k) =>
      r.stats[k].outliers.length === 0
        ? []
        : [
            `outlier${r.stats[k].outliers.length > 1 ? 's' : ''} in ${k} ${r.nodeId} ${compareMetricDef(r.metric).label}: ${r.stats[k].outliers.join(', ')} (kept in the median)`,
          ],
    ),
  );
}

/** One line: what changed, or that nothing did; and how many more runs would decide the rest. */
export function verdictLine(c: SeriesComparison): string {
  const rows = rowsOf(c);
  const named = (v: SeriesVerdict): string[] =>
    rows
      .filter((r) => r.stats.verdict === v)
      .map((r) => `${r.nodeId} ${compareMetricDef(r.metric).label} ${pct(r.stats.change)}`);
  const regressed = named('regressed');
  const improved = named('improved');
  const undecided = rows.filter((r) => r.stats.verdict === 'insufficient');
  const held = undecided.filter((r) => heldForLoad(r.stats.note));
  // Rows with no measurement on a side (a node missing, a metric not measured there) are not
  // decided by more runs: they are named apart, so "run 0 more times" is never printed.
  const unmeasured = undecided.filter(
    (r) => !heldForLoad(r.stats.note) && Math.min(r.stats.baseline.n, r.stats.candidate.n) === 0,
  );
  const insufficient = undecided.length - held.length - unmeasured.length;
  const parts: string[] = [];
  if (regressed.length > 0) parts.push(`regressed: ${regressed.join('; ')}`);
  if (improved.length > 0) parts.push(`improved: ${improved.join('; ')}`);
  if (parts.length === 0) parts.push('no regression, no improvement');
  if (held.length > 0) {
    const names = held.map(
      (r) => `${r.nodeId} ${compareMetricDef(r.metric).label} ${pct(r.stats.change)}`,
    );
    parts.push(
      `Not called because the load differed (see Load): ${names.join('; ')}; rerun both sides on a quieter machine`,
    );
  }
  if (unmeasured.length > 0) {
    // A few are named; many (a metric one side never measures) would drown the verdict.
    const few = unmeasured.length <= 3;
    const names = unmeasured.map((r) => `${r.nodeId} ${compareMetricDef(r.metric).label}`);
    parts.push(
      `${unmeasured.length} not measured on both sides${few ? ` (${names.join('; ')})` : ''}`,
    );
  }
  if (insufficient > 0 && c.moreRunsNeeded > 0) {
    const more = c.moreRunsNeeded;
    parts.push(
      `${insufficient} undecided: run ${more} more time${more === 1 ? '' : 's'} to decide`,
    );
  }
  return `Verdict: ${parts.join('. ')}.`;
}

/** The sides' load differed: durations and CPU times are not compared as if it had not. */
export function loadLines(c: SeriesComparison): string[] {
  return c.loadWarning === null
    ? []
    : [
        `Load: ${c.loadWarning}. Duration and CPU time changes are not called significant under such different load.`,
      ];
}

export function method(c: SeriesComparison): string {
  const s = c.settings;
  return `Medians of ${c.baseline.runs.length} baseline and ${c.candidate.runs.length} candidate runs; ${Math.round(s.level * 100)} % bootstrap interval of the median ratio (${s.iterations} resamples, seed ${s.seed}); a change needs Benjamini–Hochberg adjusted p < ${s.alpha} and must exceed the noise band (max of ${Math.round(s.noiseFloor * 100)} % and ±2 robust σ of a single run on either side).`;
}

export function renderSeriesText(c: SeriesComparison): string {
  const table = [HEAD, ...rowsOf(c).map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const lines = table.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, '', ...outlierLines(c), method(c), ...loadLines(c), verdictLine(c)].join('\n');
}

export function renderSeriesMarkdown(c: SeriesComparison): string {
  const row = (r: string[]): string => `| ${r.map(escapeMarkdown).join(' | ')} |`;
  const outliers = outlierLines(c).map((l) => `- ${escapeMarkdown(l)}`);
  return [
    '# Series comparison',
    '',
    `**${escapeMarkdown(verdictLine(c))}**`,
    '',
    escapeMarkdown(method(c)),
    '',
    ...loadLines(c).flatMap((l) => [`> ${escapeMarkdown(l)}`, '']),
    row(HEAD),
    `|${HEAD.map(() => ' --- ').join('|')}|`,
    ...rowsOf(c).map((r) => row(cells(r))),
    ...(outliers.length > 0 ? ['', '## Outliers', '', ...outliers] : []),
    '',
  ].join('\n');
}
