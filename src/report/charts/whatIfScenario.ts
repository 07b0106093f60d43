/**
 * The dashboard's "What if" section in data: the scenario the controls describe (slots and
 * per-node speed-ups, read back from persisted UI state, so anything odd falls back), the
 * simulator's prediction for it, and that prediction in words. Pure.
 *
 * The simulation runs here, in the page, rather than on the host: the simulator is pure (it
 * imports nothing of Node), a replay of 2,000 nodes takes about 15 ms in Node, so the prediction
 * redraws while the slider is dragged, and the standalone HTML, which has no host to ask, works
 * the same.
 */
import { formatBytes, formatMs, formatRatio } from '../../model/format';
import type { WhatIfInput } from '../../protocol/whatIf';
import type { Insight, InsightPart, InsightPrediction } from '../analysisTypes';

/** A piece of an advice sentence (the webview renders them; it may not import analysisTypes). */
export type AdvicePart = InsightPart;
import { whatIfModel, type WhatIfResult } from '../whatif/whatIf';
import type { SimNode, SimScope } from '../whatif/simModel';
import type { Figure } from './summary';
import { exactMs } from './units';

/** A speed-up factor meaning "the node takes no time" (JSON has no Infinity to persist). */
export const NO_TIME = 0;

/** The factors the speed-up menu offers: 2 halves a node's recorded time. */
export const SPEEDUP_FACTORS: readonly { factor: number; label: string }[] = [
  { factor: 1, label: 'as recorded' },
  { factor: 1.25, label: '1.25× faster' },
  { factor: 1.5, label: '1.5× faster' },
  { factor: 2, label: '2× faster' },
  { factor: 3, label: '3× faster' },
  { factor: 4, label: '4× faster' },
  { factor: 10, label: '10× faster' },
  { factor: NO_TIME, label: 'no time' },
];

export interface Scenario {
  slots: number;
  /** Node id to factor (NO_TIME: the node takes no time); nodes as recorded are absent. */
  speedup: ReadonlyMap<string, number>;
}

/** What the UI state holds of a scenario (src/protocol/dashboard's DashboardUiState). */
export interface ScenarioState {
  whatIfSlots?: number;
  whatIfSpeedup?: Record<string, number>;
}

export interface Prediction {
  scenario: Scenario;
  result: WhatIfResult;
  /** The replay of the run as recorded (its slots, no speed-up): the simulator's own error. */
  replay: WhatIfResult;
}

export function recordedSlots(input: WhatIfInput): number {
  return input.model.slots;
}

/** The slider's end: twice the cores, the recorded slots, or 8, whichever is most. */
export function slotsMax(input: WhatIfInput): number {
  return Math.max(2 * (input.cores ?? 0), recordedSlots(input), 8);
}

/** Every node of the model, nested ones included, in hand-out order. */
export function simNodes(scope: SimScope): SimNode[] {
  return scope.nodes.flatMap((n) => [n, ...(n.child ? simNodes(n.child) : [])]);
}

/** The scenario the persisted UI state describes, within what this run allows. */
export function scenarioOf(ui: ScenarioState, input: WhatIfInput): Scenario {
  const want = ui.whatIfSlots;
  const slots =
    typeof want === 'number' && Number.isInteger(want) && want >= 1
      ? Math.min(want, slotsMax(input))
      : recordedSlots(input);
  const ran = new Set(
    simNodes(input.model)
      .filter((n) => n.outcome !== null)
      .map((n) => n.id),
  );
  const speedup = new Map<string, number>();
  for (const [id, f] of Object.entries(ui.whatIfSpeedup ?? {})) {
    if (ran.has(id) && isFactor(f) && f !== 1) speedup.set(id, f);
  }
  return { slots, speedup };
}

/** A factor the simulator accepts: NO_TIME, or finite and at least 1 (no slow-downs asked). */
export function isFactor(f: unknown): f is number {
  return typeof f === 'number' && (f === NO_TIME || (Number.isFinite(f) && f >= 1 && f <= 1e6));
}

export function isRecordedScenario(s: Scenario, input: WhatIfInput): boolean {
  return s.slots === recordedSlots(input) && s.speedup.size === 0;
}

const replays = new WeakMap<WhatIfInput, WhatIfResult>();

/** The simulator's prediction for a scenario (the recorded replay is computed once per input). */
export function predict(input: WhatIfInput, scenario: Scenario): Prediction {
  let replay = replays.get(input);
  if (!replay) {
    replay = whatIfModel(input.model);
    replays.set(input, replay);
  }
  const speedup = new Map<string, number>();
  for (const [id, f] of scenario.speedup) speedup.set(id, f === NO_TIME ? Infinity : f);
  const result = isRecordedScenario(scenario, input)
    ? replay
    : whatIfModel(input.model, { slots: scenario.slots, speedup });
  return { scenario, result, replay };
}

