/** The memory forecast before a CLI run: one warning line on stderr when it does not fit. */
import type { MemoryForecast } from '../model/run';
import type { RunRequest } from '../protocol/runner';
import { memoryForecastFor } from '../query/memoryForecast';
import type { RunSource } from '../query/runSource';
import { forecastWarning } from '../report/whatif/memoryForecast';
import { MEMORY_LIMIT_FLAG } from './memoryLimitArg';

/**
 * What run.json records for `request`; prints the warning when the forecast exceeds the limit and
 * `warn` is set (a series warns once). The run goes ahead either way: the CLI never asks.
 */
export async function checkMemory(
  source: RunSource,
  request: RunRequest,
  capBytes: number | null,
  err: (s: string) => void,
  warn = true,
): Promise<{ forecast: MemoryForecast | null; warned: boolean }> {
  const d = await memoryForecastFor(source, request, capBytes);
  if (!d) return { forecast: null, warned: false };
  const warned = warn && d.verdict === 'exceeds';
  if (warned) err(`warning: ${forecastWarning(d, MEMORY_LIMIT_FLAG)}`);
  return { forecast: d.forecast, warned };
}
