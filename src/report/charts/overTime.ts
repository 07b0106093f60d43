/**
 * Resources over time, from the samples: CPU (% of one core) and resident memory of the busiest
 * nodes across the run, over the total of all nodes. Each line is reduced to min/max per pixel
 * bucket, so peaks survive however long the run; the total is a held step sum across nodes.
 */
import type { Sample } from '../../model/run';
import { taskEndMs } from '../analysis';
import { formatBytes, formatPercent, NA } from '../../model/format';
import { axisTitle, scaleAxis, valueAxis } from './axes';
import { baseOption, count, type ChartSize, type ChartSpec, FIXED_GRID } from './chartSpec';
import { timeSlider } from './dataZoom';
import type { DashboardModel } from './dashboardModel';
import { heldSums, minMaxBuckets, type HeldTrack, type Point } from './downsample';
import { seriesPalette } from './colors';
import { withAlpha, type ChartTheme } from './theme';
import { compareText, richText } from './text';
import { axisBytes, axisMs, axisPercent, exactMs, niceScale } from './units';
import { wrapLegend } from './legend';
import { axisTooltip } from './tooltips';

export interface OverTimeOptions extends ChartSize {
  maxNodes?: number;
  zoom?: [number, number] | null;
}

export const OVER_TIME_MAX_NODES = 8;
export const TOTAL_SERIES = 'all nodes';

interface NodeSeries {
  nodeId: string;
  cpu: Point[];
  rss: Point[];
  cpuArea: number;
  peakRss: number;
}

/** Samples grouped by node, then attempt, each list in time order. */
export function groupSamples(samples: readonly Sample[]): Map<string, Map<number, Sample[]>> {
  const byNode = new Map<string, Map<number, Sample[]>>();
  let sorted = true;
  for (const s of samples) {
    if (!Number.isFinite(s.t)) continue;
    let attempts = byNode.get(s.nodeId);
    if (!attempts) byNode.set(s.nodeId, (attempts = new Map<number, Sample[]>()));
    const list = attempts.get(s.attempt);
    if (!list) attempts.set(s.attempt, [s]);
    else {
      if ((list[list.length - 1] as Sample).t > s.t) sorted = false;
      list.push(s);
    }
  }
  // samples.ndjson is appended in time order; sort only when it was not.
  if (!sorted)
    for (const a of byNode.values()) for (const l of a.values()) l.sort((x, y) => x.t - y.t);
  return byNode;
}

/** One node's samples as CPU and RSS lines, attempts separated by a gap. */
export function seriesOf(nodeId: string, attempts: Map<number, Sample[]>): NodeSeries {
  const cpu: Point[] = [];
  const rss: Point[] = [];
  let cpuArea = 0;
  let peakRss = 0;
  const keys = [...attempts.keys()].sort((a, b) => a - b);
  keys.forEach((attempt, ai) => {
    const list = attempts.get(attempt) as Sample[];
    let prev: Sample | null = null;
    for (const s of list) {
      if (ai > 0 && prev === null) {
        cpu.push([s.t, null]);
        rss.push([s.t, null]);
      } else if (prev && prev.cpuPercent !== null && s.cpuPercent !== null) {
        cpuArea += s.cpuPercent * (s.t - prev.t);
      }
      cpu.push([s.t, s.cpuPercent]);
      rss.push([s.t, s.rssBytes]);
      if (s.rssBytes !== null && s.rssBytes > peakRss) peakRss = s.rssBytes;
      prev = s;
    }
  });
  return { nodeId, cpu, rss, cpuArea, peakRss };
}

/** Per node: CPU over time (∫ CPU% dt) and peak RSS, to pick the nodes worth a line. */
export function nodeWeights(
  groups: Map<string, Map<number, Sample[]>>,
): Map<string, { cpuArea: number; peakRss: number }> {
  const out = new Map<string, { cpuArea: number; peakRss: number }>();
  for (const [nodeId, attempts] of groups) {
    let cpuArea = 0;
    let peakRss = 0;
    for (const list of attempts.values()) {
      for (let i = 0; i < list.length; i++) {
        const s = list[i] as Sample;
        const prev = list[i - 1];
        if (prev && prev.cpuPercent !== null && s.cpuPercent !== null)
          cpuArea += s.cpuPercent * (s.t - prev.t);
        if (s.rssBytes !== null && s.rssBytes > peakRss) peakRss = s.rssBytes;
      }
    }
    out.set(nodeId, { cpuArea, peakRss });
  }
  return out;
}

