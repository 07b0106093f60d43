/**
 * How a verdict of the series statistics (src/report/stats/verdict.ts) looks: one badge text and
 * class per verdict for the page, one colour for the charts, and the "run N more times" advice of
 * an undecided row. Pure, shared by the delta chart and the page's badges so they cannot differ.
 */
import type { MetricStats, SeriesVerdict } from '../../model/seriesComparison';
import { withAlpha, type ChartTheme } from './theme';

export const VERDICTS: readonly SeriesVerdict[] = [
  'regressed',
  'improved',
  'unchanged',
  'insufficient',
];

export interface VerdictBadge {
  /** What the badge says; the arrows are the CLI's marks. */
  text: string;
  /** CSS class of the badge (webview/compare/compare.css). */
  className: string;
  /** Hover text: what the verdict means. */
  title: string;
}

const BADGES: Readonly<Record<SeriesVerdict, VerdictBadge>> = {
  regressed: {
    text: '▲ regressed',
    className: 'wp-verdict verdict-regressed',
    title: 'significantly worse, beyond the noise band',
  },
  improved: {
    text: '▼ improved',
    className: 'wp-verdict verdict-improved',
    title: 'significantly better, beyond the noise band',
  },
  unchanged: {
    text: 'unchanged',
    className: 'wp-verdict verdict-unchanged',
    title: 'not significant, or within the noise band',
  },
  insufficient: {
    text: 'insufficient',
    className: 'wp-verdict verdict-insufficient',
    title: 'too few runs to decide',
  },
};

export function verdictBadge(v: SeriesVerdict): VerdictBadge {
  return BADGES[v];
}

/** Regressed red, improved green; undecided and unchanged in muted tones, never a status hue. */
export function verdictColor(theme: ChartTheme, v: SeriesVerdict): string {
  if (v === 'regressed') return theme.red;
  if (v === 'improved') return theme.green;
  if (v === 'unchanged') return withAlpha(theme.muted, 0.6);
  return withAlpha(theme.muted, 0.25);
}

/**
 * How many more runs a side needs before this row can be decided, or null when more runs would
 * not help (decided already, or the node is missing from a side).
 */
export function moreRunsFor(m: MetricStats, minRuns: number): number | null {
  if (m.verdict !== 'insufficient') return null;
  const have = Math.min(m.baseline.n, m.candidate.n);
  return have > 0 && have < minRuns ? minRuns - have : null;
}

/** The words of an undecided row, as the CLI's verdict line says them. */
export function insufficientText(m: MetricStats, minRuns: number): string {
  const more = moreRunsFor(m, minRuns);
  if (more !== null) return `insufficient: run ${more} more time${more === 1 ? '' : 's'} to decide`;
  return `insufficient: ${m.note ?? 'not measured on one side'}`;
}
