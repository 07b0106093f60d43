/**
 * The compare page's tables: every node with each compared metric's change, interval and verdict
 * badge, the outliers as the CLI reports them, and the compared runs.
 */
import type { CompareSnapshot } from '../../src/protocol/compare';
import type { CompareMetric } from '../../src/model/comparison';
import type { NodeStats } from '../../src/model/seriesComparison';
import {
  formatMetric,
  intervalText,
  METRIC_LABELS,
  signedPct,
  statsOf,
} from '../../src/report/charts/compareDeltas';
import { insufficientText, verdictBadge } from '../../src/report/charts/compareVerdicts';
import { runLabel } from '../../src/report/charts/compareTrend';
import { formatMs, formatPercent } from '../../src/model/format';
import { clear, h } from '../shared/dom';
import { DataTable, nodeRowsTable, statusColumn, type Column } from '../shared/table';

export type RunRow = CompareSnapshot['runs'][number] & { index: number };

/** The change and its interval, then the verdict as a badge, for one metric. */
function metricColumns(m: CompareMetric, minRuns: number): Column<NodeStats>[] {
  return [
    {
      key: `${m}:change`,
      label: `${METRIC_LABELS[m]}: change [interval]`,
      numeric: true,
      text: (n) => {
        const d = statsOf(n, m);
        return d ? `${signedPct(d.change)} ${intervalText(d)}` : 'n/a';
      },
      exact: (n) => {
        const d = statsOf(n, m);
        if (!d) return 'not measured';
        const side = (k: 'baseline' | 'candidate'): string =>
          `${formatMetric(m, d[k].median)} (n=${d[k].n})`;
        return `median ${side('baseline')} → ${side('candidate')}; noise band ±${formatPercent(d.noiseBand * 100)}`;
      },
      cellClass: (n) => (statsOf(n, m)?.change == null ? 'na' : null),
    },
    {
      key: `${m}:verdict`,
      label: 'verdict',
      text: (n) => {
        const d = statsOf(n, m);
        if (!d) return 'n/a';
        return d.verdict === 'insufficient'
          ? insufficientText(d, minRuns)
          : verdictBadge(d.verdict).text;
      },
      exact: (n) => {
        const d = statsOf(n, m);
        return d
          ? [verdictBadge(d.verdict).title, d.note].filter(Boolean).join('; ')
          : 'not measured';
      },
      badge: (n) => {
        const d = statsOf(n, m);
        return d ? verdictBadge(d.verdict).className : null;
      },
    },
  ];
}

export interface NodeTable {
  root: HTMLElement;
  render(s: CompareSnapshot, rows: readonly NodeStats[]): void;
}

export function nodeComparisonTable(onNode: (nodeId: string) => void): NodeTable {
  const root = h('div');
  const outliers = h('div', { class: 'wp-outliers' });
  let table: DataTable<NodeStats> | null = null;
  let shape = '';
  return {
    root,
    render: (s, rows) => {
      // Columns follow the compared metrics: a new table only when they change.
      const key = `${s.stats.metrics.join(',')}/${s.stats.settings.minRuns}`;
      if (!table || key !== shape) {
        shape = key;
        table = nodeRowsTable<NodeStats>({
          columns: [
            { key: 'type', label: 'Type', text: (n) => s.nodeTypes[n.nodeId] ?? '?' },
            ...s.stats.metrics.flatMap((m) => metricColumns(m, s.stats.settings.minRuns)),
          ],
          cap: 100,
          caption: 'Every node: the change of the median, its interval and the verdict per metric.',
          onNode,
        });
        clear(root);
        root.append(table.root, outliers);
      }
      table.render(rows, null);
      clear(outliers);
      if (s.words.outliers.length > 0) {
        outliers.append(
          h('h3', {
            text: 'Outliers (by modified z-score, as the CLI reports them; kept in the median)',
          }),
          h('ul', {}, ...s.words.outliers.map((l) => h('li', { text: l }))),
        );
      } else outliers.append(h('p', { class: 'wp-meta', text: 'No outliers on either side.' }));
    },
  };
}

export function runsTable(): DataTable<RunRow> {
  return new DataTable<RunRow>({
    columns: [
      { key: 'index', label: 'Run', text: (r) => runLabel(r.startedAt, r.index) },
      { key: 'side', label: 'Side', text: (r) => r.side },
      { key: 'id', label: 'Id', text: (r) => r.id },
      statusColumn((r) => r.status),
      {
        key: 'wall',
        label: 'Wall time',
        numeric: true,
        text: (r) => formatMs(r.wallMs),
        cellClass: (r) => (r.wallMs === null ? 'na' : null),
      },
    ],
    cap: 50,
    caption: 'The compared measured runs: the baseline’s, then the candidate’s, each oldest first.',
  });
}
