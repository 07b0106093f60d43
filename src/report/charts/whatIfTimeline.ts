/**
 * The "What if" section's chart: the predicted schedule as a Gantt chart, one row per node that
 * ran, each predicted bar under a thin outline of when the node ran in the recorded run, the
 * predicted critical path outlined in purple, and a dashed line at the predicted and at the
 * recorded end. Predicted bars are one colour (not the status colours): they are a forecast, not
 * an outcome. Pure: the dashboard model and a prediction in, an ECharts option out.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import { formatMs } from '../../model/format';
import { taskEndMs } from '../analysis';
import { ganttAxes } from './axes';
import {
  baseOption,
  count,
  gridRectOf,
  groupRoot,
  labelWidth,
  textWidth,
  type ChartHit,
  type ChartSize,
  type ChartSpec,
  type LegendEntry,
} from './chartSpec';
import type { DashboardModel } from './dashboardModel';
import { rowScroll } from './dataZoom';
import { nodeAtRows } from './rowHits';
import { nodeLabel, richText, tooltipLines } from './text';
import { isHighContrast, textOn, withAlpha, type ChartTheme } from './theme';
import { itemTooltip } from './tooltips';
import { exactMs } from './units';
import { factorLabel, type Prediction } from './whatIfScenario';

export const WHATIF_CHART_ID = 'whatIf';
export const WHATIF_ROW_PX = 26;
export const WHATIF_MAX_ROWS = 20;

export interface WhatIfRow {
  nodeId: string;
  label: string;
  predictedStart: number;
  predictedEnd: number;
  /** When the node ran in the recorded run (first start to last end); null if unknown. */
  recordedStart: number | null;
  recordedEnd: number | null;
  critical: boolean;
  /** Its speed-up factor in this scenario (NO_TIME: none), or null when as recorded. */
  factor: number | null;
}

/** One row per simulated node, in the dashboard's display order (nested under their parent). */
export function whatIfRows(model: DashboardModel, p: Prediction): WhatIfRow[] {
  const predicted = new Map(p.result.nodes.map((n) => [n.nodeId, n]));
  const critical = new Set(p.result.criticalPath);
  const rows: WhatIfRow[] = [];
  for (const r of model.rows) {
    const n = predicted.get(r.nodeId);
    if (!n) continue;
    let start: number | null = null;
    let end: number | null = null;
    for (const t of r.attempts) {
      if (t.startMs === null) continue;
      start = start === null ? t.startMs : Math.min(start, t.startMs);
      const e = taskEndMs(t);
      if (e !== null) end = end === null ? e : Math.max(end, e);
    }
    rows.push({
      nodeId: r.nodeId,
      label: nodeLabel(r.nodeId, r.depth),
      predictedStart: n.startMs,
      predictedEnd: Math.max(n.startMs, n.endMs),
      recordedStart: start,
      recordedEnd: end,
      critical: critical.has(r.nodeId),
      factor: p.scenario.speedup.get(r.nodeId) ?? null,
    });
  }
  return rows;
}

export interface WhatIfTimelineOptions extends ChartSize {
  /** The run's recorded wall time (a dashed line marks it); null when not recorded. */
  recordedWallMs: number | null;
  maxRows?: number;
}

export function whatIfLegend(
  theme: ChartTheme,
  rows: readonly WhatIfRow[],
  recordedWallMs: number | null,
): LegendEntry[] {
  const entries: LegendEntry[] = [
    { label: 'predicted (simulated)', color: theme.blue, shape: 'bar' },
    { label: 'recorded run', color: withAlpha(theme.muted, 0.8), shape: 'thin' },
  ];
  if (rows.some((r) => r.critical)) {
    entries.push({ label: 'predicted critical path', color: theme.purple, shape: 'outline' });
  }
  entries.push({ label: 'predicted end', color: theme.blue, shape: 'line' });
  if (recordedWallMs !== null) {
    entries.push({ label: 'recorded end', color: theme.muted, shape: 'line' });
  }
  return entries;
}

/** Series order: the end lines (0) under the bars (1). */
const SERIES_BARS = 1;

