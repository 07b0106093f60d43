/**
 * "Will this run fit in memory?", asked once for the CLI and the editor before a run starts: the
 * last completed run of the workflow (same file, as src/query/runHistory defines a workflow's
 * history), the slots the run will use, and the machine's available memory, into the pure
 * decision of src/report/whatif/memoryForecast.
 */
import type { RunRecord } from '../model/run';
import { availableMemory } from '../measure/availableMemory';
import { decideMemoryForecast, type ForecastDecision } from '../report/whatif/memoryForecast';
import { slotsFor } from '../runtime/workflowRuntime';
import { parseWorkflowFile } from '../workflow/parse';
import { latestFinishedRun } from './runHistory';
import type { RunSource } from './runSource';

/** What the run will be started with: the file and the overrides of its runtime and slots. */
export interface ForecastRequest {
  file: string;
  runtime?: 'local' | 'parallel' | 'slurm';
  maxParallel?: number;
}

/** The newest completed run of the workflow in `file`, or null. */
export async function lastCompletedRun(source: RunSource, file: string): Promise<RunRecord | null> {
  const completed = (await source.list()).filter((r) => r.status === 'completed');
  const last = latestFinishedRun(completed, file);
  return last ? source.load(last.id) : null;
}

/** The slots a run of `request` gets, as the runtime will compute them; null if the file is invalid. */
export async function slotsOf(request: ForecastRequest): Promise<number | null> {
  const { workflow } = await parseWorkflowFile(request.file);
  if (!workflow) return null;
  return slotsFor({
    runtime: request.runtime ?? workflow.runtime,
    maxParallel: request.maxParallel ?? workflow.maxParallel,
  });
}

/**
 * The decision for a run about to start, or null when the workflow has history but does not
 * parse (the runner will say why). `availableBytes` is read from the machine unless given (tests give it).
 */
export async function memoryForecastFor(
  source: RunSource,
  request: ForecastRequest,
  capBytes: number | null,
  availableBytes: number | null = availableMemory().bytes,
): Promise<ForecastDecision | null> {
  // No completed run, nothing to forecast from: the slots are not needed, and reading them means
  // parsing the whole file, which for a big workflow costs more than the rest of the check.
  const lastRun = await lastCompletedRun(source, request.file);
  if (!lastRun) return decideMemoryForecast({ lastRun, slots: 1, capBytes, availableBytes });
  const slots = await slotsOf(request);
  if (slots === null) return null;
  return decideMemoryForecast({ lastRun, slots, capBytes, availableBytes });
}
