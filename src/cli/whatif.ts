/** The `whatif` command: a stored run replayed with other slots or faster nodes. */
import * as path from 'node:path';
import { RunStore } from '../store/runStore';
import { formatBytes, formatMs } from '../model/format';
import { storeSource } from '../query/runSource';
import { whatIf, type WhatIfResult } from '../report/whatif/whatIf';
import { parseWhatIfArgs, type WhatIfArgs } from './whatifArgs';
import { usageErrorText } from './help';
import { resolveRunRef } from '../query/runRef';

export async function whatifCommand(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let args: WhatIfArgs;
  try {
    args = parseWhatIfArgs(argv);
  } catch (e) {
    err(usageErrorText((e as Error).message, 'whatif'));
    return 2;
  }
  const store = new RunStore(path.resolve(args.store), { warn: (m) => err(`warning: ${m}`) });
  let run;
  try {
    const source = storeSource(store);
    run = await source.load(await resolveRunRef(source, args.run));
  } catch (e) {
    err(`workflow-profiler: ${(e as Error).message}`);
    return 1;
  }
  const unknown = [...args.speedup.keys()].filter((id) => !run.tasks.some((t) => t.nodeId === id));
  if (unknown.length > 0) {
    err(`workflow-profiler: no node ${unknown.join(', ')} in run ${run.id}`);
    return 2;
  }
  const result = whatIf(run, { slots: args.slots, speedup: args.speedup });
  out(args.json ? JSON.stringify(result) : table(result, run.wallMs));
  return 0;
}

function table(r: WhatIfResult, recordedWallMs: number | null): string {
  const rows = [...r.nodes].sort((a, b) => a.startMs - b.startMs);
  const width = Math.max(4, ...rows.map((n) => n.nodeId.length));
  const lines = [
    `Forecast wall time ${formatMs(r.wallMs)} (recorded ${formatMs(recordedWallMs)}); peak memory ${formatBytes(r.peakRssBytes)}`,
    `Critical path: ${r.criticalPath.join(' → ')}`,
    '',
    `${'node'.padEnd(width)}  ${'start'.padStart(10)}  ${'end'.padStart(10)}  ${'slack'.padStart(10)}`,
    ...rows.map(
      (n) =>
        `${n.nodeId.padEnd(width)}  ${formatMs(n.startMs).padStart(10)}  ${formatMs(n.endMs).padStart(10)}  ${formatMs(n.slackMs).padStart(10)}`,
    ),
  ];
  return lines.join('\n');
}
