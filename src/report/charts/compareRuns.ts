/**
 * Runs side by side: each node's duration in the last runs of each side, one bar per run
 * (baseline runs in grey tones, candidate runs in blue tones), so a change reads at a glance and
 * the exact values are on hover.
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
/** Runs drawn per side: the last of each, so a series of twenty stays readable. */
export const SIDE_BY_SIDE_MAX_RUNS = 4;

/** Indices into `s.runs` of the runs drawn: the last `max` of each side, baseline first. */
export function sideBySideRuns(s: CompareSnapshot, max: number): number[] {
  const of = (side: 'baseline' | 'candidate'): number[] =>
    s.runs.flatMap((r, i) => (r.side === side ? [i] : [])).slice(-max);
  return [...of('baseline'), ...of('candidate')];
}

export function compareRunsChart(
  s: CompareSnapshot,
  theme: ChartTheme,
  opts: CompareRunsOptions,
): ChartSpec {
  const nodes = trendNodes(s, opts.maxNodes ?? SIDE_BY_SIDE_MAX_NODES);
  const picked = sideBySideRuns(s, opts.maxRuns ?? SIDE_BY_SIDE_MAX_RUNS);
  const runCount = picked.length;
  const runs = picked.map((i) => s.runs[i] as CompareSnapshot['runs'][number]);
  const valuesOf = (id: string): (number | null)[] =>
    picked.map((i) => s.durationTrend[id]?.[i] ?? null);
  const { labels, width: left } = nodeLabelColumn(nodes, theme);
  const rowPx = Math.max(20, Math.min(40, 6 + runCount * 5));
  const baseCount = runs.filter((r) => r.side === 'baseline').length;
  const candCount = runCount - baseCount;
  const color = (k: number): string =>
    k >= baseCount
      ? withAlpha(theme.blue, 0.55 + (0.45 * (k - baseCount + 1)) / Math.max(1, candCount))
      : withAlpha(
          mix(theme.muted, theme.foreground, 0.2),
          0.35 + (0.45 * k) / Math.max(1, baseCount - 1),
        );
  const label = (k: number): string => {
    const r = runs[k];
    return r ? `${runLabel(r.startedAt, picked[k] ?? k)} (${r.side})` : '';
  };
  let max = 1;
  for (const id of nodes) for (const v of valuesOf(id)) max = Math.max(max, v ?? 0);

  const render: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const i = params.dataIndex;
    const id = nodes[i];
    if (id === undefined) return null;
    const values = valuesOf(id);
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
      const values = valuesOf(id);
      return tooltipLines(
        `${id} · duration`,
        runs.map((_, k): [string, string] => [
          label(k),
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
  const legend: LegendEntry[] = runs.map((_, k) => ({
    label: label(k),
    color: color(k),
    shape: 'bar',
  }));
  const notes: string[] = [];
  if (s.runs.length > runCount)
    notes.push(`The last runs of each side: ${runCount} of ${count(s.runs.length)}.`);
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
