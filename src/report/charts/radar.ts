/**
 * Performance comparison by node type (or by tag): one polygon per group, one axis per metric.
 * Each axis is normalised on its own (the group with the largest mean reaches the rim), so
 * milliseconds, per cent and bytes can share one picture; the tooltip gives the raw means.
 */
import { formatBytes, formatMs, formatNumber, formatPercent, NA } from '../../model/format';
import { baseOption, count, type ChartSize, type ChartSpec } from './chartSpec';
import { hasStarted, type DashboardModel, type NodeRow } from './dashboardModel';
import { groupColor } from './colors';
import { withAlpha, isHighContrast, type ChartTheme } from './theme';
import { scrollLegend } from './legend';
import { compareText, richText, tooltipLines } from './text';
import { itemTooltip } from './tooltips';

export type RadarGrouping = 'type' | 'tag';

export interface RadarOptions extends ChartSize {
  groupBy: RadarGrouping;
  maxGroups?: number;
}

interface Axis {
  name: string;
  value: (r: NodeRow) => number | null;
  format: (v: number) => string;
}

export const RADAR_AXES: readonly Axis[] = [
  { name: 'Duration', value: (r) => r.metrics.durationMs, format: formatMs },
  { name: 'Queued', value: (r) => r.metrics.waitMs, format: formatMs },
  { name: 'CPU time', value: (r) => r.metrics.cpuTimeMs, format: formatMs },
  { name: 'CPU %', value: (r) => r.metrics.cpuPercent, format: (v) => formatPercent(v) },
  { name: 'Peak memory', value: (r) => r.metrics.peakRssBytes, format: (v) => formatBytes(v) },
  {
    name: 'I/O bytes',
    value: (r) => sumOrNull(r.metrics.ioReadBytes, r.metrics.ioWriteBytes),
    format: (v) => formatBytes(v),
  },
  {
    name: 'I/O calls',
    value: (r) => sumOrNull(r.metrics.ioReadOps, r.metrics.ioWriteOps),
    format: meanCount,
  },
  { name: 'Context switches', value: (r) => r.metrics.contextSwitches, format: meanCount },
];

export const RADAR_MAX_GROUPS = 8;

/** A mean of counts: one decimal is enough (`1,899.3`). */
function meanCount(v: number): string {
  return formatNumber(Math.round(v * 10) / 10);
}

export interface RadarGroup {
  name: string;
  nodes: number;
  /** Mean per axis over the group's nodes that measured it; null where none did. */
  means: (number | null)[];
  /** Each mean over the largest mean of its axis (0..1); null where the mean is null. */
  normalised: (number | null)[];
  totalDurationMs: number;
}

/** The groups and axes drawn: axes no group measured are left out. */
export function radarGroups(
  model: DashboardModel,
  groupBy: RadarGrouping,
): { axes: Axis[]; groups: RadarGroup[]; omitted: number } {
  const rows = model.rows.filter(hasStarted);
  const byGroup = new Map<string, NodeRow[]>();
  for (const r of rows) {
    const keys = groupBy === 'type' ? [r.type] : r.tags.length > 0 ? r.tags : ['(no tag)'];
    for (const k of keys) {
      const list = byGroup.get(k);
      if (list) list.push(r);
      else byGroup.set(k, [r]);
    }
  }
  const all = [...byGroup.entries()].map(([name, nodes]) => ({
    name,
    nodes,
    means: RADAR_AXES.map((a) => mean(nodes.map(a.value))),
    totalDurationMs: nodes.reduce((s, n) => s + (n.metrics.durationMs ?? 0), 0),
  }));
  const axisIdx = RADAR_AXES.map((_, i) => i).filter((i) => all.some((g) => g.means[i] !== null));
  const axes = axisIdx.map((i) => RADAR_AXES[i] as Axis);
  all.sort((a, b) => b.totalDurationMs - a.totalDurationMs || compareText(a.name, b.name));
  const kept = all.slice(0, RADAR_MAX_GROUPS);
  const maxes = axisIdx.map((i) => Math.max(0, ...kept.map((g) => g.means[i] ?? 0)));
  const groups = kept.map((g) => {
    const means = axisIdx.map((i) => g.means[i] ?? null);
    return {
      name: g.name,
      nodes: g.nodes.length,
      means,
      normalised: means.map((m, j) =>
        m === null ? null : (maxes[j] ?? 0) > 0 ? m / (maxes[j] as number) : 0,
      ),
      totalDurationMs: g.totalDurationMs,
    };
  });
  return { axes, groups, omitted: all.length - kept.length };
}

