/**
 * The canvas legend of the line and radar charts: one row centred above the plot that pages
 * (arrows in the theme's colours) rather than wrapping over the chart when names are many.
 */
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
