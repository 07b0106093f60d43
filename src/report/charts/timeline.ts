/**
 * Execution timeline: a Gantt chart with one row per node. Each attempt is a bar (coloured by
 * status, retried attempts in their own colour), the time it queued for a slot a thin segment
 * before it, the critical path outlined and linked, and each bar labelled with its duration (and
 * its CPU where the bar has room; a gauge along its bottom shows the CPU too). Time is
 * on a linear millisecond axis with zoom and pan; tooltips give exact milliseconds.
 */
import type { CustomSeriesRenderItem, CustomSeriesRenderItemReturn } from 'echarts' with {
  'resolution-mode': 'import',
};
import type { TaskRun } from '../../model/run';
import { formatMs, formatPercent } from '../../model/format';
import { taskEndMs } from '../analysis';
import {
  baseOption,
  count,
  gridRectOf,
  labelWidth,
  textWidth,
  type ChartHit,
  type ChartSize,
  type ChartSpec,
  type LegendEntry,
  groupRoot,
} from './chartSpec';
import { ganttAxes } from './axes';
import { rowScroll, timeSlider } from './dataZoom';
import { rowHost, type DashboardModel, type NodeRow } from './dashboardModel';
import { rowNodeAt } from './rowHits';
import { itemTooltip } from './tooltips';
import { statusColor } from './colors';
import { isHighContrast, textOn, withAlpha, type ChartTheme } from './theme';
import { middleEllipsis, nodeLabel, richText, tooltipLines } from './text';
import { errorHeadline } from '../../model/taskError';
import { plainLine, taskError } from '../../model/failures';
import { nodeTooltip, nodeTitle } from './tooltipText';
import { compactMs, exactMs } from './units';

export interface TimelineOptions extends ChartSize {
  /** Zoom window of the time axis, percent of the run. */
  zoom?: [number, number] | null;
  /** Row to highlight and scroll to. */
  focusNodeId?: string | null;
  /** Rows visible at once before the rows scroll. */
  maxRows?: number;
  /** First and last row shown when the rows scroll (kept across live redraws). */
  rowWindow?: [number, number] | null;
}

export const TIMELINE_ROW_PX = 26;
export const TIMELINE_MAX_ROWS = 24;

type ItemKind = 'wait' | 'run' | 'mark';

export interface TimelineItem {
  kind: ItemKind;
  row: number;
  start: number;
  end: number;
  task: TaskRun | null;
  /** Start of the next item in the same row (where an outside label must stop)... */
  nextStart: number;
  /** ...and end of the previous one (for a label left of the bar). */
  prevEnd: number;
}

/** Series order: the focus band (0) under everything, critical-path links (1), the bars (2). */
const SERIES_BARS = 2;

export function timelineItems(model: DashboardModel): TimelineItem[] {
  const items: TimelineItem[] = [];
  model.rows.forEach((row, r) => {
    const own: TimelineItem[] = [];
    for (const t of row.attempts) {
      if (t.startMs === null) continue;
      if (t.readyAtMs !== null && t.startMs - t.readyAtMs > 0) {
        own.push({
          kind: 'wait',
          row: r,
          start: t.readyAtMs,
          end: t.startMs,
          task: t,
          nextStart: Infinity,
          prevEnd: -Infinity,
        });
      }
      const end = taskEndMs(t) ?? (t.status === 'running' ? model.nowMs : t.startMs);
      own.push({
        kind: 'run',
        row: r,
        start: t.startMs,
        end: Math.max(end, t.startMs),
        task: t,
        nextStart: Infinity,
        prevEnd: -Infinity,
      });
    }
    if (own.length === 0) {
      const at = row.final?.readyAtMs ?? 0;
      own.push({
        kind: 'mark',
        row: r,
        start: at,
        end: at,
        task: row.final,
        nextStart: Infinity,
        prevEnd: -Infinity,
      });
    }
    own.sort((a, b) => a.start - b.start);
    for (let i = 0; i < own.length - 1; i++) {
      const prev = own[i] as TimelineItem;
      const next = own[i + 1] as TimelineItem;
      prev.nextStart = next.start;
      // A label may cover its own attempt's queue line (thin, and right before its bar): a short
      // last bar otherwise has room on neither side.
      next.prevEnd = prev.kind === 'wait' && prev.task === next.task ? prev.prevEnd : prev.end;
    }
    items.push(...own);
  });
  return items;
}

