/**
 * The trend of the last runs of a workflow: wall time per run, and the durations of the nodes
 * that take longest on average, oldest run on the left. Failed or cancelled runs are marked.
 */
import type { CompareSnapshot } from '../../protocol/compare';
import { NA } from '../../model/format';
import { runsAxis, valueAxis } from './axes';
import { baseOption, count, type ChartSize, type ChartSpec, FIXED_GRID } from './chartSpec';
import { wrapLegend } from './legend';
import { seriesPalette } from './colors';
import { withAlpha, type ChartTheme } from './theme';
import { compareText, richText } from './text';
import { axisMs, exactMs } from './units';
import { axisTooltip } from './tooltips';

export interface CompareTrendOptions extends ChartSize {
  maxNodes?: number;
}

export const TREND_MAX_NODES = 6;
export const WALL_SERIES = 'wall time';

/** Run labels for the axis: `#3 · 12-02 04:23`, short and ordered. */
export function runLabel(startedAt: string, i: number): string {
  const d = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(startedAt);
  return d ? `#${i + 1} · ${d[1]}-${d[2]} ${d[3]}:${d[4]}` : `#${i + 1}`;
}

/** The nodes with the largest mean duration over the runs. */
export function trendNodes(s: CompareSnapshot, n: number): string[] {
  const mean = (xs: (number | null)[]): number => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length === 0 ? -1 : v.reduce((a, b) => a + b, 0) / v.length;
  };
  return Object.entries(s.durationTrend)
    .map(([id, xs]) => ({ id, m: mean(xs) }))
    .filter((x) => x.m >= 0)
    .sort((a, b) => b.m - a.m || compareText(a.id, b.id))
    .slice(0, n)
    .map((x) => x.id);
}

export function compareTrendChart(
  s: CompareSnapshot,
  theme: ChartTheme,
  opts: CompareTrendOptions,
): ChartSpec {
  const nodes = trendNodes(s, opts.maxNodes ?? TREND_MAX_NODES);
  const colors = seriesPalette(theme);
  const labels = s.runs.map((r, i) => runLabel(r.startedAt, i));
  const bad = (status: string): boolean => status !== 'completed';
  const names = [WALL_SERIES, ...nodes.map((n) => richText(n))];
  const legend = wrapLegend(theme, names, opts.width, { width: 25, height: 14 });
  // The top tick's label reaches half a line above the plot.
  const top = legend.height + theme.fontSize;
  const option = {
    ...baseOption(theme),
    legend: legend.option,
    tooltip: axisTooltip(theme, (list) => {
      const i = list[0]?.dataIndex ?? -1;
      const run = s.runs[i];
      if (!run) return '';
      const lines = [richText(`run ${run.id}`), `${run.startedAt} · ${run.status} · ${run.side}`];
      for (const p of list) {
        const v = typeof p.value === 'number' ? p.value : null;
        lines.push(`${p.marker ?? ''}${p.seriesName ?? ''}: ${v === null ? NA : exactMs(v)}`);
      }
      return lines.join('\n');
    }),
    grid: { ...FIXED_GRID, left: 70, right: 24, top, bottom: 40 },
    xAxis: runsAxis(theme, labels, true),
    yAxis: { type: 'value' as const, min: 0, ...valueAxis(theme, axisMs) },
    series: [
      {
        type: 'line' as const,
        name: WALL_SERIES,
        data: s.runs.map((r) =>
          r.wallMs === null
            ? '-'
            : bad(r.status)
              ? {
                  value: r.wallMs,
                  symbol: 'diamond',
                  symbolSize: 11,
                  itemStyle: { color: theme.red },
                }
              : r.wallMs,
        ),
        symbolSize: 7,
        lineStyle: { width: 2.5, color: theme.foreground },
        itemStyle: { color: theme.foreground },
        areaStyle: { color: withAlpha(theme.foreground, 0.06) },
        z: 3,
      },
      ...nodes.map((id, i) => ({
        type: 'line' as const,
        name: richText(id),
        data: (s.durationTrend[id] ?? []).map((v) => v ?? '-'),
        symbolSize: 5,
        connectNulls: false,
        lineStyle: { width: 1.5, color: colors[i % colors.length] },
        itemStyle: { color: colors[i % colors.length] },
        z: 2,
      })),
    ],
  };
  const total = Object.keys(s.durationTrend).length;
  const notes: string[] = [
    `${count(s.runs.length)} runs: the baseline's, then the candidate's, each oldest first.`,
  ];
  if (total > nodes.length)
    notes.push(
      `Node lines for the ${count(nodes.length)} longest of ${count(total)} nodes on average.`,
    );
  if (s.runs.some((r) => bad(r.status)))
    notes.push('A red diamond marks a run that did not complete.');
  return {
    id: 'trend',
    option,
    height: 260 + top,
    notes,
    legend: [],
    empty: s.runs.length === 0,
    nodeAt: (hit) =>
      hit.componentType === 'series' && (hit.seriesIndex ?? 0) > 0
        ? (nodes[(hit.seriesIndex ?? 0) - 1] ?? null)
        : null,
  };
}
