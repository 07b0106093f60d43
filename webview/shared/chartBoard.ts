/**
 * Owns the ECharts instances of a page: one slot per chart (legend, canvas, notes), drawing a
 * ChartSpec into it, clicks mapped to nodes through the spec, and a promise per draw that
 * resolves when ECharts reports the frame finished (the `rendered` signal waits on them).
 */
import type { ChartHit, ChartSpec, LegendEntry } from '../../src/report/charts/chartSpec';
import { init, type ECharts } from './echarts';
import { clear, h } from './dom';

interface Slot {
  id: string;
  root: HTMLElement;
  legend: HTMLElement;
  box: HTMLElement;
  notes: HTMLElement;
  chart: ECharts | null;
  spec: ChartSpec | null;
}

/** Longest a draw may take before the page stops waiting for it (a hidden tab never paints). */
const FINISH_TIMEOUT_MS = 5000;

export class ChartBoard {
  private readonly slots = new Map<string, Slot>();
  private readonly handlers: { chartId: string; event: string; handler: () => void }[] = [];

  constructor(
    private readonly onNode: (nodeId: string, chartId: string) => void,
    /** Every click, for charts whose elements are not nodes (e.g. runs in a trend). */
    private readonly onHit?: (chartId: string, hit: ChartHit) => void,
  ) {}

  /** The slot's element, created on first use (put it where the chart belongs). */
  mount(id: string, label: string): HTMLElement {
    const existing = this.slots.get(id);
    if (existing) return existing.root;
    const legend = h('div', { class: 'wp-legend', 'aria-hidden': 'true' });
    const box = h('div', { class: 'wp-chart', 'data-chart': id, role: 'img', 'aria-label': label });
    const notes = h('div', { class: 'wp-notes' });
    const root = h('div', { class: 'wp-slot' }, legend, box, notes);
    this.slots.set(id, { id, root, legend, box, notes, chart: null, spec: null });
    return root;
  }

  /** The slot's element, null before it is mounted. */
  root(id: string): HTMLElement | null {
    return this.slots.get(id)?.root ?? null;
  }

  /** Width available to a chart, for builders that lay out by width. */
  width(id: string): number {
    const s = this.slots.get(id);
    const w = s ? s.root.clientWidth : 0;
    return w > 0 ? w : Math.max(320, document.documentElement.clientWidth - 48);
  }

  /** Draws a spec; resolves true once drawn, false when the spec is empty (notes shown instead). */
  async show(spec: ChartSpec): Promise<boolean> {
    const s = this.slots.get(spec.id);
    if (!s) throw new Error(`no slot for chart ${spec.id}`);
    s.spec = spec;
    renderLegend(s.legend, spec.legend);
    clear(s.notes);
    for (const n of spec.notes) s.notes.append(h('p', { text: n }));
    s.box.classList.toggle('wp-hidden', spec.empty);
    if (spec.empty) return false;
    const px = `${Math.round(spec.height)}px`;
    const resized = s.box.style.height !== px;
    s.box.style.height = px;
    let chart = s.chart;
    if (!chart) {
      chart = init(s.box, undefined, { renderer: 'canvas' });
      s.chart = chart;
      chart.on('click', (params: unknown) => {
        const hit = params as ChartHit;
        const nodeId = s.spec?.nodeAt(hit) ?? null;
        if (nodeId !== null) this.onNode(nodeId, s.id);
        this.onHit?.(s.id, hit);
      });
      for (const h of this.handlers) if (h.chartId === s.id) chart.on(h.event, h.handler);
    } else if (resized || chart.getWidth() !== s.box.clientWidth) {
      // The page re-runs the builders when its width changes: the canvas must follow the box.
      chart.resize();
    }
    const finished = new Promise<void>((resolve) => {
      const c = chart;
      const done = (): void => {
        c.off('finished', done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, FINISH_TIMEOUT_MS);
      c.on('finished', done);
    });
    chart.setOption(spec.option, { notMerge: true, lazyUpdate: false });
    await finished;
    return true;
  }

  /** Listens to an ECharts event of a chart, from its first draw on (e.g. `datazoom`). */
  on(chartId: string, event: string, handler: () => void): void {
    this.handlers.push({ chartId, event, handler });
    this.slots.get(chartId)?.chart?.on(event, handler);
  }

  /** Resizes every chart to its box (the builders are re-run by the page when widths change). */
  resizeAll(): void {
    for (const s of this.slots.values()) s.chart?.resize();
  }

  chart(id: string): ECharts | null {
    return this.slots.get(id)?.chart ?? null;
  }

  /** Instances by chart id (tests and the benchmark read them through window.__wpCharts). */
  instances(): Record<string, ECharts> {
    const out: Record<string, ECharts> = {};
    for (const s of this.slots.values()) if (s.chart && !s.spec?.empty) out[s.id] = s.chart;
    return out;
  }
}

function renderLegend(el: HTMLElement, entries: readonly LegendEntry[]): void {
  clear(el);
  el.classList.toggle('wp-hidden', entries.length === 0);
  for (const e of entries) {
    const swatch = h('span', { class: `wp-swatch wp-swatch-${e.shape}` });
    // CSSOM, not a style attribute: allowed under the strict CSP.
    if (e.shape === 'outline') swatch.style.borderColor = e.color;
    else swatch.style.background = e.color;
    el.append(h('span', { class: 'wp-legend-item' }, swatch, e.label));
  }
}