/** Links between consecutive critical-path nodes: [fromRow, fromEnd, toStart, toRow]. */
function criticalLinks(model: DashboardModel): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  const walk = (ids: string[]): void => {
    for (let i = 0; i + 1 < ids.length; i++) {
      const a = model.rows[model.rowIndex.get(ids[i] as string) ?? -1];
      const b = model.rows[model.rowIndex.get(ids[i + 1] as string) ?? -1];
      const end = a?.final ? taskEndMs(a.final) : null;
      const start = b?.attempts[0]?.startMs ?? null;
      if (!a || !b || end === null || start === null) continue;
      out.push([model.rowIndex.get(a.nodeId) ?? 0, end, start, model.rowIndex.get(b.nodeId) ?? 0]);
    }
  };
  const visit = (cp: DashboardModel['analysis']['criticalPath']): void => {
    walk(cp.nodeIds);
    for (const n of cp.nested) visit(n.path);
  };
  visit(model.analysis.criticalPath);
  return out;
}

export function timelineLegend(theme: ChartTheme, model: DashboardModel): LegendEntry[] {
  const present = new Set<string>();
  for (const r of model.rows) for (const t of r.attempts) present.add(t.status);
  for (const r of model.rows) present.add(r.status);
  const entries: LegendEntry[] = [];
  for (const s of [
    'completed',
    'failed',
    'retried',
    'cancelled',
    'running',
    'skipped',
    'pending',
  ] as const) {
    if (present.has(s)) entries.push({ label: s, color: statusColor(theme, s), shape: 'bar' });
  }
  entries.push({ label: 'queued for a slot', color: withAlpha(theme.muted, 0.7), shape: 'thin' });
  if (model.rows.some((r) => r.onCriticalPath)) {
    // Live, the chain is the longest so far and may change until the run ends.
    const label = model.live ? 'critical path so far' : 'critical path';
    entries.push({ label, color: theme.purple, shape: 'outline' });
  }
  return entries;
}