export function whatIfTimelineChart(
  model: DashboardModel,
  p: Prediction,
  theme: ChartTheme,
  opts: WhatIfTimelineOptions,
): ChartSpec {
  const rows = whatIfRows(model, p);
  const fs = theme.fontSize;
  const hc = isHighContrast(theme);
  const maxRows = Math.max(1, opts.maxRows ?? WHATIF_MAX_ROWS);
  const scrolling = rows.length > maxRows;
  const visibleRows = Math.max(1, Math.min(rows.length, maxRows));
  const ids = rows.map((r) => r.nodeId);
  const labels = rows.map((r) => r.label);
  const left = labelWidth(labels, fs);
  const predictedWall = p.result.wallMs;
  const span = Math.max(1, predictedWall, opts.recordedWallMs ?? 0);
  const fill = theme.blue;
  const ends: { ms: number; label: string; color: string }[] = [
    { ms: predictedWall, label: `predicted ${formatMs(predictedWall)}`, color: theme.blue },
  ];
  if (opts.recordedWallMs !== null) {
    ends.push({
      ms: opts.recordedWallMs,
      label: `recorded ${formatMs(opts.recordedWallMs)}`,
      color: theme.muted,
    });
  }

  const barsRender: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const r = rows[params.dataIndex];
    if (!r) return null;
    const grid = gridRectOf(params.coordSys);
    const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? WHATIF_ROW_PX;
    const h = Math.max(4, Math.min(14, band * 0.5));
    const row = params.dataIndex;
    const p0 = api.coord([r.predictedStart, row]);
    const p1 = api.coord([r.predictedEnd, row]);
    const x0 = p0[0] as number;
    // The bar a little above the row's middle, the recorded line under it: both inside the row.
    const y = (p0[1] as number) - 2;
    const width = Math.max(2, (p1[0] as number) - x0);
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [];
    if (r.recordedStart !== null && r.recordedEnd !== null) {
      // The recorded run as a thin line under the predicted bar: where the node moved from.
      const a = api.coord([r.recordedStart, row])[0] as number;
      const b = api.coord([r.recordedEnd, row])[0] as number;
      children.push({
        type: 'rect',
        shape: { x: a, y: y + h / 2 + 2, width: Math.max(1, b - a), height: 3 },
        style: { fill: withAlpha(theme.muted, hc ? 1 : 0.8) },
        silent: true,
      });
    }
    children.push({
      type: 'rect',
      shape: { x: x0, y: y - h / 2, width, height: h, r: 2 },
      style: {
        fill: r.factor !== null ? withAlpha(fill, 0.75) : fill,
        stroke: r.critical ? theme.purple : hc ? theme.border : 'transparent',
        lineWidth: r.critical ? 2 : hc ? 1 : 0,
        lineDash: r.factor !== null ? [3, 2] : undefined,
      },
    });
    const text = barText(r);
    const labelFs = fs - 1;
    const tw = textWidth(text, labelFs);
    const gridRight = grid ? grid.x + grid.width : Infinity;
    if (tw + 10 <= width) {
      children.push({
        type: 'text',
        x: x0 + 5,
        y,
        silent: true,
        style: {
          text: richText(text),
          fill: textOn(fill),
          font: `${labelFs}px ${theme.fontFamily}`,
          verticalAlign: 'middle',
        },
      });
    } else if (x0 + width + 4 + tw <= gridRight) {
      children.push({
        type: 'text',
        x: x0 + width + 4,
        y,
        silent: true,
        style: {
          text: richText(text),
          fill: theme.muted,
          font: `${labelFs}px ${theme.fontFamily}`,
          verticalAlign: 'middle',
        },
      });
    }
    return { type: 'group', children };
  };

  const endsRender: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const e = ends[params.dataIndex];
    const grid = gridRectOf(params.coordSys);
    if (!e || !grid) return null;
    const x = api.coord([e.ms, 0])[0] as number;
    if (x < grid.x - 1 || x > grid.x + grid.width + 1) return null;
    // The two labels sit on separate lines above the grid, so they never overlap.
    const ty = grid.y - 8 - params.dataIndex * (fs + 2);
    const leftHalf = x < grid.x + grid.width / 2;
    return {
      type: 'group',
      children: [
        {
          type: 'line',
          shape: { x1: x, y1: grid.y, x2: x, y2: grid.y + grid.height },
          style: { stroke: e.color, lineWidth: 1.5, lineDash: [5, 4] },
          silent: true,
        },
        {
          type: 'text',
          x: leftHalf ? x + 4 : x - 4,
          y: ty,
          silent: true,
          style: {
            text: e.label,
            fill: e.color === theme.muted ? theme.muted : theme.foreground,
            font: `${fs - 1}px ${theme.fontFamily}`,
            verticalAlign: 'middle',
            align: leftHalf ? 'left' : 'right',
          },
        },
      ],
    };
  };

  const top = 10 + ends.length * (fs + 2);
  const bottom = 30;
  const height = top + bottom + visibleRows * WHATIF_ROW_PX;
  const rowColor = (_v?: string | number, i?: number): string =>
    rows[i ?? -1]?.critical ? theme.purple : theme.foreground;
  // A bar's node, for the tooltip and clicks: only the bars series has an item per node.
  const rowAt = (hit: ChartHit): WhatIfRow | undefined =>
    hit.seriesIndex === SERIES_BARS && hit.dataIndex !== undefined
      ? rows[hit.dataIndex]
      : undefined;

  const option = {
    ...baseOption(theme),
    tooltip: itemTooltip(theme, (hit) => {
      const r = rowAt(hit);
      return r ? rowTooltip(r) : '';
    }),
    ...ganttAxes(theme, span, { ids, labels, left }, { top, bottom, scrolling }, rowColor),
    dataZoom: scrolling ? rowScroll(theme, [0, visibleRows - 1], top, bottom) : [],
    series: [
      {
        type: 'custom' as const,
        id: 'ends',
        silent: true,
        clip: false,
        renderItem: groupRoot(endsRender),
        encode: { x: 0 },
        data: ends.map((e) => [e.ms]),
        z: 1,
      },
      {
        type: 'custom' as const,
        id: 'predicted',
        clip: true,
        renderItem: groupRoot(barsRender),
        encode: { x: [1, 2], y: 0 },
        data: rows.map((r, i) => [i, r.predictedStart, r.predictedEnd]),
        z: 2,
      },
    ],
  };

  const notes: string[] = [];
  if (rows.length === 0) notes.push('No node ran in this run: there is nothing to replay.');
  if (scrolling) {
    notes.push(
      `${count(rows.length)} nodes: scroll the rows with the wheel or the bar on the right.`,
    );
  }
  return {
    id: WHATIF_CHART_ID,
    option,
    height,
    notes,
    legend: rows.length > 0 ? whatIfLegend(theme, rows, opts.recordedWallMs) : [],
    empty: rows.length === 0,
    nodeAt: nodeAtRows(ids),
  };
}

/** A bar's tooltip: where the simulator put the node, and where it really ran. */
function rowTooltip(r: WhatIfRow): string {
  const lines: [string, string][] = [
    ['predicted start', exactMs(r.predictedStart)],
    ['predicted end', exactMs(r.predictedEnd)],
    ['predicted duration', exactMs(r.predictedEnd - r.predictedStart)],
  ];
  if (r.recordedStart !== null && r.recordedEnd !== null) {
    lines.push(['recorded start', exactMs(r.recordedStart)]);
    lines.push(['recorded end', exactMs(r.recordedEnd)]);
  }
  if (r.factor !== null) lines.push(['speed-up', factorLabel(r.factor)]);
  if (r.critical) lines.push(['on the predicted critical path', 'yes']);
  return tooltipLines(`${r.nodeId} (predicted)`, lines);
}

/** The bar's label: the predicted duration, and the speed-up when one is set. */
function barText(r: WhatIfRow): string {
  const dur = formatMs(r.predictedEnd - r.predictedStart);
  return r.factor === null ? dur : `${dur} · ${factorLabel(r.factor)}`;
}
