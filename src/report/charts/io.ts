/**
 * I/O per node, read against write: bytes at the storage layer and system calls, each a mirrored
 * bar (reads leftwards, writes rightwards) on its own scale. Nodes are ranked by bytes moved,
 * then by calls; large runs show the busiest.
 */
import { formatBytes, formatCount } from '../../model/format';
import { ioBytes, ioOps } from '../rules';
import { count, type ChartSize, type ChartSpec } from './chartSpec';
import { hasStarted, type DashboardModel, type NodeMetric, type NodeRow } from './dashboardModel';
import { hbarHeight, hbarLabelWidth, hbarNodeAt, hbarOption, type HBarPanel } from './hbarPanels';
import type { ChartTheme } from './theme';
import { metricColor } from './colors';
import { axisBytes, axisCount, compactBytes } from './units';

export interface IoOptions extends ChartSize {
  maxRows?: number;
}

export const IO_MAX_ROWS = 20;
const ROW_PX = 22;

/** The two mirrored panels: what each reads and writes, and how its values print. */
const IO_PANELS: readonly {
  title: string;
  shortTitle: string;
  read: NodeMetric;
  write: NodeMetric;
  format: (v: number) => string;
  short?: (v: number) => string;
  axis: (v: number) => string;
  scale?: 'bytes';
}[] = [
  {
    title: 'Bytes: ◀ read · written ▶',
    shortTitle: 'Bytes',
    read: 'ioReadBytes',
    write: 'ioWriteBytes',
    format: (v) => formatBytes(v),
    short: (v) => compactBytes(v),
    axis: axisBytes,
    scale: 'bytes',
  },
  {
    title: 'System calls: ◀ read · write ▶',
    shortTitle: 'System calls',
    read: 'ioReadOps',
    write: 'ioWriteOps',
    format: (v) => formatCount(v),
    short: axisCount,
    axis: axisCount,
  },
];

export function ioChart(model: DashboardModel, theme: ChartTheme, opts: IoOptions): ChartSpec {
  const measured = model.rows.filter(
    (r) =>
      r.final !== null &&
      hasStarted(r) &&
      !r.isContainer &&
      (ioBytes(r.final) !== null || ioOps(r.final) !== null),
  );
  const key = (r: NodeRow): [number, number] => [
    r.final ? (ioBytes(r.final) ?? -1) : -1,
    r.final ? (ioOps(r.final) ?? -1) : -1,
  ];
  const ranked = measured
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => b.k[0] - a.k[0] || b.k[1] - a.k[1] || a.i - b.i)
    .map((x) => x.r);
  const rows = ranked.slice(0, opts.maxRows ?? IO_MAX_ROWS);
  const panels = IO_PANELS.map((p): HBarPanel => ({
    title: p.title,
    shortTitle: p.shortTitle,
    values: rows.map((r): [number | null, number | null] => [
      r.metrics[p.read],
      r.metrics[p.write],
    ]),
    format: p.format,
    ...(p.short === undefined ? {} : { short: p.short }),
    axis: p.axis,
    color: [metricColor(theme, 'ioRead'), metricColor(theme, 'ioWrite')],
    ...(p.scale === undefined ? {} : { scale: p.scale }),
  }));
  const option = hbarOption(rows, panels, theme, {
    width: opts.width,
    labelWidth: hbarLabelWidth(rows, theme, opts.width),
    rowPx: ROW_PX,
  });
  const notes: string[] = [];
  if (measured.length === 0)
    notes.push('No node measured any I/O (logic and HTTP nodes have none to measure).');
  if (ranked.length > rows.length) {
    notes.push(
      `The ${count(rows.length)} busiest of ${count(ranked.length)} nodes with I/O; every node is in the table below.`,
    );
  }
  notes.push(
    'Bytes are what reached the storage layer; reads served from the page cache count as calls, not bytes.',
  );
  return {
    id: 'io',
    option,
    height: hbarHeight(rows.length, ROW_PX),
    notes,
    legend: [
      { label: 'read', color: metricColor(theme, 'ioRead'), shape: 'bar' },
      { label: 'written', color: metricColor(theme, 'ioWrite'), shape: 'bar' },
    ],
    empty: measured.length === 0,
    nodeAt: hbarNodeAt(rows),
  };
}
