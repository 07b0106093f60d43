/**
 * `run FILE --repeat N [--warmup K]`: K + N runs in sequence, one runner each, sharing a series id
 * in run.json (the series itself: src/runtime/series.ts, shared with the editor). Ctrl-C cancels
 * the current run and stops the series; a second one kills its runner.
 */
import * as path from 'node:path';
import { prepareStore } from './errors';
import { runRequestFor } from './runRequest';
import { startRun, type RunHandle } from '../runtime/runnerClient';
import { runSeries } from '../runtime/series';
import { formatMs } from '../model/format';
import { liveProgress, liveTty } from './liveProgress';
import { RunStore } from '../store/runStore';
import { storeSource } from '../query/runSource';
import { parseArgs, type CliArgs } from './args';
import { usageErrorText } from './help';
import { checkMemory } from './memoryCheck';
import type { SeriesFlags } from './seriesArgs';

type Print = (s: string) => void;

export async function seriesCommand(
  flags: SeriesFlags,
  capBytes: number | null,
  out: Print,
  err: Print,
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(flags.rest);
  } catch (e) {
    err(usageErrorText((e as Error).message, 'run'));
    return 2;
  }
  const storeDir = path.resolve(args.store);
  prepareStore(storeDir);
  const source = storeSource(new RunStore(storeDir, { warn: (m) => err(`warning: ${m}`) }));
  const log = args.json || args.quiet ? err : out;
  let current: RunHandle | null = null;
  let stopped = false;
  let interrupts = 0;
  let warned = false;
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
  let outcome;
  try {
    outcome = await runSeries(
      flags,
      async (series, total) => {
        log(
          `${series.warmup ? 'warm-up' : 'run'} ${series.index + 1}/${total} of series ${series.id}`,
        );
        const request = runRequestFor(args, storeDir, series);
        // Each run records its own forecast (from the run before it); the warning is said once.
        const memory = await checkMemory(source, request, capBytes, err, !warned);
        warned ||= memory.warned;
        const printer = args.quiet ? null : liveProgress(log, liveTty(args));
        current = startRun(
          { ...request, memoryForecast: memory.forecast },
          { onEvent: (e) => printer?.onEvent(e) },
        );
        const result = await current.result;
        printer?.stop();
        current = null;
        if (result.status !== 'invalid') {
          if (result.error) err(`error: ${result.error}`);
          log(`${result.status} in ${formatMs(result.run?.wallMs ?? null)} (run ${result.runId})`);
        }
        return result;
      },
      () => stopped,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { id, runs, status, invalid } = outcome;
  if (invalid) {
    for (const p of invalid.problems)
      err(`${p.file}:${p.range.start.line}:${p.range.start.col}: ${p.severity}: ${p.message}`);
    if (args.json) out(JSON.stringify({ series: id, runs, status: 'invalid' }));
    return 2;
  }
  if (args.json) out(JSON.stringify({ series: id, runs, status }));
  else log(`series ${id}: ${status}, ${runs.filter((r) => !r.warmup).length} measured runs`);
  return status === 'completed' ? 0 : 1;
}
