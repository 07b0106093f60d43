/** The dashboard's header: workflow name, status badge, run facts, live status line, figures. */
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import { headlineFigures, statusLine } from '../../src/report/charts/summary';
import { failedTasks, failureLine, plainLine } from '../../src/model/failures';
import { clear, h } from '../shared/dom';
import { machineContextView } from './machineContext';
import { forecastLine } from './forecastLine';
import { renderFigures } from '../shared/figures';

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
  // Which nodes failed and why, so a failure does not hide in a sliver of the timeline.
  const failures = h('ul', { class: 'wp-failures', 'aria-label': 'Failed nodes' });
  const figures = h('dl', { class: 'wp-figures' });
  const machine = machineContextView();
  const forecast = forecastLine();
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
    machine.root,
    status,
    failures,
    figures,
    forecast.root,
  );

  function render(m: DashboardModel): void {
    const run = m.run;
    title.textContent = run.workflow.name;
    const st = m.live ? 'running' : run.status;
    badge.textContent = st;
    badge.className = `wp-badge status-${st}`;
    meta.textContent = `run ${run.id} · started ${run.startedAt} · ${run.runtime}${run.runtime !== 'local' ? ` × ${run.maxParallel}` : ''} · sampled every ${run.collector.intervalMs} ms (${run.collector.mode})`;
    machine.render(run);
    status.textContent = statusLine(m);
    status.classList.toggle('wp-live', m.live);
    forecast.render(m);
    clear(failures);
    for (const t of failedTasks(run.tasks)) {
      const why = plainLine(failureLine(t) ?? '');
      failures.append(
        h('li', {}, h('strong', { text: t.nodeId }), why ? ` failed: ${why}` : ' failed'),
      );
    }
    failures.hidden = failures.childElementCount === 0;
    renderFigures(figures, headlineFigures(m));
  }
  return { root, render };
}
