/**
 * The baseline and candidate choosers: each offers the workflow's series (their measured runs)
 * and its single runs; a side named otherwise (a list of runs) is offered as it is. Choosing
 * asks the host for the new comparison; the page changes only when it arrives.
 */
import type { CompareChoice, CompareSnapshot } from '../../src/protocol/compare';
import { formatMs } from '../../src/model/format';
import { h } from '../shared/dom';

export interface Choosers {
  root: HTMLElement;
  render(s: CompareSnapshot): void;
}

function when(iso: string): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return d ? `${d[1]}-${d[2]}-${d[3]} ${d[4]}:${d[5]}` : iso;
}

/** One line per choice: what it is, how many runs, when, which workflow. */
export function choiceLabel(c: CompareChoice): string {
  if (c.kind === 'series') {
    const warm = c.warmups > 0 ? ` (+${c.warmups} warm-up)` : '';
    return `series ${c.spec} · ${c.measuredRuns} run${c.measuredRuns === 1 ? '' : 's'}${warm} · ${when(c.startedAt)} · ${c.workflowName}`;
  }
  return `run ${c.spec} · ${c.status} · ${formatMs(c.wallMs)} · ${when(c.startedAt)} · ${c.workflowName}`;
}

export function compareChoosers(
  choose: (baseline: string, candidate: string) => void,
  openReport: () => void,
): Choosers {
  const baseline = h('select', { class: 'wp-select wp-side', 'aria-label': 'Baseline' });
  const candidate = h('select', { class: 'wp-select wp-side', 'aria-label': 'Candidate' });
  const swap = h('button', { class: 'wp-button wp-secondary', type: 'button', text: 'Swap' });
  const report = h('button', {
    class: 'wp-button wp-secondary',
    type: 'button',
    text: 'Open Report',
    title: 'The Markdown report, the same text as `compare BASELINE CANDIDATE --markdown`',
  });
  const root = h(
    'div',
    { class: 'wp-controls wp-choosers' },
    h('label', {}, 'Baseline ', baseline),
    h('label', {}, 'Candidate ', candidate),
    swap,
    report,
  );
  const send = (): void => choose(baseline.value, candidate.value);
  baseline.addEventListener('change', send);
  candidate.addEventListener('change', send);
  swap.addEventListener('click', () => choose(candidate.value, baseline.value));
  report.addEventListener('click', openReport);

  function fill(select: HTMLSelectElement, s: CompareSnapshot, current: string): void {
    select.replaceChildren();
    const series = h('optgroup', { label: 'Series (measured runs; warm-ups left out)' });
    const runs = h('optgroup', { label: 'Single runs' });
    if (!s.choices.some((c) => c.spec === current))
      select.append(h('option', { value: current, text: current }));
    for (const c of s.choices)
      (c.kind === 'series' ? series : runs).append(
        h('option', { value: c.spec, text: choiceLabel(c) }),
      );
    for (const g of [series, runs]) if (g.childElementCount > 0) select.append(g);
    select.value = current;
  }

  return {
    root,
    render: (s) => {
      fill(baseline, s, s.baseline.spec);
      fill(candidate, s, s.candidate.spec);
    },
  };
}