export function radarChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: RadarOptions,
): ChartSpec {
  const { axes, groups, omitted } = radarGroups(model, opts.groupBy);
  // By name, never by rank: a type (or tag) keeps its colour from run to run.
  const colors = groups.map((g) => groupColor(theme, g.name));
  const hc = isHighContrast(theme);
  const shownAxes = axes.length >= 3 ? axes : RADAR_AXES.slice(0, 3);
  const height = Math.round(Math.min(420, Math.max(300, opts.width * 0.62)));
  const anyNa = groups.some((g) => g.normalised.some((v) => v === null));
  const option = {
    ...baseOption(theme),
    color: colors,
    legend: {
      ...scrollLegend(
        theme,
        groups.map((g) => richText(g.name)),
      ),
      itemWidth: 14,
      itemHeight: 10,
    },
    radar: {
      center: ['50%', '56%'],
      radius: '64%',
      splitNumber: 4,
      indicator: shownAxes.map((a) => ({ name: a.name, min: 0, max: 1 })),
      axisName: { color: theme.foreground, fontSize: theme.fontSize },
      axisLine: { lineStyle: { color: withAlpha(theme.lines, hc ? 1 : 0.5) } },
      splitLine: { lineStyle: { color: withAlpha(theme.lines, hc ? 0.8 : 0.35) } },
      splitArea: {
        show: true,
        areaStyle: { color: ['transparent', withAlpha(theme.foreground, hc ? 0.08 : 0.03)] },
      },
    },
    tooltip: itemTooltip(theme, (hit) => {
      const g = groups[hit.dataIndex ?? -1];
      if (!g) return '';
      return tooltipLines(`${opts.groupBy === 'type' ? 'type' : 'tag'}: ${g.name}`, [
        ['nodes', String(g.nodes)],
        ...axes.map((a, i): [string, string] => {
          const m = g.means[i] ?? null;
          const share = g.normalised[i];
          return [
            `mean ${a.name}`,
            m === null
              ? NA
              : `${a.format(m)}${share !== null && share !== undefined ? ` (${Math.round(share * 100)}% of the largest)` : ''}`,
          ];
        }),
      ]);
    }),
    series: [
      {
        type: 'radar' as const,
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { width: 2 },
        areaStyle: { opacity: 0.12 },
        emphasis: { lineStyle: { width: 3 }, areaStyle: { opacity: 0.25 } },
        data: groups.map((g, i) => ({
          name: richText(g.name),
          // n/a sits at the centre; the tooltip says n/a, never 0.
          value: shownAxes.map((_, j) => g.normalised[j] ?? 0),
          itemStyle: { color: colors[i] },
        })),
      },
    ],
  };
  const notes: string[] = [];
  if (groups.length === 0) notes.push('No node has run yet.');
  if (omitted > 0)
    notes.push(
      `The ${count(groups.length)} groups with the most time; ${count(omitted)} smaller ones left out.`,
    );
  notes.push('Each axis runs from 0 to the largest group mean on that axis.');
  if (anyNa) notes.push('A metric a group did not measure (n/a) sits at the centre.');
  return {
    id: 'radar',
    option,
    height,
    notes,
    legend: [],
    empty: groups.length === 0,
    nodeAt: () => null,
  };
}

function mean(values: (number | null)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    s += v;
    n++;
  }
  return n === 0 ? null : s / n;
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}
