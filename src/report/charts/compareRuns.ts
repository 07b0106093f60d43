/**
 * Runs side by side: each node's duration in each of the last runs, one bar per run in run
 * order (baselines in grey tones, the candidate in colour), so a change reads at a glance and the
 * exact values are on hover.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import type { CompareSnapshot } from '../../protocol/compare';
import { nodeCategoryAxis, nodeLabelColumn, scaleAxis } from './axes';
import {
  baseOption,
  count,
  type ChartSize,
  type ChartSpec,
  type LegendEntry,
  FIXED_GRID,
} from './chartSpec';
import { mix, withAlpha, type ChartTheme } from './theme';
import { tooltipLines } from './text';
import { trendNodes, runLabel } from './compareTrend';
import { axisMs, exactMs } from './units';
import { nodeAtRows } from './rowHits';
import { rowSeries } from './rowSeries';
import { itemTooltip } from './tooltips';

export interface CompareRunsOptions extends ChartSize {
  maxNodes?: number;
  maxRuns?: number;
}

export const SIDE_BY_SIDE_MAX_NODES = 15;
export const SIDE_BY_SIDE_MAX_RUNS = 6;

export function compareRunsChart(
  s: CompareSnapshot,
  theme: ChartTheme,
  opts: CompareRunsOptions,
): ChartSpec {
  const nodes = trendNodes(s, opts.maxNodes ?? SIDE_BY_SIDE_MAX_NODES);
  const runCount = Math.min(s.runs.length, opts.maxRuns ?? SIDE_BY_SIDE_MAX_RUNS);
  const first = s.runs.length - runCount;
  const runs = s.runs.slice(first);
  const { labels, width: left } = nodeLabelColumn(nodes, theme);
  const rowPx = Math.max(20, Math.min(36, 6 + runCount * 6));
  const color = (k: number): string =>
    k === runCount - 1
      ? theme.blue
      : withAlpha(
          mix(theme.muted, theme.foreground, 0.2),
          0.35 + (0.45 * k) / Math.max(1, runCount - 1),
        );
  let max = 1;
  for (const id of nodes)
    for (const v of (s.durationTrend[id] ?? []).slice(first)) max = Math.max(max, v ?? 0);

  const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const i = params.dataIndex;
    const id = nodes[i];
    if (id === undefined) return null;
    const values = (s.durationTrend[id] ?? []).slice(first);
    const o = api.coord([0, i]);
    const band = ((api.size?.([0, 1]) as number[] | undefined)?.[1] ?? rowPx) * 0.8;
    const each = band / runCount;
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [];
    values.forEach((v, k) => {
      const y = (o[1] as number) - band / 2 + k * each;
      if (v === null) {
        children.push({
          type: 'rect',
          shape: { x: o[0] as number, y: y + 0.5, width: 3, height: Math.max(1, each - 1) },
          style: {
            fill: 'transparent',
            stroke: withAlpha(theme.muted, 0.6),
            lineWidth: 1,
            lineDash: [2, 2],
          },
        });
        return;
      }
      const end = api.coord([v, i])[0] as number;
      children.push({
        type: 'rect',
        shape: {
          x: o[0] as number,
          y: y + 0.5,
          width: Math.max(1.5, end - (o[0] as number)),
          height: Math.max(1, each - 1),
        },
        style: { fill: color(k) },
      });
    });
    return { type: 'group', children };
  };

  const option = {
    ...baseOption(theme),
    grid: { ...FIXED_GRID, left, right: 16, top: 26, bottom: 8 },
    tooltip: itemTooltip(theme, (hit) => {
      const id = nodes[hit.dataIndex ?? -1];
      if (id === undefined) return '';
      const values = (s.durationTrend[id] ?? []).slice(first);
      return tooltipLines(
        `${id} · duration`,
        runs.map((r, k): [string, string] => [
          `${runLabel(r.startedAt, first + k)}${k === runCount - 1 ? ' (candidate)' : ''}`,
          values[k] === null || values[k] === undefined ? 'did not run' : exactMs(values[k]),
        ]),
      );
    }),
    xAxis: {
      type: 'value' as const,
      position: 'top' as const,
      min: 0,
      max,
      ...scaleAxis(theme, { formatter: axisMs }),
    },
    yAxis: nodeCategoryAxis(theme, nodes, labels, left - 10),
    series: [rowSeries(render, nodes.length)],
  };
  const legend: LegendEntry[] = runs.map((r, k) => ({
    label: `${runLabel(r.startedAt, first + k)}${k === runCount - 1 ? ' (candidate)' : ''}`,
    color: color(k),
    shape: 'bar',
  }));
  const notes: string[] = [];
  if (s.runs.length > runCount) notes.push(`The last ${runCount} of ${count(s.runs.length)} runs.`);
  const total = Object.keys(s.durationTrend).length;
  if (total > nodes.length)
    notes.push(`The ${count(nodes.length)} longest of ${count(total)} nodes on average.`);
  notes.push('A dashed outline marks a run in which the node did not run.');
  return {
    id: 'sideBySide',
    option,
    height: 26 + 8 + Math.max(1, nodes.length) * rowPx,
    notes,
    legend,
    empty: nodes.length === 0,
    nodeAt: nodeAtRows(nodes),
  };
}
