/**
 * What each side of a comparison was: its spec, how many measured runs, and the warm-ups left
 * out, in the same words for the terminal, the Markdown report and the Compare panel. The
 * comparison report is the series table (./renderSeries.ts) followed by these lines: one
 * renderer, so `compare --markdown` and the panel's report are the same text. Pure.
 */
import type { SeriesComparison } from '../../model/seriesComparison';
import { escapeMarkdown } from '../markdown';
import { renderSeriesMarkdown, renderSeriesText } from './renderSeries';

export interface SideSummary {
  spec: string;
  runs: readonly { id: string }[];
  warmups: readonly string[];
}

export interface Sides {
  baseline: SideSummary;
  candidate: SideSummary;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `series-…: 5 measured runs; 2 warm-up runs left out (a, b)`. */
export function sideDescription(side: SideSummary): string {
  const left =
    side.warmups.length === 0
      ? 'no warm-up run named'
      : `${plural(side.warmups.length, 'warm-up run')} left out (${side.warmups.join(', ')})`;
  return `${side.spec}: ${plural(side.runs.length, 'measured run')}; ${left}`;
}

function sideLines(sides: Sides): string[] {
  return [
    `baseline ${sideDescription(sides.baseline)}`,
    `candidate ${sideDescription(sides.candidate)}`,
  ];
}

export function compareReportText(c: SeriesComparison, sides: Sides): string {
  return [...sideLines(sides), '', renderSeriesText(c)].join('\n');
}

export function compareReportMarkdown(c: SeriesComparison, sides: Sides): string {
  return [
    renderSeriesMarkdown(c).trimEnd(),
    '',
    '## Runs compared',
    '',
    ...sideLines(sides).map((l) => `- ${escapeMarkdown(l)}`),
    '',
  ].join('\n');
}
