/**
 * The zoom slider under a time axis (timeline and resources over time): themed to match the
 * panels, labelled in the axis's own units.
 */
import { axisMs } from './units';
import { withAlpha, type ChartTheme } from './theme';

export function sliderStyle(theme: ChartTheme): Record<string, unknown> {
  return {
    borderColor: withAlpha(theme.lines, 0.6),
    backgroundColor: 'transparent',
    fillerColor: withAlpha(theme.blue, 0.18),
    handleStyle: { color: theme.background, borderColor: theme.lines },
    moveHandleStyle: { color: withAlpha(theme.lines, 0.5) },
    dataBackground: {
      lineStyle: { color: withAlpha(theme.lines, 0.5) },
      areaStyle: { color: withAlpha(theme.lines, 0.15) },
    },
    selectedDataBackground: {
      lineStyle: { color: theme.blue },
      areaStyle: { color: withAlpha(theme.blue, 0.2) },
    },
    textStyle: { color: theme.muted, fontSize: theme.fontSize - 2 },
    emphasis: { handleStyle: { borderColor: theme.focus } },
  };
}

/** A zoom window over the run, in per cent of it. */
export type ZoomWindow = [number, number];

/** How a zoom treats data outside the window (ECharts' dataZoom filterMode). */
export type ZoomFilter = 'none' | 'weakFilter';

/** The slider along the bottom that zooms the time axes `xAxisIndex` to `zoom`. */
export function timeSlider(
  theme: ChartTheme,
  xAxisIndex: number | number[],
  filterMode: ZoomFilter,
  zoom: ZoomWindow,
  showDetail?: boolean,
) {
  return {
    type: 'slider' as const,
    xAxisIndex,
    filterMode,
    start: zoom[0],
    end: zoom[1],
    height: 16,
    bottom: 8,
    ...(showDetail === undefined ? {} : { showDetail }),
    labelFormatter: (v: number) => axisMs(v),
    ...sliderStyle(theme),
  };
}

/**
 * The rows of a chart with one row per node, scrolled when they do not fit: a thin slider on the
 * right and the wheel, showing rows `rows[0]` to `rows[1]` (the timeline and the what-if chart).
 */
export function rowScroll(theme: ChartTheme, rows: [number, number], top: number, bottom: number) {
  return [
    {
      type: 'slider' as const,
      yAxisIndex: 0,
      filterMode: 'weakFilter' as const,
      startValue: rows[0],
      endValue: rows[1],
      width: 12,
      right: 8,
      top,
      bottom,
      showDetail: false,
      brushSelect: false,
      ...sliderStyle(theme),
    },
    {
      type: 'inside' as const,
      yAxisIndex: 0,
      filterMode: 'weakFilter' as const,
      startValue: rows[0],
      endValue: rows[1],
      zoomOnMouseWheel: false,
      moveOnMouseWheel: true,
      moveOnMouseMove: false,
    },
  ];
}
