/**
 * Tooltip options by trigger, on top of the shared canvas tooltip (chartSpec's `tooltip`): one
 * item under the pointer, or every series at the pointer's place on the axis.
 */
import { tooltip, type ChartHit } from './chartSpec';
import type { ChartTheme } from './theme';

/** A tooltip for the item under the pointer; `format` gets what ECharts says it is. */
export function itemTooltip(theme: ChartTheme, format: (hit: ChartHit) => string) {
  return {
    ...tooltip(theme),
    trigger: 'item' as const,
    formatter: (p: unknown): string => format(p as ChartHit),
  };
}

/** What ECharts hands an axis tooltip for each series at the pointer (the fields read here). */
export interface AxisHit {
  dataIndex?: number;
  seriesIndex?: number;
  seriesName?: string;
  axisValue?: number;
  value?: unknown;
  marker?: string;
}

/** A tooltip for every series at the pointer's place on the axis, marked by a line. */
export function axisTooltip(theme: ChartTheme, format: (hits: AxisHit[]) => string) {
  return {
    ...tooltip(theme),
    trigger: 'axis' as const,
    axisPointer: { type: 'line' as const, lineStyle: { color: theme.lines } },
    // ECharts passes an array for an axis trigger, one object when a single series answers.
    formatter: (params: unknown): string =>
      format((Array.isArray(params) ? params : [params]) as AxisHit[]),
  };
}
