/**
 * `run FILE --repeat N [--warmup K]`: K + N runs in sequence, one runner each, sharing a series id
 * in run.json. Ctrl-C cancels the current run and stops the series; a second one kills its runner.
 */
import * as path from 'node:path';
import { prepareStore } from './errors';
import { runRequestFor } from './runRequest';
import { startRun, type RunHandle } from '../runtime/runnerClient';
import type { RunResult } from '../protocol/runner';
import { formatMs } from '../model/format';
import { newSeriesId } from '../store/seriesId';
import { progressPrinter } from '../report/terminalProgress';
import { parseArgs, USAGE, type CliArgs } from './args';
import type { SeriesFlags } from './seriesArgs';

interface SeriesRun {
  runId: string | null;
  runDir: string | null;
  status: RunResult['status'];
  warmup: boolean;
}

type Print = (s: string) => void;

/** Every measured run completed: `completed`; else the first measured run's other status. */
export function seriesStatus(runs: readonly SeriesRun[], repeat: number): string {
  const measured = runs.filter((r) => !r.warmup);
  const bad = measured.find((r) => r.status !== 'completed');
  if (bad) return bad.status;
  return measured.length === repeat ? 'completed' : 'cancelled';
}

export async function seriesCommand(flags: SeriesFlags, out: Print, err: Print): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(flags.rest);
  } catch (e) {
    err(`workflow-profiler: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const storeDir = path.resolve(args.store);
  prepareStore(storeDir);
  const log = args.json || args.quiet ? err : out;
  const id = newSeriesId();
  const total = flags.warmup + flags.repeat;
  const runs: SeriesRun[] = [];
  let current: RunHandle | null = null;
  let stopped = false;
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts++;
    stopped = true;
    if (interrupts === 1) {
      err(`\n${sig}: cancelling the current run and stopping the series…`);
      current?.cancel(`cancelled by ${sig}`);
    } else if (current?.pid) {
      err(`${sig} again: killing the runner`);
      process.kill(current.pid, 'SIGKILL');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (let index = 0; index < total && !stopped; index++) {
      const warmup = index < flags.warmup;
      log(`${warmup ? 'warm-up' : 'run'} ${index + 1}/${total} of series ${id}`);
      const printer = args.quiet ? null : progressPrinter(log);
      current = startRun(runRequestFor(args, storeDir, { id, index, warmup }), {
        onEvent: (e) => printer?.(e),
      });
      const result = await current.result;
      current = null;
      if (result.status === 'invalid') {
        for (const p of result.problems)
          err(`${p.file}:${p.range.start.line}:${p.range.start.col}: ${p.severity}: ${p.message}`);
        if (args.json) out(JSON.stringify({ series: id, runs, status: 'invalid' }));
        return 2;
      }
      if (result.error) err(`error: ${result.error}`);
      runs.push({ runId: result.runId, runDir: result.runDir, status: result.status, warmup });
      log(`${result.status} in ${formatMs(result.run?.wallMs ?? null)} (run ${result.runId})`);
      // A failed run still tells something; a cancelled one means the user wants to stop.
      if (result.status === 'cancelled' || result.status === 'interrupted') stopped = true;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const status = seriesStatus(runs, flags.repeat);
  if (args.json) out(JSON.stringify({ series: id, runs, status }));
  else log(`series ${id}: ${status}, ${runs.filter((r) => !r.warmup).length} measured runs`);
  return status === 'completed' ? 0 : 1;
}
