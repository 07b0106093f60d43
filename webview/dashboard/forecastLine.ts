/**
 * The header's "Memory: forecast … actual …" line, for runs started with a memory forecast. Its
 * own module so the header only places it.
 */
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import { memoryForecastFigure } from '../../src/report/charts/memoryForecast';
import { h } from '../shared/dom';

export interface ForecastLine {
  root: HTMLElement;
  render(m: DashboardModel): void;
}

export function forecastLine(): ForecastLine {
  const root = h('p', { class: 'wp-forecast' });
  root.hidden = true;
  return {
    root,
    render(m) {
      const f = memoryForecastFigure(m.run, m.analysis, m.live);
      root.hidden = f === null;
      root.textContent = f?.text ?? '';
      root.title = f?.detail ?? '';
    },
  };
}
