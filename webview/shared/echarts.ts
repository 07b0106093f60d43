/**
 * ECharts with only what the panels draw: tree-shaken through echarts/core, canvas renderer.
 * Custom series draw the bars, the Gantt rows and the heatmap cells (exact control of n/a and
 * labels); line and radar series the rest.
 */
import { init, use, type ECharts } from 'echarts/core';
import { CustomChart, LineChart, RadarChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendScrollComponent,
  RadarComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  CustomChart,
  LineChart,
  RadarChart,
  GridComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  LegendScrollComponent,
  RadarComponent,
  CanvasRenderer,
]);

export { init, type ECharts };
