/**
 * One node attempt as one Slurm job: write its batch script, submit it, follow it to its end,
 * and turn what the job left in the run folder (the reaper's exact totals and sampled series,
 * where and when it started, its output) into the same ProcessOutcome a local process gives, plus
 * its placement and its Samples on the run's time base.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monoMs } from '../../model/clock';
import type { LowerBound, RequestedResources, Sample, SlurmPlacement } from '../../model/run';
import type { NodeResources, SlurmDefaults } from '../../workflow/types';
import type { ProcessOutcome } from '../../measure/processTypes';
import { emptyTreeStats, type TreeStats } from '../../measure/treeStats';
import { sampledMetrics } from '../../measure/pidusageFallback';
import { DEFAULT_GRACE_MS, errnoName, signalName, takeReaperResult } from '../../measure/reaper';
import { reaperBounds, reaperMetrics } from '../processRunner';
import { askedFor, batchScript, parseStart, sbatchArgs, type JobFiles } from './batchScript';
import { baseState, isLimitState, parseScontrolLine, jobInfoOf, type JobInfo } from './jobState';
import { slurmCommand } from './slurmCommands';
import { readJobSeries, type ReadSeries } from './jobSamples';
import type { SlurmSession } from './slurmSession';

export interface SlurmJobSpec {
  session: SlurmSession;
  defaults: SlurmDefaults | null;
  resources: NodeResources | undefined;
  runId: string;
  nodeId: string;
  attempt: number;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number | undefined;
  /** How often the reaper samples the tree on the compute node; null: no series. */
  sampleIntervalMs: number | null;
  signal: AbortSignal;
  originMono: number;
  originEpochMs: number;
  onStdout: (chunk: Buffer) => void;
  onStderr: (chunk: Buffer) => void;
}