export function timelineChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: TimelineOptions,
): ChartSpec {
  const rows = model.rows;
  const items = timelineItems(model);
  const links = criticalLinks(model);
  const maxRows = Math.max(1, opts.maxRows ?? TIMELINE_MAX_ROWS);
  const scrolling = rows.length > maxRows;
  const visibleRows = Math.max(1, Math.min(rows.length, maxRows));
  const fs = theme.fontSize;
  const hc = isHighContrast(theme);
  const ids = rows.map((r) => r.nodeId);
  // Runtime slurm: `host › node`, the rows already grouped by host (dashboardModel).
  const labels = rows.map((r) => {
    const host = rowHost(r);
    return host === null
      ? nodeLabel(r.nodeId, r.depth)
      : `${nodeLabel(host, 0, 14)} › ${nodeLabel(r.nodeId, r.depth)}`;
  });
  const left = labelWidth(labels, fs);
  const span = Math.max(1, model.spanMs);
  const focusRow = opts.focusNodeId ? (model.rowIndex.get(opts.focusNodeId) ?? -1) : -1;

  let rowWindow: [number, number] = [0, visibleRows - 1];
  if (scrolling && opts.rowWindow) {
    const size = Math.max(1, opts.rowWindow[1] - opts.rowWindow[0] + 1);
    const first = Math.max(0, Math.min(rows.length - size, opts.rowWindow[0]));
    rowWindow = [first, first + size - 1];
  }
  if (scrolling && focusRow >= 0 && (focusRow < rowWindow[0] || focusRow > rowWindow[1])) {
    const first = Math.max(
      0,
      Math.min(rows.length - visibleRows, focusRow - Math.floor(visibleRows / 2)),
    );
    rowWindow = [first, first + visibleRows - 1];
  }

  const barsRender: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const it = items[params.dataIndex];
    if (!it) return null;
    const row = rows[it.row] as NodeRow;
    const grid = gridRectOf(params.coordSys);
    const p0 = api.coord([it.start, it.row]);
    const p1 = api.coord([it.end, it.row]);
    const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? TIMELINE_ROW_PX;
    const h = Math.max(4, Math.min(18, band * 0.66));
    const x0 = p0[0] as number;
    const y = p0[1] as number;
    const gridRight = grid ? grid.x + grid.width : Infinity;
    const labelFs = fs - 1;

    if (it.kind === 'mark') {
      const why = row.final?.reason ? ` · ${row.final.reason}` : '';
      const text = richText(`${row.status}${why}`);
      return {
        type: 'text',
        x: Math.max(x0, grid?.x ?? x0) + 4,
        y,
        style: {
          text,
          fill: theme.muted,
          font: `italic ${labelFs}px ${theme.fontFamily}`,
          verticalAlign: 'middle',
          align: 'left',
        },
      };
    }
    if (it.kind === 'wait') {
      const th = Math.max(2, Math.round(h * 0.28));
      return {
        type: 'rect',
        shape: { x: x0, y: y - th / 2, width: Math.max(1, (p1[0] as number) - x0), height: th },
        style: { fill: withAlpha(theme.muted, 0.7) },
      };
    }
    const t = it.task as TaskRun;
    const width = Math.max(2, (p1[0] as number) - x0);
    const fill = statusColor(theme, t.status);
    const critical = row.onCriticalPath && t.attempt === row.final?.attempt;
    const children: NonNullable<CustomSeriesRenderItemReturn>[] = [
      {
        type: 'rect',
        shape: { x: x0, y: y - h / 2, width, height: h, r: 2 },
        style: {
          fill,
          stroke: critical ? theme.purple : hc ? theme.border : 'transparent',
          lineWidth: critical ? 2 : hc ? 1 : 0,
        },
      },
    ];
    // CPU as a gauge along the bar's bottom edge: full width is one whole core.
    if (t.cpuPercent !== null && width >= 6) {
      const frac = Math.min(1, Math.max(0, t.cpuPercent / 100));
      children.push({
        type: 'rect',
        shape: { x: x0 + 1, y: y + h / 2 - 3, width: Math.max(0, (width - 2) * frac), height: 2 },
        style: { fill: withAlpha(textOn(fill), 0.55) },
        silent: true,
      });
    }
    const label = barLabel(t, width, labelFs, model.nowMs);
    if (label.inside) {
      children.push({
        type: 'text',
        x: x0 + 5,
        y: y - 1,
        silent: true,
        style: {
          text: label.inside,
          fill: textOn(fill),
          font: `${labelFs}px ${theme.fontFamily}`,
          verticalAlign: 'middle',
        },
      });
    }
    if (label.outside.length > 0) {
      // Beside the bar: to its right if that is free up to the next item, else to its left; the
      // longest wording that fits either side.
      const gridLeft = grid ? grid.x : -Infinity;
      const right =
        Math.min(gridRight, api.coord([it.nextStart, it.row])[0] ?? Infinity) - (x0 + width) - 8;
      const left =
        x0 -
        Math.max(
          gridLeft,
          Number.isFinite(it.prevEnd)
            ? (api.coord([it.prevEnd, it.row])[0] ?? -Infinity)
            : gridLeft,
        ) -
        8;
      const text = label.outside.find((c) => {
        const tw = textWidth(c, labelFs);
        return right >= tw || left >= tw;
      });
      if (text !== undefined) {
        const onRight = right >= textWidth(text, labelFs);
        children.push({
          type: 'text',
          x: onRight ? x0 + width + 4 : x0 - 4,
          y: y - 1,
          silent: true,
          style: {
            text,
            fill: theme.muted,
            font: `${labelFs}px ${theme.fontFamily}`,
            verticalAlign: 'middle',
            align: onRight ? 'left' : 'right',
          },
        });
      }
    }
    return { type: 'group', children };
  };

  const linksRender: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const l = links[params.dataIndex];
    if (!l) return null;
    const a = api.coord([l[1], l[0]]);
    const b = api.coord([l[2], l[3]]);
    const ax = a[0] as number;
    return {
      type: 'polyline',
      shape: {
        points: [
          [ax, a[1] as number],
          [ax, b[1] as number],
          [b[0] as number, b[1] as number],
        ],
      },
      style: { stroke: theme.purple, lineWidth: 1.5, lineDash: [4, 3], fill: 'none' },
      silent: true,
    };
  };

  const focusRender: CustomSeriesRenderItem = (params, api): CustomSeriesRenderItemReturn => {
    const grid = gridRectOf(params.coordSys);
    const p = api.coord([0, focusRow]);
    const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? TIMELINE_ROW_PX;
    if (!grid) return null;
    return {
      type: 'rect',
      shape: { x: grid.x, y: (p[1] as number) - band / 2, width: grid.width, height: band },
      style: { fill: withAlpha(theme.focus, 0.2), stroke: theme.focus, lineWidth: 1 },
      silent: true,
    };
  };

  const top = 8;
  const bottom = 58;
  const height = top + bottom + visibleRows * TIMELINE_ROW_PX;
  const zoom = opts.zoom ?? [0, 100];
  // Critical-path rows in purple; rows that never ran muted.
  const rowColor = (_v?: string | number, i?: number): string => {
    const r = rows[i ?? -1];
    if (!r) return theme.foreground;
    if (r.onCriticalPath) return theme.purple;
    return r.status === 'pending' || r.status === 'skipped' ? theme.muted : theme.foreground;
  };
  // An item's node, for the tooltip and clicks: only the bars series has items per node.
  const itemAt = (hit: ChartHit): TimelineItem | null =>
    hit.seriesIndex !== SERIES_BARS || hit.dataIndex === undefined
      ? null
      : (items[hit.dataIndex] ?? null);

  const option = {
    ...baseOption(theme),
    tooltip: itemTooltip(theme, (hit) => {
      const it = itemAt(hit);
      if (!it) return '';
      const row = rows[it.row] as NodeRow;
      if (it.kind === 'wait' && it.task) {
        return tooltipLines(nodeTitle(row), [
          ['queued for a slot', exactMs(it.end - it.start)],
          ['ready at', exactMs(it.start)],
          ['started at', exactMs(it.end)],
          ['attempt', `${it.task.attempt}`],
        ]);
      }
      return nodeTooltip(row, it.task, model.nowMs);
    }),
    ...ganttAxes(theme, span, { ids, labels, left }, { top, bottom, scrolling }, rowColor),
    dataZoom: [
      {
        type: 'inside' as const,
        xAxisIndex: 0,
        filterMode: 'weakFilter' as const,
        start: zoom[0],
        end: zoom[1],
        zoomOnMouseWheel: scrolling ? ('ctrl' as const) : true,
        moveOnMouseWheel: false,
        moveOnMouseMove: true,
      },
      timeSlider(theme, 0, 'weakFilter', zoom, true),
      ...(scrolling ? rowScroll(theme, rowWindow, top, bottom) : []),
    ],
    series: [
      {
        type: 'custom' as const,
        id: 'focus',
        silent: true,
        clip: true,
        renderItem: groupRoot(focusRender),
        encode: { x: 1, y: 0 },
        data: focusRow >= 0 ? [[focusRow, 0]] : [],
        z: 1,
      },
      {
        type: 'custom' as const,
        id: 'links',
        silent: true,
        clip: true,
        renderItem: groupRoot(linksRender),
        encode: { x: [1, 2], y: [0, 3] },
        data: links,
        z: 2,
      },
      {
        type: 'custom' as const,
        id: 'bars',
        clip: true,
        renderItem: groupRoot(barsRender),
        encode: { x: [1, 2], y: 0 },
        data: items.map((it) => [it.row, it.start, it.end]),
        z: 3,
      },
    ],
  };

  const notes: string[] = [];
  if (rows.length === 0) notes.push('No node has started yet.');
  if (scrolling) {
    notes.push(
      `${count(rows.length)} nodes: scroll the rows with the wheel or the bar on the right; Ctrl + wheel zooms time, drag pans.`,
    );
  } else if (rows.length > 0) {
    notes.push('Wheel zooms time, drag pans; the slider below sets the window.');
  }
  return {
    id: 'timeline',
    option,
    height,
    notes,
    legend: timelineLegend(theme, model),
    empty: rows.length === 0,
    nodeAt: (hit) =>
      rowNodeAt(hit, (h) => {
        const it = itemAt(h);
        return it ? (rows[it.row]?.nodeId ?? null) : null;
      }),
  };
}