/** The nodes drawn one by one: alternately the most CPU over time and the largest memory. */
export function busiestNodes(
  weights: Map<string, { cpuArea: number; peakRss: number }>,
  n: number,
): string[] {
  const all = [...weights.entries()].map(([nodeId, w]) => ({ nodeId, ...w }));
  const byCpu = [...all].sort((a, b) => b.cpuArea - a.cpuArea || compareText(a.nodeId, b.nodeId));
  const byRss = [...all].sort((a, b) => b.peakRss - a.peakRss || compareText(a.nodeId, b.nodeId));
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < Math.min(n, all.length) && i < all.length; i++) {
    for (const s of [byCpu[i], byRss[i]]) {
      if (s && !seen.has(s.nodeId) && out.length < n) {
        seen.add(s.nodeId);
        out.push(s.nodeId);
      }
    }
  }
  return out;
}

export function overTimeChart(
  model: DashboardModel,
  theme: ChartTheme,
  opts: OverTimeOptions,
): ChartSpec {
  const groups = groupSamples(model.samples);
  const weights = nodeWeights(groups);
  const shown = busiestNodes(weights, opts.maxNodes ?? OVER_TIME_MAX_NODES);
  const series = new Map(
    shown.map((id) => [id, seriesOf(id, groups.get(id) ?? new Map<number, Sample[]>())]),
  );
  // About one bucket per 3 px: each keeps its min and max, so peaks survive.
  const buckets = Math.max(50, Math.min(600, Math.floor(opts.width / 3)));
  const span = Math.max(1, model.spanMs);
  const colors = seriesPalette(theme);
  const interval = model.run.collector.intervalMs;

  // Totals over every node, not only the ones drawn: each attempt's value held from one sample
  // to the next, until the attempt ended.
  const ends = new Map<string, Map<number, number>>();
  for (const t of model.run.tasks) {
    const e = taskEndMs(t);
    if (e === null) continue;
    let m = ends.get(t.nodeId);
    if (!m) ends.set(t.nodeId, (m = new Map<number, number>()));
    m.set(t.attempt, e);
  }
  const tracks: HeldTrack[] = [];
  for (const [nodeId, attempts] of groups) {
    for (const [attempt, list] of attempts) {
      tracks.push({
        times: list.map((s) => s.t),
        values: [list.map((s) => s.cpuPercent), list.map((s) => s.rssBytes)],
        end: ends.get(nodeId)?.get(attempt) ?? null,
      });
    }
  }
  const [cpuSum = [], rssSum = []] = heldSums(tracks, 2, interval);
  const totalCpu = minMaxBuckets(cpuSum, buckets, 0, span);
  const totalRss = minMaxBuckets(rssSum, buckets, 0, span);

  const gridH = 150;
  const lineNames = [TOTAL_SERIES, ...shown];
  const legend = wrapLegend(
    theme,
    lineNames.map((n) => (n === TOTAL_SERIES ? n : richText(n))),
    opts.width,
  );
  // The CPU axis's title sits between the legend and the plot, on a line of its own.
  const titleGap = 8;
  const top = legend.height + titleGap + theme.fontSize + 8;
  const gap = 34;
  const bottom = 52;
  const zoom = opts.zoom ?? [0, 100];
  const seriesDefs = [];
  for (const [gridIndex, field] of [
    [0, 'cpu'],
    [1, 'rss'],
  ] as const) {
    seriesDefs.push({
      type: 'line' as const,
      name: TOTAL_SERIES,
      xAxisIndex: gridIndex,
      yAxisIndex: gridIndex,
      data: field === 'cpu' ? totalCpu : totalRss,
      step: 'end' as const,
      showSymbol: false,
      symbol: 'none',
      lineStyle: { width: 1, color: withAlpha(theme.muted, 0.8) },
      itemStyle: { color: theme.muted },
      areaStyle: { color: withAlpha(theme.muted, 0.1) },
      z: 1,
    });
    shown.forEach((id, i) => {
      const s = series.get(id) as NodeSeries;
      const color = colors[i % colors.length] as string;
      seriesDefs.push({
        type: 'line' as const,
        name: richText(id),
        xAxisIndex: gridIndex,
        yAxisIndex: gridIndex,
        data: minMaxBuckets(field === 'cpu' ? s.cpu : s.rss, buckets, 0, span),
        showSymbol: false,
        symbol: 'none',
        connectNulls: false,
        lineStyle: {
          width: 1.5,
          color,
          type: i >= colors.length ? ('dashed' as const) : ('solid' as const),
        },
        itemStyle: { color },
        areaStyle: undefined,
        z: 2,
      });
    });
  }

  const peakOf = (lists: Point[][]): number => {
    let m = 0;
    for (const l of lists) for (const p of l) if (p[1] !== null) m = Math.max(m, p[1]);
    return m;
  };
  const drawn = seriesDefs.map((d) => d.data);
  const cpuScale = niceScale(0, peakOf(drawn.filter((_, i) => i < lineNames.length)), 4);
  const rssScale = niceScale(0, peakOf(drawn.filter((_, i) => i >= lineNames.length)), 4, 'bytes');
  const fmtCpu = (v: number | null): string => (v === null ? NA : formatPercent(v));
  const fmtRss = (v: number | null): string => (v === null ? NA : formatBytes(v));
  const option = {
    ...baseOption(theme),
    legend: legend.option,
    axisPointer: {
      link: [{ xAxisIndex: 'all' as const }],
      label: { backgroundColor: theme.tooltipBackground },
    },
    tooltip: axisTooltip(theme, (list) => {
      if (list.length === 0) return '';
      const t = Number(list[0]?.axisValue ?? 0);
      const lines = [`at ${exactMs(t)}`];
      for (const p of list) {
        const v = Array.isArray(p.value) ? (p.value[1] as number | null) : null;
        const isCpu = (p.seriesIndex ?? 0) < lineNames.length;
        lines.push(
          `${p.marker ?? ''}${p.seriesName ?? ''} ${isCpu ? 'CPU' : 'memory'}: ${isCpu ? fmtCpu(v) : fmtRss(v)}`,
        );
      }
      return lines.join('\n');
    }),
    grid: [
      { ...FIXED_GRID, left: 64, right: 16, top, height: gridH },
      { ...FIXED_GRID, left: 64, right: 16, top: top + gridH + gap, height: gridH },
    ],
    xAxis: [0, 1].map((i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: 0,
      max: span,
      ...scaleAxis(theme, { showLabels: i === 1, formatter: (v: number) => axisMs(v) }),
    })),
    yAxis: [0, 1].map((i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: 0,
      max: (i === 0 ? cpuScale : rssScale).max,
      interval: (i === 0 ? cpuScale : rssScale).interval,
      ...axisTitle(theme, i === 0 ? 'CPU (% of one core)' : 'Resident memory', titleGap),
      ...valueAxis(theme, i === 0 ? axisPercent : axisBytes),
    })),
    dataZoom: [
      {
        type: 'inside' as const,
        xAxisIndex: [0, 1],
        filterMode: 'none' as const,
        start: zoom[0],
        end: zoom[1],
      },
      timeSlider(theme, [0, 1], 'none', zoom),
    ],
    series: seriesDefs,
  };

  const notes: string[] = [];
  if (model.samples.length === 0) {
    notes.push(
      'This run kept no samples (it was not profiled, or ran with --no-samples): totals per node are in the other charts.',
    );
  } else {
    if (weights.size > shown.length) {
      notes.push(
        `Lines for the ${count(shown.length)} busiest of ${count(weights.size)} sampled nodes; “all nodes” sums every node, held from one sample to the next.`,
      );
    }
    notes.push(
      `Sampled every ${interval} ms; lines keep each pixel’s minimum and maximum, so short peaks stay visible.`,
    );
  }
  return {
    id: 'overTime',
    option,
    height: top + 2 * gridH + gap + bottom,
    notes,
    legend: [],
    empty: model.samples.length === 0,
    nodeAt: (hit) => {
      if (hit.componentType !== 'series' || hit.seriesIndex === undefined) return null;
      const k = hit.seriesIndex % lineNames.length;
      return k === 0 ? null : (shown[k - 1] ?? null);
    },
  };
}
