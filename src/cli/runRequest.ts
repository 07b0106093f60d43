/** The runner's request for `run`'s arguments, one definition for a single run and a series. */
import * as path from 'node:path';
import type { RunRequest } from '../protocol/runner';
import type { RunSeries } from '../model/run';
import type { CliArgs } from './args';

export function runRequestFor(args: CliArgs, storeDir: string, series?: RunSeries): RunRequest {
  return {
    file: path.resolve(args.target as string),
    runtime: args.runtime,
    maxParallel: args.maxParallel,
    intervalMs: args.intervalMs,
    storeDir,
    profile: args.samples,
    retention: args.retention,
    forwardLogs: false,
    redact: args.redact,
    maxLogBytes: args.maxLogBytes,
    limits: {
      maxOutputBytes: args.maxOutputBytes,
      maxOutputDepth: args.maxOutputDepth,
      maxNodes: args.maxNodes,
    },
    ...(series ? { series } : {}),
  };
}
