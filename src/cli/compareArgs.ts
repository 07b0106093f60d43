/**
 * Arguments of `compare BASELINE CANDIDATE [--json | --markdown] [--metric M,…]
 * [--fail-on-regression] [--store DIR]`. Parsed here, not in args.ts, so the command stays one module of its own.
 */
import { COMPARE_METRICS, type CompareMetric } from '../model/comparison';
import { DEFAULT_COMPARE_METRICS } from '../query/compareSides';
import { DEFAULT_STORE } from './defaults';

export { DEFAULT_COMPARE_METRICS };

export interface CompareArgs {
  baseline: string;
  candidate: string;
  metrics: CompareMetric[];
  json: boolean;
  /** The Markdown report, the same text the Compare panel's report shows. */
  markdown: boolean;
  failOnRegression: boolean;
  store: string;
}

export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const out: CompareArgs = {
    baseline: '',
    candidate: '',
    metrics: [...DEFAULT_COMPARE_METRICS],
    json: false,
    markdown: false,
    failOnRegression: false,
    store: DEFAULT_STORE,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--json') out.json = true;
    // Read by main.ts before any parsing; accepted here so every command takes it.
    else if (flag === '--debug') continue;
    else if (flag === '--markdown') out.markdown = true;
    else if (flag === '--fail-on-regression') out.failOnRegression = true;
    else if (flag === '--store') out.store = value();
    else if (flag === '--metric' || flag === '--metrics') out.metrics = metricList(value());
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${flag}`);
    else positional.push(a);
  }
  if (out.json && out.markdown) throw new Error('--json and --markdown exclude each other');
  if (positional.length !== 2) throw new Error('compare needs a BASELINE and a CANDIDATE');
  [out.baseline, out.candidate] = positional as [string, string];
  return out;
}

function metricList(v: string): CompareMetric[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const known = new Set<string>(COMPARE_METRICS);
  const unknown = names.filter((n) => !known.has(n));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(`--metric takes ${COMPARE_METRICS.join(', ')}; not ${unknown.join(', ') || v}`);
  return [...new Set(names)] as CompareMetric[];
}
