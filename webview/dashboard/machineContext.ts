/**
 * The dashboard header's machine line (cores, load, other CPU) and its load warnings (starved
 * nodes, busy machine), apart from header.ts so the header only places it. The wording and the
 * thresholds are the report's (src/model/machine.ts), so the two never disagree.
 */
import type { RunRecord } from '../../src/model/run';
import { loadWarnings, MACHINE_LINE_HELP, machineLine, machineOf } from '../../src/model/machine';
import { clear, h } from '../shared/dom';

export interface MachineContextView {
  root: HTMLElement;
  render(run: RunRecord): void;
}

export function machineContextView(): MachineContextView {
  const line = h('p', { class: 'wp-meta wp-machine', title: MACHINE_LINE_HELP });
  // Styled as the failures list: these are warnings about what the figures mean.
  const warnings = h('ul', {
    class: 'wp-failures wp-load-warnings',
    'aria-label': 'Load warnings',
  });
  const root = h('div', { class: 'wp-machine-context' }, line, warnings);

  function render(run: RunRecord): void {
    const m = machineOf(run);
    line.textContent = m ? `Machine: ${machineLine(m)}` : 'Machine: not recorded for this run';
    clear(warnings);
    // Final attempts of nodes that ran: a retried node's earlier attempts are not the node now.
    const finals = new Map<string, RunRecord['tasks'][number]>();
    for (const t of run.tasks) {
      const prev = finals.get(t.nodeId);
      if (t.startMs !== null && (!prev || t.attempt >= prev.attempt)) finals.set(t.nodeId, t);
    }
    for (const w of loadWarnings(m, [...finals.values()])) {
      warnings.append(
        w.nodeId === null
          ? h('li', { class: `wp-warning-${w.kind}`, text: w.text })
          : h('li', { class: `wp-warning-${w.kind}` }, h('strong', { text: w.nodeId }), w.text),
      );
    }
    warnings.hidden = warnings.childElementCount === 0;
  }
  return { root, render };
}
