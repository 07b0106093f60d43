/**
 * Command-line parsing for `workflow-profiler`: pure, so every rule is unit-tested. What each
 * command takes, and its defaults, is told in help.ts.
 */
import { MAX_PARALLEL } from '../workflow/limits';
import { DEFAULT_INTERVAL_MS, DEFAULT_STORE } from './defaults';

export type Command =
  'run' | 'list' | 'show' | 'report' | 'export' | 'dashboard' | 'help' | 'version';

export interface CliArgs {
  command: Command;
  target: string | null;
  store: string;
  json: boolean;
  quiet: boolean;
  runtime?: 'local' | 'parallel' | 'slurm';
  maxParallel?: number;
  intervalMs: number;
  samples: boolean;
  retention?: number;
  maxOutputBytes?: number;
  maxOutputDepth?: number;
  maxNodes?: number;
  format?: 'json' | 'csv' | 'chrome-trace';
  output?: string;
  /** `--redact NAME`, repeatable: more names whose values are secrets. */
  redact: string[];
  maxLogBytes?: number;
  debug: boolean;
}

export class UsageError extends Error {}

const COMMANDS: ReadonlySet<string> = new Set([
  'run',
  'list',
  'show',
  'report',
  'export',
  'dashboard',
  'help',
  'version',
]);
const NEEDS_TARGET: ReadonlySet<Command> = new Set([
  'run',
  'show',
  'report',
  'export',
  'dashboard',
]);
const FLAGS_WITH_VALUE = new Set([
  '--runtime',
  '--max-parallel',
  '--interval',
  '--store',
  '--format',
  '-o',
  '--output',
  '--retention',
  '--redact',
  '--max-log-size',
  '--max-output-size',
  '--max-output-depth',
  '--max-nodes',
]);

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    command: 'help',
    target: null,
    store: DEFAULT_STORE,
    json: false,
    quiet: false,
    intervalMs: DEFAULT_INTERVAL_MS,
    samples: true,
    redact: [],
    debug: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') return { ...args, command: 'help' };
    if (a === '--version' || a === '-v') return { ...args, command: 'version' };
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    let flag = a;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (eq > 0 && a.startsWith('--')) {
      flag = a.slice(0, eq);
      value = a.slice(eq + 1);
    }
    if (FLAGS_WITH_VALUE.has(flag) && value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
    }
    switch (flag) {
      case '--json':
        args.json = true;
        break;
      case '--quiet':
      case '-q':
        args.quiet = true;
        break;
      case '--debug':
        args.debug = true;
        break;
      case '--max-log-size':
        args.maxLogBytes = byteSize(flag, value as string);
        break;
      case '--no-samples':
        args.samples = false;
        break;
      case '--store':
        args.store = value as string;
        break;
      case '--runtime':
        if (value !== 'local' && value !== 'parallel' && value !== 'slurm')
          throw new UsageError(`--runtime must be local, parallel or slurm, not ${value}`);
        args.runtime = value;
        break;
      case '--max-parallel':
        args.maxParallel = positiveInt(flag, value as string);
        if (args.maxParallel > MAX_PARALLEL)
          throw new UsageError(`--max-parallel must be at most ${MAX_PARALLEL}, not ${value}`);
        break;
      case '--max-output-size':
        args.maxOutputBytes = byteSize(flag, value as string);
        break;
      case '--max-output-depth':
        args.maxOutputDepth = positiveInt(flag, value as string);
        break;
      case '--max-nodes':
        args.maxNodes = positiveInt(flag, value as string);
        break;
      case '--interval':
        args.intervalMs = positiveInt(flag, value as string);
        if (args.intervalMs < 10) throw new UsageError('--interval must be at least 10 ms');
        break;
      case '--retention':
        args.retention = positiveInt(flag, value as string);
        break;
      case '--format':
        if (value !== 'json' && value !== 'csv' && value !== 'chrome-trace') {
          throw new UsageError(`--format must be json, csv or chrome-trace, not ${value}`);
        }
        args.format = value;
        break;
      case '--redact':
        if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value as string))
          throw new UsageError(`--redact needs a variable name, not ${value}`);
        args.redact.push(value as string);
        break;
      case '-o':
      case '--output':
        args.output = value;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  const [command, target, ...rest] = positional;
  if (command === undefined) return args;
  if (!COMMANDS.has(command)) throw new UsageError(`unknown command ${command}`);
  args.command = command as Command;
  if (NEEDS_TARGET.has(args.command)) {
    if (target === undefined)
      throw new UsageError(
        `${command} needs ${command === 'run' ? 'a workflow FILE' : 'a RUN id'}`,
      );
    args.target = target;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
  } else if (target !== undefined) {
    throw new UsageError(`unexpected argument ${target}`);
  }
  if (args.command === 'export' && !args.format)
    throw new UsageError('export needs --format json|csv|chrome-trace');
  return args;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `65536`, `512K`, `64M`, `1G` (binary units; a trailing `B` or `iB` is allowed). */
export function byteSize(flag: string, value: string): number {
  const m = /^(\d+)\s*([KMG]?)(?:i?B)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? NaN) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a size such as 65536, 512K, 64M or 1G, not ${value}`);
  return n;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, not ${value}`);
  return n;
}
