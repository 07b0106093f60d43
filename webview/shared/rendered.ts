/**
 * The "every chart has drawn" signal: posted to the host (the panel logs it; editor tests wait
 * on it) and, for tests and the benchmark in a plain browser, set on `window.__wpRendered` with a
 * `wp-rendered` event. `window.__wpCharts` exposes the instances for the same readers.
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
    __wpCharts?: Record<string, ECharts>;
  }
}

export function announceRendered(info: RenderedInfo, charts: Record<string, ECharts>): void {
  window.__wpCharts = charts;
  window.__wpRendered = info;
  window.dispatchEvent(new CustomEvent('wp-rendered', { detail: info }));
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