/**
 * A bar's label: its duration, then its CPU when there is room. The duration is the figure a
 * narrow bar keeps (the CPU also shows as the gauge along the bar's bottom); inside the bar
 * when it fits, else beside it, the longest wording first (`outside`, in order of preference).
 */
export function barLabel(
  t: TaskRun,
  widthPx: number,
  fs: number,
  nowMs: number,
): { inside: string | null; outside: string[] } {
  const running = t.status === 'running';
  const dur = running && t.startMs !== null ? formatMs(nowMs - t.startMs) : formatMs(t.durationMs);
  const cpu =
    t.cpuPercent !== null
      ? `${formatPercent(t.cpuPercent, t.cpuPercent >= 100 ? 0 : 1)} CPU`
      : null;
  const retry = t.status === 'retried' ? `#${t.attempt} ` : '';
  const ms = running && t.startMs !== null ? nowMs - t.startMs : t.durationMs;
  const short = ms === null ? null : compactMs(ms);
  // A failed attempt says why before anything else: a short one is otherwise an unlabelled sliver.
  const failure = taskError(t);
  const error = failure
    ? richText(`✗ ${middleEllipsis(plainLine(errorHeadline(failure)), 60)}`)
    : null;
  const figures = [
    cpu ? `${retry}${dur} · ${cpu}` : null,
    `${retry}${dur}`,
    short !== null && short !== dur ? `${retry}${short}` : null,
    retry ? dur : null,
    retry && short !== null && short !== dur ? short : null,
  ].filter((c): c is string => c !== null);
  const fits = (c: string): boolean => textWidth(c, fs) + 10 <= widthPx;
  if (error) {
    // The reason is never traded for a figure: beside the bar when it does not fit inside.
    if (fits(error)) return { inside: error, outside: [] };
    return { inside: figures.find(fits) ?? null, outside: [error] };
  }
  const inside = figures.find(fits) ?? null;
  return { inside, outside: inside === null ? figures : [] };
}
