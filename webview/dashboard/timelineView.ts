/**
 * The timeline's spec from the dashboard state, and what the user did to the drawn chart that
 * the next draw must keep: the zoom window (UI state) and the rows scrolled to.
 */
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import { timelineChart } from '../../src/report/charts/timeline';
import type { ECharts } from '../shared/echarts';
import type { DashboardState } from './state';

interface DataZoomOption {
  xAxisIndex?: unknown;
  yAxisIndex?: unknown;
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
}

function dataZooms(chart: ECharts): DataZoomOption[] {
  return (chart.getOption() as { dataZoom?: DataZoomOption[] }).dataZoom ?? [];
}

export function timelineSpec(s: DashboardState, m: DashboardModel, width: number): ChartSpec {
  return timelineChart(m, s.theme, {
    width,
    zoom: s.ui.zoom ?? null,
    focusNodeId: s.focused,
    rowWindow: s.timelineRows ? [s.timelineRows[0], s.timelineRows[1]] : null,
  });
}

/** The rows (first, last) the vertical scroll shows, or null when it does not scroll. */
export function readRowWindow(chart: ECharts | null): [number, number] | null {
  if (!chart) return null;
  const y = dataZooms(chart).find(
    (z) => z.yAxisIndex !== undefined && typeof z.startValue === 'number',
  );
  return y && typeof y.startValue === 'number' && typeof y.endValue === 'number'
    ? [y.startValue, y.endValue]
    : null;
}

/** The time axis's zoom window, percentages of the run. */
export function readZoom(chart: ECharts): [number, number] | null {
  const x = dataZooms(chart).find((z) => z.xAxisIndex !== undefined && typeof z.start === 'number');
  return x && typeof x.start === 'number' && typeof x.end === 'number' ? [x.start, x.end] : null;
}
