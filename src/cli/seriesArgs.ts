/**
 * `run FILE --repeat N [--warmup K]`: the two series flags are taken out here and the rest is left
 * to the shared parser (args.ts), so `run`'s other flags mean the same with or without a series.
 */
export interface SeriesFlags {
  /** Measured runs. */
  repeat: number;
  /** Runs before them, stored and marked, never in statistics. */
  warmup: number;
  /** argv without the series flags. */
  rest: string[];
}

/** Null when argv asks for a plain run. */
export function takeSeriesFlags(argv: readonly string[]): SeriesFlags | null {
  let repeat: number | null = null;
  let warmup: number | null = null;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (flag !== '--repeat' && flag !== '--warmup') {
      rest.push(a);
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    const n = Number(v);
    const min = flag === '--repeat' ? 1 : 0;
    if (v === undefined || !Number.isInteger(n) || n < min)
      throw new Error(`${flag} must be a whole number of at least ${min}, not ${v ?? 'nothing'}`);
    if (flag === '--repeat') repeat = n;
    else warmup = n;
  }
  if (repeat === null && warmup === null) return null;
  return { repeat: repeat ?? 1, warmup: warmup ?? 0, rest };
}
