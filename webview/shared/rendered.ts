/**
 * The "every chart has drawn" signal: posted to the host (the panel logs it; editor tests wait
 * on it) and, for tests and the benchmark in a plain browser, set on `window.__wpRendered` with a
 * `wp-rendered` event. `window.__wpCharts` exposes the instances for the same readers. A page
 * that draws its off-screen charts later (the dashboard) first sets `window.__wpFirstScreen`:
 * the charts in view drawn and the page interactive, what a user waits for.
 */
import type { ECharts } from './echarts';

export interface RenderedInfo {
  ms: number;
  charts: string[];
  runId?: string;
  /** Where the time went (ms): parse, model, build:<chart>, draw:<chart>, tables, paint. */
  phases?: Record<string, number>;
}

declare global {
  interface Window {
    __wpRendered?: RenderedInfo;
    __wpFirstScreen?: RenderedInfo;
    __wpCharts?: Record<string, ECharts>;
  }
}

export function announceRendered(info: RenderedInfo, charts: Record<string, ECharts>): void {
  window.__wpCharts = charts;
  window.__wpRendered = info;
  window.dispatchEvent(new CustomEvent('wp-rendered', { detail: info }));
}

/** The first screen drawn (its charts in `info.charts`); every chart follows with announceRendered. */
export function announceFirstScreen(info: RenderedInfo, charts: Record<string, ECharts>): void {
  window.__wpCharts = charts;
  window.__wpFirstScreen = info;
  window.dispatchEvent(new CustomEvent('wp-first-screen', { detail: info }));
}

/** Re-runs `rebuild` when the page width changes (layouts depend on it), coalesced. */
export function onWidthChange(el: Element, rebuild: () => void): void {
  let last = el.clientWidth;
  let timer: ReturnType<typeof setTimeout> | null = null;
  new ResizeObserver(() => {
    const w = el.clientWidth;
    if (Math.abs(w - last) < 8) return;
    last = w;
    if (timer) clearTimeout(timer);
    timer = setTimeout(rebuild, 120);
  }).observe(el);
}