/** The wall time predictions are compared against: the recorded one, else the replay's. */
export function referenceWallMs(input: WhatIfInput, p: Prediction): number {
  return input.recordedWallMs ?? p.replay.wallMs;
}

/** `-1.234 s (-31.0%)`, `+20.0 ms (+1.2%)`, `no change`. */
export function signedChange(ms: number, reference: number): string {
  if (Math.abs(ms) < 0.0005) return 'no change';
  const sign = ms > 0 ? '+' : '';
  const ratio = reference > 0 ? ` (${sign}${formatRatio(ms / reference)})` : '';
  return `${sign}${formatMs(ms)}${ratio}`;
}

export function factorLabel(f: number): string {
  if (f === NO_TIME) return 'no time';
  const known = SPEEDUP_FACTORS.find((x) => x.factor === f);
  return known ? known.label : `${f}× faster`;
}

/** What the scenario asks, in words: `4 slots (recorded 2); build 2× faster`. */
export function scenarioText(s: Scenario, input: WhatIfInput): string {
  const rec = recordedSlots(input);
  const slots = `${s.slots} slot${s.slots === 1 ? '' : 's'}${s.slots === rec ? ' as recorded' : ` (recorded ${rec})`}`;
  const speed = [...s.speedup].map(([id, f]) => `${id} ${factorLabel(f)}`);
  return [slots, ...speed].join('; ');
}

/** The section's headline figures: wall time, change, peak memory, each exact on hover. */
export function whatIfFigures(input: WhatIfInput, p: Prediction): Figure[] {
  const ref = referenceWallMs(input, p);
  const refName = input.recordedWallMs === null ? 'the replay of the recorded run' : 'recorded';
  const change = p.result.wallMs - ref;
  return [
    {
      label: 'Predicted wall time',
      value: formatMs(p.result.wallMs),
      detail: `${exactMs(p.result.wallMs)}, simulated with ${scenarioText(p.scenario, input)}`,
    },
    {
      label: `Change against ${input.recordedWallMs === null ? 'replay' : 'recorded'}`,
      value: signedChange(change, ref),
      detail: `${exactMs(change)} against ${refName} ${exactMs(ref)}; replaying the run as recorded gives ${exactMs(p.replay.wallMs)}, the simulator's own error`,
    },
    {
      label: 'Forecast peak memory',
      value: formatBytes(p.result.peakRssBytes),
      detail: `The largest sum of the peak resident memory of nodes that overlap in the predicted schedule; ${formatBytes(p.replay.peakRssBytes)} in the replay of the recorded run`,
    },
  ];
}

export interface SpeedupChoice {
  nodeId: string;
  spanMs: number;
  /** On the recorded run's critical path: the nodes a speed-up is most likely to pay on. */
  critical: boolean;
}

/**
 * Nodes worth speeding up, critical-path nodes first (in path order), then the rest longest
 * first; nodes that never ran or took no time are left out.
 */
export function speedupChoices(
  input: WhatIfInput,
  criticalPath: readonly string[],
): SpeedupChoice[] {
  const onPath = new Map(criticalPath.map((id, i) => [id, i]));
  const nodes = simNodes(input.model).filter((n) => n.outcome !== null && n.spanMs > 0 && !n.child);
  const choices = nodes.map((n) => ({
    nodeId: n.id,
    spanMs: n.spanMs,
    critical: onPath.has(n.id),
  }));
  return choices.sort((a, b) => {
    const pa = onPath.get(a.nodeId);
    const pb = onPath.get(b.nodeId);
    if (pa !== undefined || pb !== undefined) {
      return (pa ?? Infinity) - (pb ?? Infinity);
    }
    return b.spanMs - a.spanMs;
  });
}

/** The report's advice that carries a prediction, in the report's order. */
export function predictedAdvice(insights: readonly Insight[]): (Insight & {
  prediction: InsightPrediction;
})[] {
  return insights.filter(
    (i): i is Insight & { prediction: InsightPrediction } => i.prediction !== undefined,
  );
}

/** The scenario that replays an insight's prediction: its slots, or its node taking no time. */
export function scenarioOfPrediction(p: InsightPrediction, input: WhatIfInput): Scenario {
  return 'slots' in p
    ? { slots: Math.min(p.slots, slotsMax(input)), speedup: new Map() }
    : { slots: recordedSlots(input), speedup: new Map([[p.nodeId, NO_TIME]]) };
}

/** A scenario as UI state (what setState keeps). */
export function scenarioState(s: Scenario): Required<ScenarioState> {
  return { whatIfSlots: s.slots, whatIfSpeedup: Object.fromEntries(s.speedup) };
}
