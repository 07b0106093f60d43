/**
 * The "What if" section's part of the dashboard state: only the scenario (slots, speed-ups) is
 * kept, as UI state, so a reloaded panel shows the same question; the prediction is recomputed.
 */
import type { DashboardUiState } from '../../src/protocol/dashboard';
import { scenarioState, type Scenario } from '../../src/report/charts/whatIfScenario';
import type { Change } from './state';

export function setScenario(s: Scenario): Change {
  return (st) => ({ ...st, ui: { ...st.ui, ...scenarioState(s) } });
}

/** Back to the run as recorded: the keys are removed, not set to the recorded values. */
export function resetScenario(): Change {
  return (st) => {
    const ui: DashboardUiState = { ...st.ui };
    delete ui.whatIfSlots;
    delete ui.whatIfSpeedup;
    return { ...st, ui };
  };
}
