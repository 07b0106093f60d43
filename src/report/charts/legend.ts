/**
 * Canvas legends. The radar's is one row centred above the plot that pages (arrows in the
 * theme's colours); the line charts' wraps, and the plot is laid out below it.
 */
import { textWidth } from './chartSpec';
import type { ChartTheme } from './theme';

export function scrollLegend(theme: ChartTheme, data: string[]) {
  return {
    type: 'scroll' as const,
    top: 0,
    left: 'center',
    data,
    textStyle: { color: theme.foreground, fontSize: theme.fontSize },
    pageTextStyle: { color: theme.muted },
    pageIconColor: theme.foreground,
    pageIconInactiveColor: theme.muted,
  };
}

/** The canvas legend of a line chart, as an option and the height it takes above the plot. */
export interface WrappedLegend {
  option: {
    type: 'plain';
    top: number;
    left: 'center';
    width: number;
    data: string[];
    itemWidth: number;
    itemHeight: number;
    itemGap: number;
    padding: number;
    textStyle: { color: string; fontSize: number; width: number; overflow: 'truncate' };
  };
  height: number;
}

const ITEM_GAP = 10;
const PADDING = 5;

/**
 * A legend that wraps onto as many rows as its names need, every name whole (up to 40% of the
 * chart, then cut with an ellipsis), and says how tall it is so the plot starts below it. A
 * scrolling legend shows one row but cuts its last name at the page's edge on a narrow chart.
 * Widths are estimated on the wide side, so a row ECharts measures never wraps where this one
 * did not: at worst the legend reserves a little more room than it draws.
 */
export function wrapLegend(
  theme: ChartTheme,
  data: string[],
  chartWidth: number,
  item: { width: number; height: number } = { width: 16, height: 8 },
): WrappedLegend {
  const fs = theme.fontSize;
  const maxText = Math.round(Math.max(60, Math.min(200, chartWidth * 0.4)));
  const width = Math.max(100, chartWidth - 2 * PADDING - 8);
  let rows = 1;
  let x = 0;
  for (const d of data) {
    const w = item.width + 5 + Math.min(maxText, textWidth(d, fs)) + ITEM_GAP;
    if (x > 0 && x + w > width) {
      rows++;
      x = 0;
    }
    x += w;
  }
  const rowH = Math.max(item.height, Math.ceil(fs * 1.3));
  return {
    option: {
      type: 'plain',
      top: 0,
      left: 'center',
      width,
      data,
      itemWidth: item.width,
      itemHeight: item.height,
      itemGap: ITEM_GAP,
      padding: PADDING,
      textStyle: { color: theme.foreground, fontSize: fs, width: maxText, overflow: 'truncate' },
    },
    height: 2 * PADDING + rows * rowH + (rows - 1) * ITEM_GAP,
  };
}
