/**
 * The dashboard's "What if" section: a slots slider and per-node speed-ups, the simulator's
 * prediction for them (wall time and its change, critical path, peak memory, the schedule drawn
 * beside the recorded one), and the report's advice with the saving the simulator predicts for
 * each, which a click replays here so both views show the same number.
 *
 * The simulation runs in the page (src/report/charts/whatIfScenario says why); its input comes in
 * the snapshot (src/protocol/whatIf). Controls are native elements with labels, so the keyboard
 * and screen readers work as everywhere else; every node name goes in as text.
 */
import './whatIf.css';
import type { DashboardUiState } from '../../src/protocol/dashboard';
import type { WhatIfInput } from '../../src/protocol/whatIf';
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import type { DashboardModel } from '../../src/report/charts/dashboardModel';
import type { ChartTheme } from '../../src/report/charts/theme';
import { WHATIF_CHART_ID, whatIfTimelineChart } from '../../src/report/charts/whatIfTimeline';
import {
  factorLabel,
  predict,
  predictedAdvice,
  recordedSlots,
  scenarioOf,
  scenarioOfPrediction,
  slotsMax,
  speedupChoices,
  SPEEDUP_FACTORS,
  whatIfFigures,
  type AdvicePart,
  type Prediction,
  type Scenario,
} from '../../src/report/charts/whatIfScenario';
import { formatMs } from '../../src/model/format';
import type { ChartBoard } from '../shared/chartBoard';
import { clear, h } from '../shared/dom';
import { renderFigures } from '../shared/figures';
import type { SectionSpec } from '../shared/sections';

export interface WhatIfView {
  section: SectionSpec;
  /**
   * Shows the scenario of `ui` for the model's run and returns the predicted timeline's spec (an
   * empty one, with the reason as its note, when the run is live or the snapshot has no input).
   */
  spec(m: DashboardModel, ui: DashboardUiState, theme: ChartTheme, width: number): ChartSpec;
}

export interface WhatIfHandlers {
  change(s: Scenario): void;
  reset(): void;
}

