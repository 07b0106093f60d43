/**
 * Axis option pieces several builders repeat, each starting from the theme's axisStyle: a scale
 * axis whose end labels stay inside the chart, a value axis with grid lines, an axis title, and
 * the y axis of a chart with one row per node.
 */
import { axisStyle, FIXED_GRID, labelWidth } from './chartSpec';
import { nodeLabel } from './text';
import { isHighContrast, withAlpha, type ChartTheme } from './theme';
import { axisMs } from './units';

/**
 * Labels of an axis along the top or bottom: they skip rather than overlap, and the first and
 * last lean inwards, so a label at either end is never cut off by the chart's edge.
 */
export const EDGE_LABELS = {
  hideOverlap: true,
  alignMinLabel: 'left',
  alignMaxLabel: 'right',
} as const;

export interface ScaleAxisOptions {
  /** Tick label text; ECharts' own when absent. */
  formatter?: (v: number) => string;
  /** Set to hide the labels (the upper axes of stacked grids). */
  showLabels?: boolean;
}

/** The style of a value axis along the top or bottom: EDGE_LABELS, grid lines at the ticks. */
export function scaleAxis(theme: ChartTheme, o: ScaleAxisOptions = {}) {
  const ax = axisStyle(theme);
  return {
    ...ax,
    axisLabel: {
      ...ax.axisLabel,
      ...(o.showLabels === undefined ? {} : { show: o.showLabels }),
      ...(o.formatter === undefined ? {} : { formatter: o.formatter }),
      ...EDGE_LABELS,
    },
    splitLine: { show: true, ...ax.splitLine },
  };
}

/**
 * The x axis of a trend over runs, oldest first, each run on a point (no gap at the ends) and no
 * grid lines: `data` names the runs; without `labels`, labels and ticks are hidden (small
 * multiples).
 */
export function runsAxis(theme: ChartTheme, data: string[], labels: boolean) {
  const ax = axisStyle(theme);
  return {
    type: 'category' as const,
    data,
    boundaryGap: false,
    ...ax,
    axisLabel: labels ? { ...ax.axisLabel, ...EDGE_LABELS } : { ...ax.axisLabel, show: false },
    ...(labels ? {} : { axisTick: { show: false } }),
    splitLine: { show: false },
  };
}

/** The style of a value axis: labels through `formatter`, grid lines at the ticks. */
export function valueAxis(theme: ChartTheme, formatter: (v: number) => string) {
  const ax = axisStyle(theme);
  return {
    ...ax,
    axisLabel: { ...ax.axisLabel, formatter },
    splitLine: { show: true, ...ax.splitLine },
  };
}

/** A title at the axis's far end, left-aligned so it reads as the grid's heading. */
export function axisTitle(theme: ChartTheme, name: string, gap: number) {
  return {
    name,
    nameLocation: 'end' as const,
    nameGap: gap,
    nameTextStyle: { color: theme.foreground, align: 'left' as const, fontSize: theme.fontSize },
  };
}

/**
 * Node rows' labels and the width of their column: it fits the longest, up to 200 px, and up
 * to a fifth of a narrow chart (80 px at least), the rest cut with an ellipsis (the tooltip and
 * the table give the whole name), so the plot keeps room for its values.
 */
export function nodeLabelColumn(
  ids: readonly string[],
  theme: ChartTheme,
  chartWidth = Infinity,
): { labels: string[]; width: number } {
  const labels = ids.map((id) => nodeLabel(id));
  const max = Math.round(Math.min(200, Math.max(80, chartWidth * 0.2)));
  return { labels, width: labelWidth(labels, theme.fontSize, max) };
}

/** Label colour of a node row: one colour, or one per row index. */
export type RowLabelColor = string | ((v?: string | number, i?: number) => string);

/**
 * The y axis of a chart with one row per node: ids as categories (clicks report them), the given
 * labels truncated to `labelWidth`, first row on top.
 */
export function nodeRowsAxis(
  theme: ChartTheme,
  ids: readonly string[],
  labels: readonly string[],
  labelWidth: number,
  color: RowLabelColor,
) {
  const ax = axisStyle(theme);
  return {
    type: 'category' as const,
    data: [...ids],
    inverse: true,
    triggerEvent: true,
    axisTick: { show: false },
    axisLabel: {
      ...ax.axisLabel,
      color,
      fontSize: theme.fontSize,
      interval: 0,
      width: labelWidth,
      overflow: 'truncate' as const,
      formatter: (_v: string, i: number) => labels[i] ?? '',
    },
  };
}

/** Faint alternating bands behind the rows, to follow a row across. */
export function rowBands(theme: ChartTheme, alpha: number) {
  return {
    show: true,
    areaStyle: { color: ['transparent', withAlpha(theme.foreground, alpha)] },
  };
}

/** The node-rows y axis of the compare charts: foreground labels, axis line, row bands. */
export function nodeCategoryAxis(
  theme: ChartTheme,
  ids: readonly string[],
  labels: readonly string[],
  labelWidth: number,
) {
  return {
    ...nodeRowsAxis(theme, ids, labels, labelWidth, theme.foreground),
    axisLine: { lineStyle: { color: theme.lines } },
    splitArea: rowBands(theme, 0.03),
  };
}

/**
 * The grid and axes of a Gantt chart (the timeline, the what-if chart): milliseconds from 0 to
 * `spanMs` along the bottom, one banded row per node down the side, their labels `left` wide,
 * room on the right for the row scroller when the rows scroll.
 */
export function ganttAxes(
  theme: ChartTheme,
  spanMs: number,
  rows: { ids: readonly string[]; labels: readonly string[]; left: number },
  layout: { top: number; bottom: number; scrolling: boolean },
  color: RowLabelColor,
) {
  const { top, bottom, scrolling } = layout;
  return {
    grid: { ...FIXED_GRID, left: rows.left, right: scrolling ? 34 : 16, top, bottom },
    xAxis: {
      type: 'value' as const,
      min: 0,
      max: spanMs,
      ...scaleAxis(theme, { formatter: (v: number) => axisMs(v) }),
    },
    yAxis: {
      ...nodeRowsAxis(theme, rows.ids, rows.labels, rows.left - 10, color),
      axisLine: axisStyle(theme).axisLine,
      splitArea: rowBands(theme, isHighContrast(theme) ? 0.1 : 0.035),
    },
  };
}
