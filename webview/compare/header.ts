/**
 * The compare page's header: what each side is (with the warm-ups left out), the CLI's verdict
 * line, counts of each verdict, the flagged nodes, and how the verdicts were reached.
 */
import type { CompareSnapshot } from '../../src/protocol/compare';
import type { SeriesVerdict } from '../../src/model/seriesComparison';
import { METRIC_LABELS, signedPct } from '../../src/report/charts/compareDeltas';
import { VERDICTS, verdictBadge } from '../../src/report/charts/compareVerdicts';
import { clear, h } from '../shared/dom';

export interface CompareHeader {
  root: HTMLElement;
  render(s: CompareSnapshot, error: string | null): void;
}

function figure(label: string, value: string, detail: string): HTMLElement {
  return h(
    'div',
    { class: 'wp-figure', title: detail },
    h('dt', { text: label }),
    h('dd', { text: value }),
  );
}

/** Every node × metric verdict of the comparison. */
function verdictsOf(
  s: CompareSnapshot,
): { nodeId: string; metric: string; v: SeriesVerdict; change: number | null }[] {
  return s.stats.nodes.flatMap((n) =>
    s.stats.metrics.flatMap((m) => {
      const d = n.metrics[m];
      return d
        ? [{ nodeId: n.nodeId, metric: METRIC_LABELS[m], v: d.verdict, change: d.change }]
        : [];
    }),
  );
}

export function compareHeader(
  reveal: (nodeId: string) => void,
  choosers: HTMLElement,
): CompareHeader {
  const title = h('h1', { class: 'wp-h1', text: 'Compare runs' });
  const sides = h('ul', { class: 'wp-meta wp-sides' });
  const error = h('p', { class: 'wp-status status-failed wp-hidden', role: 'alert' });
  const verdict = h('p', { class: 'wp-status', role: 'status' });
  const load = h('p', { class: 'wp-status wp-load' });
  const figures = h('dl', { class: 'wp-figures' });
  const flags = h('div');
  const method = h('p', { class: 'wp-meta wp-method' });
  const root = h(
    'header',
    { class: 'wp-header' },
    title,
    choosers,
    error,
    sides,
    verdict,
    load,
    figures,
    flags,
    method,
  );

  function renderFlags(s: CompareSnapshot): void {
    clear(flags);
    const list = h('ul', { class: 'wp-flags', 'aria-label': 'Flagged changes' });
    for (const f of verdictsOf(s)
      .filter((x) => x.v === 'regressed' || x.v === 'improved')
      .slice(0, 24)) {
      const b = h('button', {
        class: 'wp-link',
        type: 'button',
        text: f.nodeId,
        title: `Reveal ${f.nodeId} in the workflow file`,
      });
      b.addEventListener('click', () => reveal(f.nodeId));
      const badge = verdictBadge(f.v);
      list.append(
        h(
          'li',
          {},
          h('span', { class: badge.className, text: badge.text }),
          ' ',
          b,
          ` ${f.metric} ${signedPct(f.change)}`,
        ),
      );
    }
    if (list.childElementCount > 0) flags.append(list);
  }

  function render(s: CompareSnapshot, err: string | null): void {
    title.textContent = `${s.workflowName}: baseline against candidate`;
    error.textContent = err ?? '';
    error.classList.toggle('wp-hidden', err === null);
    clear(sides);
    sides.append(
      h('li', { text: `baseline ${s.baseline.description}` }),
      h('li', { text: `candidate ${s.candidate.description}` }),
    );
    const all = verdictsOf(s);
    const worst = all.some((x) => x.v === 'regressed')
      ? 'regressed'
      : all.some((x) => x.v === 'improved')
        ? 'improved'
        : all.some((x) => x.v === 'insufficient')
          ? 'insufficient'
          : 'unchanged';
    verdict.textContent = s.words.verdict;
    verdict.className = `wp-status verdict-line verdict-${worst}`;
    load.textContent = s.words.load.join(' ');
    load.classList.toggle('wp-hidden', s.words.load.length === 0);
    clear(figures);
    for (const v of VERDICTS) {
      const n = all.filter((x) => x.v === v).length;
      figures.append(
        figure(verdictBadge(v).text, String(n), `node × metric rows ${verdictBadge(v).title}`),
      );
    }
    renderFlags(s);
    method.textContent = s.words.method;
  }

  return { root, render };
}
