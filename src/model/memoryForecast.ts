/**
 * The memory forecast a run was started with (run.json `memoryForecast`): the peak the simulator
 * predicted for this run's slots from the last completed run of the same workflow, and the limit
 * it was compared against. How it is computed: RUN_FIGURES in ./metrics.ts.
 */
export interface MemoryForecast {
  /** Forecast peak of the summed peak RSS of nodes that overlap; null when that run measured none. */
  peakRssBytes: number | null;
  /** What the forecast was compared against: available memory, or the lower of it and a cap. */
  limitBytes: number | null;
  /** The completed run whose recorded durations and peaks were replayed. */
  basedOnRunId: string;
  /** The slots the forecast is for: this run's maxParallel. */
  maxParallel: number;
}

const numOrNull = (v: unknown): boolean =>
  v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/** Read back from disk or a message: only the exact shape counts. */
export function isMemoryForecast(v: unknown): v is MemoryForecast {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    numOrNull(o['peakRssBytes']) &&
    numOrNull(o['limitBytes']) &&
    typeof o['basedOnRunId'] === 'string' &&
    o['basedOnRunId'] !== '' &&
    Number.isSafeInteger(o['maxParallel']) &&
    (o['maxParallel'] as number) >= 1
  );
}
