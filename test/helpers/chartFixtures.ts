/**
 * Helpers for the chart-builder tests: snapshots from hand-made runs, the hostile names every
 * chart must print as text, and a fake ECharts `renderItem` API that collects what a custom
 * series would draw (rectangles and texts), so drawing is tested without a browser.
 */
import type { DashboardSnapshot } from '../../src/protocol/dashboard';
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import { buildDashboardModel, type DashboardModel } from '../../src/report/charts/dashboardModel';
import { planOf } from '../../src/report/panelSnapshots';
import type { RunRecord, Sample } from '../../src/model/run';
import { etlRun } from './makeRun';

export const XSS = '<img src=x onerror=alert(1)>';
/** ECharts rich-text markup and a script end tag: must print as typed. */
export const RICH = '{b|bold}|x}';
export const SCRIPT_END = '</script><script>alert(2)</script>';
export const HOSTILE_NAMES = [XSS, RICH, SCRIPT_END] as const;

export function snapshotOf(
  run: RunRecord,
  samples: Sample[] = [],
  extra: Partial<DashboardSnapshot> = {},
): DashboardSnapshot {
  return { run, samples, plan: planOf(run), live: false, customHistory: [], sentAt: 0, ...extra };
}

export function modelOf(
  run: RunRecord,
  samples: Sample[] = [],
  extra: Partial<DashboardSnapshot> = {},
  clockNow = Date.parse(run.startedAt) + 1000,
): DashboardModel {
  return buildDashboardModel(snapshotOf(run, samples, extra), clockNow);
}

/** The ETL run with three nodes renamed to hostile names (samples follow). */
export function hostileEtl(): { run: RunRecord; samples: Sample[] } {
  const { run, samples } = etlRun();
  const renames = new Map<string, string>([
    ['extract', XSS],
    ['lint', RICH],
    ['report', SCRIPT_END],
  ]);
  const rename = (id: string): string => renames.get(id) ?? id;
  for (const t of run.tasks) {
    t.nodeId = rename(t.nodeId);
    t.needs = t.needs.map(rename);
  }
  for (const s of samples) s.nodeId = rename(s.nodeId);
  return { run, samples };
}

/** The ECharts rich-text token pattern (zrender's STYLE_REG): must never match escaped text. */
export const RICH_TOKEN = /\{([a-zA-Z0-9_]+)\|([^}]*)\}/;

export interface Drawn {
  type: string;
  text?: string;
  fill?: string;
  shape?: Record<string, number>;
}

/** Every element a custom series draws, flattened; coordinates from a linear fake axis. */
export function drawSeries(spec: ChartSpec, seriesIndex: number): Drawn[] {
  const option = spec.option as { series?: unknown };
  const series = (Array.isArray(option.series) ? option.series : [option.series])[seriesIndex] as {
    renderItem?: (p: unknown, api: unknown) => unknown;
    data?: unknown[];
  };
  if (!series?.renderItem) throw new Error(`series ${seriesIndex} is not a custom series`);
  const api = {
    coord: (v: number[]) => [100 + (Number(v[0]) || 0) * 0.1, 20 + (Number(v[1]) || 0) * 20],
    // One category step is 60 px wide and 20 px high; value steps are 0.1 px per unit.
    size: (v: number[]) => [Math.max(60, (Number(v[0]) || 0) * 0.1), (Number(v[1]) || 0) * 20],
    value: () => 0,
  };
  const out: Drawn[] = [];
  const walk = (el: unknown): void => {
    if (!el || typeof el !== 'object') return;
    const e = el as {
      type: string;
      children?: unknown[];
      style?: { text?: string; fill?: string };
      shape?: Record<string, number>;
    };
    if (e.type === 'group') {
      for (const c of e.children ?? []) walk(c);
      return;
    }
    out.push({ type: e.type, text: e.style?.text, fill: e.style?.fill, shape: e.shape });
  };
  (series.data ?? []).forEach((_, dataIndex) =>
    walk(
      series.renderItem?.(
        { dataIndex, coordSys: { x: 100, y: 0, width: 1000, height: 2000 } },
        api,
      ),
    ),
  );
  return out;
}

/** Calls a chart's tooltip formatter as ECharts would for one item. */
export function tooltipOf(
  spec: ChartSpec,
  params: Record<string, unknown> | Record<string, unknown>[],
): string {
  const tooltip = (spec.option as { tooltip?: { formatter?: (p: unknown) => string } }).tooltip;
  if (!tooltip?.formatter) throw new Error('no tooltip formatter');
  return tooltip.formatter(params);
}

/** Every string the option gives ECharts as text through axis label formatters. */
export function axisLabels(spec: ChartSpec, axis: 'xAxis' | 'yAxis', index = 0): string[] {
  const o = spec.option as Record<string, unknown>;
  const list = o[axis];
  const a = (Array.isArray(list) ? list[index] : list) as {
    data?: unknown[];
    axisLabel?: { formatter?: (v: unknown, i: number) => string };
  };
  return (a.data ?? []).map((v, i) =>
    a.axisLabel?.formatter ? a.axisLabel.formatter(v, i) : String(v),
  );
}
