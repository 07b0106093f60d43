/** The dashboard's header: workflow name, status badge, run facts, live status line, figures. */
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import { headlineFigures, statusLine } from '../../src/report/charts/summary';
import { clear, h } from '../shared/dom';

export interface DashboardHeader {
  root: HTMLElement;
  render(m: DashboardModel): void;
}

/** `onOpenReport` is null outside VS Code (no host to open the report). */
export function dashboardHeader(onOpenReport: (() => void) | null): DashboardHeader {
  const title = h('h1', { class: 'wp-h1', text: 'Workflow dashboard' });
  const badge = h('span', { class: 'wp-badge' });
  const meta = h('p', { class: 'wp-meta' });
  const status = h('p', { class: 'wp-status', role: 'status', 'aria-live': 'polite' });
  const figures = h('dl', { class: 'wp-figures' });
  const actions = h('div', { class: 'wp-actions' });
  if (onOpenReport) {
    const report = h('button', { class: 'wp-button', type: 'button', text: 'Open report' });
    report.addEventListener('click', onOpenReport);
    actions.append(report);
  }
  const root = h(
    'header',
    { class: 'wp-header' },
    h('div', { class: 'wp-title-row' }, title, badge, actions),
    meta,
    status,
    figures,
  );

  function render(m: DashboardModel): void {
    const run = m.run;
    title.textContent = run.workflow.name;
    const st = m.live ? 'running' : run.status;
    badge.textContent = st;
    badge.className = `wp-badge status-${st}`;
    meta.textContent = `run ${run.id} · started ${run.startedAt} · ${run.runtime}${run.runtime === 'parallel' ? ` × ${run.maxParallel}` : ''} · sampled every ${run.collector.intervalMs} ms (${run.collector.mode})`;
    status.textContent = statusLine(m);
    status.classList.toggle('wp-live', m.live);
    clear(figures);
    for (const f of headlineFigures(m)) {
      figures.append(
        h(
          'div',
          { class: 'wp-figure', title: f.detail },
          h('dt', { text: f.label }),
          h('dd', { text: f.value }),
        ),
      );
    }
  }
  return { root, render };
}
