/**
 * One node attempt as a Slurm job: the sbatch arguments from the workflow's `slurm:` block and the
 * node's `resources:`, and the batch script that runs the node's command under our reaper on the
 * compute node. Pure: the files are written by the caller.
 */
import type { NodeResources, SlurmDefaults } from '../../workflow/types';
import type { RequestedResources } from '../../model/run';

/** The files of one job, all in the run folder (which the compute nodes must see). */
export interface JobFiles {
  script: string;
  /** The command's stdout and stderr, as the job writes them. */
  stdout: string;
  stderr: string;
  /** `{"host":…,"startEpochNs":…}`, written by the script before the command starts. */
  start: string;
  /** The reaper's result (exact totals of the tree). */
  result: string;
  /** The reaper's sampled series of the tree, one JSON line per sample (see jobSamples.ts). */
  samples: string;
}

export interface JobCommand {
  /** The reaper in the run folder, or null to run the command bare (no exact totals). */
  reaper: string | null;
  graceMs: number;
  /** How often the reaper samples the tree on the compute node; null: no series. */
  sampleIntervalMs: number | null;
  file: string;
  args: string[];
}

/** Slurm enforces whole minutes: `--time` is rounded up, and that is the limit we record. */
export function slurmMinutes(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

export function sbatchArgs(
  defaults: SlurmDefaults | null,
  res: NodeResources | undefined,
  jobName: string,
  cwd: string,
  files: JobFiles,
): string[] {
  const args = [
    '--parsable',
    `--job-name=${jobName}`,
    `--chdir=${cwd}`,
    `--output=${files.stdout}`,
    `--error=${files.stderr}`,
    // The node's environment is the one sbatch is started with (ours, built for this node).
    '--export=ALL',
  ];
  const partition = res?.partition ?? defaults?.partition;
  if (partition) args.push(`--partition=${partition}`);
  if (defaults?.account) args.push(`--account=${defaults.account}`);
  if (defaults?.qos) args.push(`--qos=${defaults.qos}`);
  const timeMs = res?.timeMs ?? defaults?.timeMs;
  if (timeMs !== undefined) args.push(`--time=${slurmMinutes(timeMs)}`);
  if (res?.cpus !== undefined) args.push(`--cpus-per-task=${res.cpus}`);
  // --mem takes MiB without a unit; round up so the job gets at least what was asked.
  if (res?.memoryBytes !== undefined) args.push(`--mem=${Math.ceil(res.memoryBytes / 1024 ** 2)}M`);
  if (res?.gpus !== undefined && res.gpus > 0) args.push(`--gpus=${res.gpus}`);
  args.push(...(defaults?.extraArgs ?? []), files.script);
  return args;
}

/** What we asked for: the fallback when Slurm cannot be asked what it granted. */
export function askedFor(
  defaults: SlurmDefaults | null,
  res: NodeResources | undefined,
): RequestedResources {
  const timeMs = res?.timeMs ?? defaults?.timeMs;
  return {
    cpus: res?.cpus ?? null,
    memoryBytes: res?.memoryBytes ?? null,
    timeLimitMs: timeMs === undefined ? null : slurmMinutes(timeMs) * 60_000,
  };
}

/** POSIX shell single quoting. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The batch script. It records where and when it started (the wall clock: the compute node's
 * monotonic clock means nothing to the runner), then execs the reaper, so the job's only process
 * tree is the node's, reaped and measured exactly, and killed whole when Slurm signals the job.
 */
export function batchScript(files: JobFiles, cmd: JobCommand): string {
  const command = [cmd.file, ...cmd.args].map(shQuote).join(' ');
  const sampling =
    cmd.sampleIntervalMs === null
      ? ''
      : ` --samples ${shQuote(files.samples)} --interval-ms ${Math.max(1, Math.round(cmd.sampleIntervalMs))}`;
  const run = cmd.reaper
    ? `exec ${shQuote(cmd.reaper)} --result ${shQuote(files.result)} --grace-ms ${Math.round(cmd.graceMs)}${sampling} -- ${command}`
    : `exec ${command}`;
  const start = shQuote(files.start);
  return [
    '#!/bin/sh',
    '# Written by Workflow Profiler for one node attempt (runtime slurm).',
    `printf '{"host":"%s","startEpochNs":%s}\\n' "$(hostname)" "$(date +%s%N)" > ${shQuote(`${files.start}.tmp`)}`,
    `mv ${shQuote(`${files.start}.tmp`)} ${start}`,
    run,
    '',
  ].join('\n');
}

/** The start file's content, or null when it is missing or malformed. */
export function parseStart(text: string): { host: string; startEpochMs: number } | null {
  try {
    const v = JSON.parse(text) as { host?: unknown; startEpochNs?: unknown };
    if (typeof v.host !== 'string' || typeof v.startEpochNs !== 'number') return null;
    return { host: v.host, startEpochMs: v.startEpochNs / 1e6 };
  } catch {
    return null;
  }
}
