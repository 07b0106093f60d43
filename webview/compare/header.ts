/** The compare page's header: what is compared, the wall-time verdict, figures, flagged nodes. */
import type { CompareSnapshot } from '../../src/protocol/compare';
import { METRIC_LABELS } from '../../src/report/charts/compareDeltas';
import { formatMs, formatRatio } from '../../src/model/format';
import { clear, h } from '../shared/dom';

export interface CompareHeader {
  root: HTMLElement;
  render(s: CompareSnapshot): void;
}

function changeOf(delta: number | null, ratio: number | null): string {
  if (delta === null) return 'n/a';
  return `${delta > 0 ? '+' : ''}${formatMs(delta)}${ratio !== null ? `, ${ratio > 0 ? '+' : ''}${formatRatio(ratio)}` : ''}`;
}

function figure(label: string, value: string, detail: string): HTMLElement {
  return h(
    'div',
    { class: 'wp-figure', title: detail },
    h('dt', { text: label }),
    h('dd', { text: value }),
  );
}

export function compareHeader(reveal: (nodeId: string) => void): CompareHeader {
  const title = h('h1', { class: 'wp-h1', text: 'Compare runs' });
  const meta = h('p', { class: 'wp-meta' });
  const verdict = h('p', { class: 'wp-status', role: 'status' });
  const figures = h('dl', { class: 'wp-figures' });
  const flags = h('div');
  const root = h('header', { class: 'wp-header' }, title, meta, verdict, figures, flags);

  /** The regressions and improvements, each a button revealing its node. */
  function renderFlags(c: CompareSnapshot['comparison']): void {
    clear(flags);
    const list = h('ul', { class: 'wp-flags', 'aria-label': 'Flagged changes' });
    for (const [kind, items] of [
      ['regression', c.regressions],
      ['improvement', c.improvements],
    ] as const) {
      for (const f of items.slice(0, 24)) {
        const b = h('button', {
          class: 'wp-link',
          type: 'button',
          text: f.nodeId,
          title: `Reveal ${f.nodeId} in the workflow file`,
        });
        b.addEventListener('click', () => reveal(f.nodeId));
        list.append(
          h(
            'li',
            { class: `wp-flag status-${kind}` },
            kind === 'regression' ? '▲ ' : '▼ ',
            b,
            ` ${METRIC_LABELS[f.metric]} ${f.ratio !== null ? `${f.ratio > 0 ? '+' : ''}${formatRatio(f.ratio)}` : ''}`,
          ),
        );
      }
    }
    if (list.childElementCount > 0) flags.append(list);
  }

  function render(s: CompareSnapshot): void {
    const c = s.comparison;
    title.textContent = `${s.workflowName}: ${s.runs.length} runs compared`;
    meta.textContent = `candidate ${c.candidateId} against ${c.baselineIds.length === 1 ? `run ${c.baselineIds[0] ?? ''}` : `the mean of ${c.baselineIds.length} runs`}`;
    const w = c.wall;
    verdict.textContent =
      w.verdict === 'n/a'
        ? 'Wall time: n/a'
        : `Wall time ${formatMs(w.baseline)} → ${formatMs(w.candidate)} (${changeOf(w.delta, w.ratio)}): ${w.verdict === 'same' ? 'within noise' : w.verdict}`;
    verdict.className = `wp-status status-${w.verdict}`;
    clear(figures);
    figures.append(
      figure('Candidate wall time', formatMs(w.candidate), `${w.candidate ?? 'n/a'} ms`),
      figure(
        'Baseline wall time',
        formatMs(w.baseline),
        w.spread !== null
          ? `mean ± ${formatMs(w.spread)} (1σ) over ${c.baselineIds.length} runs`
          : 'one baseline run',
      ),
      figure(
        'Regressions',
        String(c.regressions.length),
        'node metrics beyond the noise and at least 10% worse',
      ),
      figure(
        'Improvements',
        String(c.improvements.length),
        'node metrics beyond the noise and at least 10% better',
      ),
    );
    renderFlags(c);
  }

  return { root, render };
}