export interface SlurmAttempt {
  outcome: ProcessOutcome;
  placement: SlurmPlacement | null;
  /** Slurm killed the job for a limit it enforces: why, in words; null otherwise. */
  limit: string | null;
  /** Submit to start, ms; null when the job never started. */
  queueMs: number | null;
  /** The series sampled on the compute node, on the run's time base; [] when there is none. */
  samples: Sample[];
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
let jobCounter = 0;

function filesFor(dir: string, nodeId: string, attempt: number): JobFiles {
  jobCounter += 1;
  // Node ids of nested workflows hold `/`; a counter keeps two similar ids apart.
  const base = path.join(dir, `${nodeId.replace(/[^A-Za-z0-9_-]/g, '_')}.${attempt}.${jobCounter}`);
  return {
    script: `${base}.sh`,
    stdout: `${base}.out`,
    stderr: `${base}.err`,
    start: `${base}.start.json`,
    result: `${base}.result.json`,
    samples: `${base}.samples.ndjson`,
  };
}

/** Copies a file into a callback in pieces: a node's output is never held whole. */
function streamFile(file: string, to: (chunk: Buffer) => void): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf))
      to(Buffer.from(buf.subarray(0, n)));
  } finally {
    fs.closeSync(fd);
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export async function runSlurmJob(spec: SlurmJobSpec): Promise<SlurmAttempt> {
  const { session } = spec;
  const files = filesFor(session.dir, spec.nodeId, spec.attempt);
  fs.writeFileSync(
    files.script,
    batchScript(files, {
      reaper: session.reaper,
      graceMs: DEFAULT_GRACE_MS,
      // Only the reaper samples: without it there is no one on the compute node to do it.
      sampleIntervalMs: session.reaper ? spec.sampleIntervalMs : null,
      file: spec.file,
      args: spec.args,
    }),
    { mode: 0o755 },
  );
  const jobName = `wp-${spec.runId}-${spec.nodeId}`.slice(0, 120);
  const args = sbatchArgs(spec.defaults, spec.resources, jobName, spec.cwd, files);
  const submitMono = monoMs();
  const sub = await session.submit(args, spec.env);
  const submittedMono = monoMs();
  if ('error' in sub) {
    return {
      outcome: unstarted(submitMono, submittedMono, `sbatch refused the job: ${sub.error}`),
      placement: null,
      limit: null,
      queueMs: null,
      samples: [],
    };
  }
  const jobId = sub.jobId;
  const submittedAtMs = round3(submittedMono - spec.originMono);
  const requested = await grantedResources(jobId, spec);

  let cancelled = false;
  let timedOut = false;
  let timer: NodeJS.Timeout | null = null;
  const onAbort = (): void => {
    cancelled = true;
    void session.cancel([jobId]);
  };
  spec.signal.addEventListener('abort', onAbort);
  if (spec.signal.aborted) onAbort();
  const onChange = (info: JobInfo): void => {
    // The node's own `timeout` runs from the job's start, not its submission.
    if (timer || spec.timeoutMs === undefined || baseState(info.state) !== 'RUNNING') return;
    timer = setTimeout(() => {
      timedOut = true;
      void session.cancel([jobId]);
    }, spec.timeoutMs);
  };
  const end = await session.wait(jobId, onChange);
  spec.signal.removeEventListener('abort', onAbort);
  if (timer) clearTimeout(timer);
  const endSeenMono = monoMs();

  const start = parseStart(readText(files.start) ?? '');
  streamFile(files.stdout, spec.onStdout);
  streamFile(files.stderr, spec.onStderr);
  const placement: SlurmPlacement = {
    jobId,
    host: start?.host ?? end.info?.batchHost ?? null,
    requested,
    submittedAt: new Date(spec.originEpochMs + submittedAtMs).toISOString(),
    submittedAtMs,
    state: end.state,
    slurmReason: end.reason,
  };
  const state = end.state ? baseState(end.state) : null;
  const limit =
    state !== null && isLimitState(state)
      ? `Slurm ended job ${jobId}: ${state}${end.reason ? ` (${end.reason})` : ''}${limitWords(state, requested)}`
      : null;

  // The script's wall clock: the compute node's monotonic clock means nothing here.
  const startMono = start
    ? spec.originMono + (start.startEpochMs - spec.originEpochMs)
    : endSeenMono;
  const outcome: ProcessOutcome = {
    exitCode: null,
    signal: null,
    timedOut,
    cancelled: cancelled && !timedOut,
    spawnError: null,
    startMono,
    endMono: start ? endSeenMono : startMono,
    metrics: sampledMetrics(emptyTreeStats(), start ? round3(endSeenMono - startMono) : null),
    lowerBounds: [],
  };
  const { result, problem } = takeReaperResult(files.result);
  const series =
    session.reaper && spec.sampleIntervalMs !== null && start
      ? readJobSeries(
          files.samples,
          {
            nodeId: spec.nodeId,
            attempt: spec.attempt,
            originEpochMs: spec.originEpochMs,
            startEpochMs: start.startEpochMs,
            intervalMs: spec.sampleIntervalMs,
          },
          result !== null,
        )
      : null;
  if (series) {
    placement.samplesNote = series.note;
    // Merged into the run's samples by the caller: one copy of the series is enough.
    fs.rmSync(files.samples, { force: true });
  }
  const stats: TreeStats = series?.stats ?? emptyTreeStats();
  if (result) {
    outcome.endMono = startMono + (result.endNs - result.startNs) / 1e6;
    if (result.execErrno !== null) {
      outcome.spawnError = `spawn ${spec.file} ${errnoName(result.execErrno)}`;
    } else {
      outcome.exitCode = result.exitCode;
      outcome.signal = result.signal !== null ? signalName(result.signal) : null;
      outcome.metrics = reaperMetrics(result, stats, null);
      outcome.lowerBounds = reaperBounds(result, stats, null, outcome.metrics);
    }
  } else if (start) {
    outcome.metrics = sampledMetrics(stats, outcome.metrics.durationMs);
    outcome.lowerBounds = seriesBounds(series);
    spec.onStderr(
      Buffer.from(
        `workflow-profiler: no exact totals from the compute node (${problem ?? 'unknown'}); only the duration is known, from the runner's polling\n`,
      ),
    );
  }
  if (!start && !cancelled && !limit) {
    outcome.spawnError = `Slurm job ${jobId} ended ${state ?? 'unseen'}${end.reason ? ` (${end.reason})` : ''} before its script started`;
  } else if (!result && start && !cancelled && !limit && state !== 'COMPLETED') {
    outcome.signal = state === 'CANCELLED' ? 'SIGTERM' : null;
  }
  return {
    outcome,
    placement,
    limit,
    queueMs: start ? round3(startMono - submittedMono) : null,
    samples: series?.samples ?? [],
  };
}

/**
 * Without the reaper's result, what the series shows of the tree is all there is: at least what
 * was sampled, never the tree's whole figure.
 */
function seriesBounds(series: ReadSeries | null): LowerBound[] {
  if (!series || series.stats.sampleCount === 0) return [];
  const reason =
    "sampled on the compute node; the reaper's exact totals were lost with the job, and whatever happened after the last sample is missed";
  return (['peakRssBytes', 'peakThreads'] as const).map((metric) => ({ metric, reason }));
}

function limitWords(state: string, requested: RequestedResources | null): string {
  if (state === 'TIMEOUT' && requested?.timeLimitMs != null)
    return `; its time limit was ${requested.timeLimitMs / 60_000} min`;
  if (state === 'OUT_OF_MEMORY' && requested?.memoryBytes != null)
    return `; its memory limit was ${Math.round(requested.memoryBytes / 1024 ** 2)} MiB`;
  return '';
}

/** What Slurm granted (it fills in defaults such as DefMemPerCPU), else what was asked. */
async function grantedResources(jobId: string, spec: SlurmJobSpec): Promise<RequestedResources> {
  const r = await slurmCommand('scontrol', ['show', 'job', '-o', jobId], spec.env);
  const info = r.ok ? jobInfoOf(parseScontrolLine(r.stdout.split('\n')[0] ?? '')) : null;
  return info?.requested ?? askedFor(spec.defaults, spec.resources);
}

function unstarted(startMono: number, endMono: number, message: string): ProcessOutcome {
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    spawnError: message,
    startMono,
    endMono,
    metrics: sampledMetrics(emptyTreeStats(), null),
    lowerBounds: [],
  };
}
