/**
 * The editor's side of the memory forecast: when the forecast for the chosen maxParallel exceeds
 * the limit, a warning with "Run Anyway" and "Lower Parallelism" (the largest maxParallel whose
 * forecast fits); dismissing it starts nothing. The warning is also handed to listeners with a
 * way to press a button, because notifications are out of a test's reach: the command still goes
 * through this same path.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../model/format';
import { forecastWarning, type ForecastDecision } from '../report/whatif/memoryForecast';

export const RUN_ANYWAY = 'Run Anyway';
export const LOWER_PARALLELISM = 'Lower Parallelism';
export const MEMORY_LIMIT_SETTING = 'workflowProfiler.memoryLimit';

/** A memory warning as shown: its text, its buttons, and a way to press one (or dismiss: undefined). */
export interface MemoryWarning {
  file: string;
  message: string;
  items: string[];
  /** The maxParallel "Lower Parallelism" runs with; null when it is not offered. */
  lowerTo: number | null;
  choose(item: string | undefined): void;
}

/** What to do after the warning: run as chosen, run with fewer slots, or not at all. */
export type MemoryChoice =
  { kind: 'run' } | { kind: 'lower'; maxParallel: number } | { kind: 'no' };

export function memoryWarningText(d: ForecastDecision, name: string): string {
  const lower =
    d.fitsMaxParallel !== null
      ? ` "${LOWER_PARALLELISM}" runs it with maxParallel ${d.fitsMaxParallel} (forecast ${formatBytes(d.fitsPeakRssBytes)}).`
      : '';
  return `${name}: ${forecastWarning(d, MEMORY_LIMIT_SETTING)}.${lower}`;
}

/** Shows the warning for a decision whose verdict is `exceeds` and resolves with the choice. */
export function askAboutMemory(
  d: ForecastDecision,
  file: string,
  name: string,
  listeners: vscode.EventEmitter<MemoryWarning>,
): Promise<MemoryChoice> {
  const lowerTo = d.fitsMaxParallel;
  const items = lowerTo !== null ? [RUN_ANYWAY, LOWER_PARALLELISM] : [RUN_ANYWAY];
  const message = memoryWarningText(d, name);
  return new Promise((resolve) => {
    let settled = false;
    const choose = (item: string | undefined): void => {
      if (settled) return;
      settled = true;
      if (item === RUN_ANYWAY) resolve({ kind: 'run' });
      else if (item === LOWER_PARALLELISM && lowerTo !== null)
        resolve({ kind: 'lower', maxParallel: lowerTo });
      else resolve({ kind: 'no' });
    };
    void vscode.window.showWarningMessage(message, ...items).then(choose);
    listeners.fire({ file, message, items, lowerTo, choose });
  });
}
