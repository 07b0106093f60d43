/** The `compare` command: two sets of runs, per-node statistics, a verdict and an exit status. */
import * as path from 'node:path';
import { RunStore } from '../store/runStore';
import { storeSource } from '../query/runSource';
import { compareSides, type SidesComparison } from '../query/compareSides';
import { compareReportMarkdown, compareReportText } from '../report/stats/renderSides';
import { parseCompareArgs, type CompareArgs } from './compareArgs';
import { usageErrorText } from './help';
import { resolveRunRefs } from '../query/runRef';

/** A watched metric regressed and --fail-on-regression was given. */
export const EXIT_REGRESSED = 3;

export async function compareCommand(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let args: CompareArgs;
  try {
    args = parseCompareArgs(argv);
  } catch (e) {
    err(usageErrorText((e as Error).message, 'compare'));
    return 2;
  }
  const source = storeSource(
    new RunStore(path.resolve(args.store), { warn: (m) => err(`warning: ${m}`) }),
  );
  let sides: SidesComparison;
  try {
    sides = await compareSides(
      source,
      await resolveRunRefs(source, args.baseline),
      await resolveRunRefs(source, args.candidate),
      args.metrics,
    );
  } catch (e) {
    err(`workflow-profiler: ${(e as Error).message}`);
    return 2;
  }
  const { result } = sides;
  if (args.json) out(JSON.stringify(result));
  else if (args.markdown) out(compareReportMarkdown(result, sides));
  else out(compareReportText(result, sides));
  const regressed = result.nodes.some((n) =>
    Object.values(n.metrics).some((m) => m.verdict === 'regressed'),
  );
  return args.failOnRegression && regressed ? EXIT_REGRESSED : 0;
}
