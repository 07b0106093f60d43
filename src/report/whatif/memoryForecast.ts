/**
 * The memory forecast before a run, decided once for the CLI and the editor: the last completed
 * run of the workflow replayed with the chosen slots; its forecast peak against a limit; and, when
 * it does not fit, the most slots whose forecast does. Pure: the caller reads the store and the
 * machine's available memory (src/query/memoryForecast.ts).
 */
import type { MemoryForecast, RunRecord } from '../../model/run';
import { formatBytes } from '../../model/format';
import { simModelOf, type SimScope } from './simModel';
import { whatIfModel } from './whatIf';

export interface ForecastInputs {
  /** The last completed run of the same workflow; null when there is none. */
  lastRun: RunRecord | null;
  /** The slots (maxParallel) the run is about to use. */
  slots: number;
  /** A cap the user gave (flag or setting), bytes; null for none. */
  capBytes: number | null;
  /** Memory the machine has available now, bytes; null when unknown. */
  availableBytes: number | null;
}

/**
 * `no-history`: no completed run to replay (nothing to say). `not-measured`: that run measured no
 * node's memory. `no-limit`: nothing to compare with. `fits` / `exceeds`: the forecast against
 * the limit.
 */
export type ForecastVerdict = 'no-history' | 'not-measured' | 'no-limit' | 'fits' | 'exceeds';

export interface ForecastDecision {
  verdict: ForecastVerdict;
  /** What run.json records; null only with `no-history`. */
  forecast: MemoryForecast | null;
  /** Which of the two set the limit: the cap when it is the lower, else available memory. */
  limitSource: 'cap' | 'available' | null;
  capBytes: number | null;
  availableBytes: number | null;
  /**
   * The largest maxParallel from 1 to `slots` whose forecast fits the limit (`slots` itself when
   * the forecast fits); null when even one slot does not fit, or there is no verdict.
   */
  fitsMaxParallel: number | null;
  /** The forecast peak at fitsMaxParallel. */
  fitsPeakRssBytes: number | null;
}

/** The forecast peak with `slots` top-level slots (nested workflows keep theirs); null if unmeasured. */
export function forecastPeak(model: SimScope, slots: number): number | null {
  return whatIfModel(model, { slots }).peakRssBytes;
}

export function decideMemoryForecast(inp: ForecastInputs): ForecastDecision {
  const slots = Math.max(1, Math.floor(inp.slots));
  const { limitBytes, limitSource } = limitOf(inp.capBytes, inp.availableBytes);
  const base = {
    limitSource,
    capBytes: inp.capBytes,
    availableBytes: inp.availableBytes,
    fitsMaxParallel: null,
    fitsPeakRssBytes: null,
  };
  if (!inp.lastRun) return { ...base, verdict: 'no-history', forecast: null };
  const model = simModelOf(inp.lastRun);
  const peak = forecastPeak(model, slots);
  const forecast: MemoryForecast = {
    peakRssBytes: peak,
    limitBytes,
    basedOnRunId: inp.lastRun.id,
    maxParallel: slots,
  };
  if (peak === null) return { ...base, verdict: 'not-measured', forecast };
  if (limitBytes === null) return { ...base, verdict: 'no-limit', forecast };
  if (peak <= limitBytes) {
    return { ...base, verdict: 'fits', forecast, fitsMaxParallel: slots, fitsPeakRssBytes: peak };
  }
  // Fewer slots overlap fewer nodes; the most that still fit is what "Lower Parallelism" uses.
  for (let k = slots - 1; k >= 1; k--) {
    const p = forecastPeak(model, k);
    if (p !== null && p <= limitBytes) {
      return { ...base, verdict: 'exceeds', forecast, fitsMaxParallel: k, fitsPeakRssBytes: p };
    }
  }
  return { ...base, verdict: 'exceeds', forecast };
}

function limitOf(
  cap: number | null,
  available: number | null,
): { limitBytes: number | null; limitSource: ForecastDecision['limitSource'] } {
  if (cap !== null && (available === null || cap <= available)) {
    return { limitBytes: cap, limitSource: 'cap' };
  }
  if (available !== null) return { limitBytes: available, limitSource: 'available' };
  return { limitBytes: null, limitSource: null };
}

/**
 * The warning in one line, for a decision whose verdict is `exceeds`: the forecast, the limit and
 * where it came from, the run it is based on, and the largest maxParallel that fits. `capName`
 * names the cap as the user set it (`--memory-limit`, `workflowProfiler.memoryLimit`).
 */
export function forecastWarning(d: ForecastDecision, capName: string): string {
  const f = d.forecast;
  if (!f) return '';
  const available = `available memory ${formatBytes(d.availableBytes)}`;
  const limit =
    d.limitSource === 'cap'
      ? `${capName} ${formatBytes(d.capBytes)}${d.availableBytes !== null ? `; ${available}` : ''}`
      : d.capBytes !== null
        ? `${available}, below ${capName} ${formatBytes(d.capBytes)}`
        : available;
  const fits =
    d.fitsMaxParallel !== null
      ? `maxParallel ${d.fitsMaxParallel} fits (forecast ${formatBytes(d.fitsPeakRssBytes)})`
      : f.maxParallel > 1
        ? 'no maxParallel fits, not even 1'
        : 'it does not fit even one node at a time';
  return `memory forecast ${formatBytes(f.peakRssBytes)} at maxParallel ${f.maxParallel} exceeds the limit ${formatBytes(f.limitBytes)} (${limit}); based on run ${f.basedOnRunId}; ${fits}`;
}
