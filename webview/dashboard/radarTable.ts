/** The radar's raw numbers beside it: one column per group, one row per axis. */
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import { radarGroups, type RadarGrouping } from '../../src/report/charts/radar';
import { groupColor } from '../../src/report/charts/colors';
import type { ChartTheme } from '../../src/report/charts/theme';
import { clear, h } from '../shared/dom';

export function renderRadarTable(
  el: HTMLElement,
  m: DashboardModel,
  groupBy: RadarGrouping,
  theme: ChartTheme,
): void {
  const { axes, groups } = radarGroups(m, groupBy);
  clear(el);
  if (groups.length === 0) return;
  const head = h('tr', {}, h('th', { scope: 'col', text: `Mean per node` }));
  groups.forEach((g) => {
    const swatch = h('span', { class: 'wp-swatch' });
    swatch.style.background = groupColor(theme, g.name);
    head.append(
      h(
        'th',
        { scope: 'col', class: 'num', title: `${g.nodes} node${g.nodes === 1 ? '' : 's'}` },
        swatch,
        ` ${g.name}`,
      ),
    );
  });
  const body = h('tbody');
  body.append(
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: 'nodes' }),
      ...groups.map((g) => h('td', { class: 'num', text: String(g.nodes) })),
    ),
  );
  axes.forEach((a, j) => {
    body.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: a.name }),
        ...groups.map((g) => {
          const v = g.means[j] ?? null;
          return h('td', {
            class: v === null ? 'num na' : 'num',
            text: v === null ? 'n/a' : a.format(v),
          });
        }),
      ),
    );
  });
  el.append(
    h(
      'table',
      { class: 'wp-table' },
      h('caption', { class: 'wp-sr-only', text: 'Mean of each metric per node, by group' }),
      h('thead', {}, head),
      body,
    ),
  );
}
