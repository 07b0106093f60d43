/**
 * Arguments of `whatif RUN [--slots N] [--speedup NODE=FACTOR]... [--json] [--store DIR]`.
 * Parsed here, not in args.ts, so the command stays one module of its own.
 */
import { DEFAULT_STORE } from './defaults';

export interface WhatIfArgs {
  run: string;
  slots: number | undefined;
  speedup: Map<string, number>;
  json: boolean;
  store: string;
}

export function parseWhatIfArgs(argv: readonly string[]): WhatIfArgs {
  const out: WhatIfArgs = {
    run: '',
    slots: undefined,
    speedup: new Map(),
    json: false,
    store: DEFAULT_STORE,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') out.json = true;
    // Read by main.ts before any parsing; accepted here so every command takes it.
    else if (a === '--debug') continue;
    else if (a === '--store') out.store = value();
    else if (a === '--slots') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error('--slots needs a whole number ≥ 1');
      out.slots = n;
    } else if (a === '--speedup') {
      const v = value();
      const at = v.lastIndexOf('=');
      const factor = Number(v.slice(at + 1));
      if (at <= 0 || !(factor > 0) || !Number.isFinite(factor)) {
        throw new Error(`--speedup needs NODE=FACTOR with FACTOR > 0, got ${v}`);
      }
      out.speedup.set(v.slice(0, at), factor);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (out.run === '') out.run = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (out.run === '') throw new Error('whatif needs a run id');
  return out;
}