export function whatIfView(board: ChartBoard, on: WhatIfHandlers): WhatIfView {
  const slots = h('input', {
    class: 'wp-whatif-input',
    type: 'range',
    id: 'wp-whatif-slots',
    min: 1,
    max: 8,
    step: 1,
    value: 1,
  });
  const slotsOut = h('output', { for: 'wp-whatif-slots', 'aria-hidden': 'true' });
  const slotsHint = h('span', { class: 'wp-whatif-hint', id: 'wp-whatif-slots-hint' });
  slots.setAttribute('aria-describedby', slotsHint.id);
  const nodeSelect = h('select', { class: 'wp-select', id: 'wp-whatif-node' });
  const factorSelect = h('select', { class: 'wp-select', id: 'wp-whatif-factor' });
  for (const f of SPEEDUP_FACTORS) {
    factorSelect.append(h('option', { value: String(f.factor), text: f.label }));
  }
  const reset = h('button', {
    class: 'wp-button wp-secondary',
    type: 'button',
    text: 'Reset to recorded',
  });
  const speedups = h('ul', {
    class: 'wp-whatif-speedups',
    'aria-label': 'Speed-ups in this scenario',
  });
  const figures = h('dl', { class: 'wp-figures wp-whatif-figures', 'aria-live': 'polite' });
  const path = h('p', { class: 'wp-whatif-path' });
  const adviceList = h('ul');
  const advice = h(
    'div',
    { class: 'wp-whatif-advice' },
    h('h3', { text: 'Suggestions, with the saving the simulator predicts' }),
    adviceList,
  );
  const controlsRow = h(
    'div',
    { class: 'wp-whatif-controls' },
    h('label', { class: 'wp-whatif-slots', for: 'wp-whatif-slots' }, 'Slots', slots, slotsOut),
    slotsHint,
    h('label', { for: 'wp-whatif-node' }, 'Speed up', nodeSelect),
    h('label', { for: 'wp-whatif-factor' }, 'by', factorSelect),
    reset,
  );
  const body = h('div', {}, controlsRow, speedups, figures, path);

  // The scenario shown last: events build the next scenario from it.
  let current: Scenario | null = null;
  let optionsFor: WhatIfInput | null = null;

  const changeWith = (edit: (s: Scenario) => Scenario): void => {
    if (current) on.change(edit(current));
  };
  slots.addEventListener('input', () => {
    const n = Number(slots.value);
    slotsOut.textContent = String(n);
    changeWith((s) => ({ ...s, slots: n }));
  });
  nodeSelect.addEventListener('change', () => {
    factorSelect.value = String(current?.speedup.get(nodeSelect.value) ?? 1);
  });
  factorSelect.addEventListener('change', () => {
    const id = nodeSelect.value;
    const f = Number(factorSelect.value);
    changeWith((s) => {
      const speedup = new Map(s.speedup);
      if (f === 1) speedup.delete(id);
      else speedup.set(id, f);
      return { ...s, speedup };
    });
  });
  reset.addEventListener('click', () => on.reset());

  /** The node menu and the slider's range: rebuilt only when another run arrives. */
  function syncOptions(m: DashboardModel, inp: WhatIfInput): void {
    if (optionsFor === inp) return;
    optionsFor = inp;
    clear(nodeSelect);
    for (const c of speedupChoices(inp, m.analysis.criticalPath.nodeIds)) {
      const text = `${c.nodeId} (${formatMs(c.spanMs)}${c.critical ? ', critical path' : ''})`;
      nodeSelect.append(h('option', { value: c.nodeId, text }));
    }
    nodeSelect.disabled = nodeSelect.options.length === 0;
    factorSelect.disabled = nodeSelect.disabled;
    slots.max = String(slotsMax(inp));
    const cores = inp.cores === null ? '' : ` on ${inp.cores} cores`;
    slotsHint.textContent = `recorded: ${recordedSlots(inp)}${cores}`;
  }

  function showScenario(p: Prediction, inp: WhatIfInput): void {
    const s = p.scenario;
    slots.value = String(s.slots);
    slotsOut.textContent = String(s.slots);
    slots.setAttribute('aria-valuetext', `${s.slots} slot${s.slots === 1 ? '' : 's'}`);
    factorSelect.value = String(s.speedup.get(nodeSelect.value) ?? 1);
    clear(speedups);
    for (const [id, f] of s.speedup) {
      const remove = h('button', {
        class: 'wp-button wp-secondary wp-icon',
        type: 'button',
        text: '×',
        title: `Remove the speed-up of ${id}`,
        'aria-label': `Remove the speed-up of ${id}`,
      });
      remove.addEventListener('click', () =>
        changeWith((sc) => {
          const speedup = new Map(sc.speedup);
          speedup.delete(id);
          return { ...sc, speedup };
        }),
      );
      speedups.append(
        h('li', {}, h('span', {}, h('code', { text: id }), `: ${factorLabel(f)}`), remove),
      );
    }
    speedups.hidden = s.speedup.size === 0;
    renderFigures(figures, whatIfFigures(inp, p));
    // For tests and anyone scripting the page: the exact prediction shown.
    figures.dataset['slots'] = String(s.slots);
    figures.dataset['predictedWallMs'] = String(p.result.wallMs);
    clear(path);
    path.append(h('strong', { text: 'Predicted critical path: ' }));
    p.result.criticalPath.forEach((id, i) => {
      if (i > 0) path.append(' → ');
      path.append(h('code', { text: id }));
    });
  }

  function showAdvice(m: DashboardModel, inp: WhatIfInput): void {
    clear(adviceList);
    const items = predictedAdvice(m.analysis.insights);
    advice.hidden = items.length === 0;
    for (const ins of items) {
      const tryIt = h('button', {
        class: 'wp-button wp-secondary',
        type: 'button',
        text: 'Show',
        title: 'Set the controls above to this suggestion',
      });
      tryIt.addEventListener('click', () => on.change(scenarioOfPrediction(ins.prediction, inp)));
      adviceList.append(
        h(
          'li',
          {},
          ...partsOf(ins.parts),
          ' ',
          h('span', {
            class: 'wp-whatif-saving',
            text: `Predicted saving ${formatMs(ins.prediction.savingMs)}`,
          }),
          tryIt,
        ),
      );
    }
  }

  function spec(
    m: DashboardModel,
    ui: DashboardUiState,
    theme: ChartTheme,
    width: number,
  ): ChartSpec {
    const inp = m.whatIf;
    body.hidden = inp === null;
    advice.hidden = inp === null;
    if (inp === null) {
      current = null;
      return emptySpec(
        m.live
          ? 'The prediction is available once the run has finished: it replays the recorded durations.'
          : 'This dashboard was made without the simulator’s input (an older snapshot): open the run again to ask what if.',
      );
    }
    syncOptions(m, inp);
    const p = predict(inp, scenarioOf(ui, inp));
    current = p.scenario;
    showScenario(p, inp);
    showAdvice(m, inp);
    return whatIfTimelineChart(m, p, theme, { width, recordedWallMs: inp.recordedWallMs });
  }

  const section: SectionSpec = {
    id: 'whatIf',
    heading: 'What if',
    about:
      'The run replayed by the simulator, with the scheduler’s own policy: change the slots or speed up a node and the predicted schedule, wall time, critical path and peak memory follow. Predictions, not measurements: the thin grey line under each bar is when the node really ran.',
    body: [body, board.mount(WHATIF_CHART_ID, 'Predicted schedule: one row per node'), advice],
  };
  return { section, spec };
}

/** An insight's sentence as DOM: node ids as code, everything as text. */
function partsOf(parts: readonly AdvicePart[]): (Node | string)[] {
  return parts.map((p) =>
    typeof p === 'string' ? p : 'node' in p ? h('code', { text: p.node }) : p.value,
  );
}

function emptySpec(note: string): ChartSpec {
  return {
    id: WHATIF_CHART_ID,
    option: {},
    height: 0,
    notes: [note],
    legend: [],
    empty: true,
    nodeAt: () => null,
  };
}
