/**
 * The series the reaper samples on a compute node (`--samples`, native/reaper.c take_sample),
 * read back when the job ends: each complete line becomes the project's Sample for that node
 * attempt on the run's time base, and the series' statistics feed the same TaskRun figures a
 * local run's sampler feeds (summed peak, memory delta, peak threads, sample count). Pure but for
 * reading the file, so the parser and the conversion are unit-tested without a cluster.
 */
import * as fs from 'node:fs';
import type { CollectorInfo, Sample } from '../../model/run';
import { emptyTreeStats, type TreeStats } from '../../measure/treeStats';

/**
 * Coarsest the compute node is sampled at: the reaper scans all of /proc for the tree each time,
 * on a machine that may be shared, and the series crosses shared storage.
 */
export const SLURM_SAMPLE_FLOOR_MS = 100;

/** One line as the reaper writes it. */
export interface JobSamplePoint {
  /** The compute node's wall clock, ms since the epoch. */
  t: number;
  /** The tree's CPU time so far, ms (cumulative). */
  cpuMs: number;
  rssBytes: number;
  threads: number;
  processes: number;
  /** Storage-layer bytes so far (cumulative); null where a process's io was unreadable. */
  readBytes: number | null;
  writeBytes: number | null;
}

export interface ParsedJobSamples {
  points: JobSamplePoint[];
  /** Complete lines that were not a sample (damaged storage): left out. */
  skipped: number;
  /** The last line was cut short (the job was killed mid-write): left out. */
  tornTail: boolean;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCountOrNull = (v: unknown): v is number | null => v === null || isCount(v);
// Net of cancelled writes, so a reading may dip below zero for a moment: a number, not a count.
const isNumberOrNull = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isFinite(v));

function pointOf(line: string): JobSamplePoint | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const { t, cpuMs, rssBytes, threads, processes, readBytes, writeBytes } = o;
  if (!isCount(t) || !isCount(cpuMs) || !isCount(rssBytes) || !isCount(threads)) return null;
  if (!isCount(processes) || !isCountOrNull(readBytes) || !isNumberOrNull(writeBytes)) return null;
  return { t, cpuMs, rssBytes, threads, processes, readBytes, writeBytes };
}

/** Every complete sample of the file's text; a torn last line and damaged lines are counted. */
export function parseJobSamples(text: string): ParsedJobSamples {
  const out: ParsedJobSamples = { points: [], skipped: 0, tornTail: false };
  const lines = text.split('\n');
  // After the last newline: empty when the file ends whole.
  const tail = lines.pop() ?? '';
  for (const line of lines) {
    if (line.trim() === '') continue;
    const p = pointOf(line);
    if (p) out.points.push(p);
    else out.skipped += 1;
  }
  if (tail.trim() !== '') {
    const p = pointOf(tail);
    if (p) out.points.push(p);
    else out.tornTail = true;
  }
  return out;
}

export interface SeriesContext {
  nodeId: string;
  attempt: number;
  /** The run's origin on the wall clock: samples' `t` become offsets from it. */
  originEpochMs: number;
  /** When the job's script started (its wall clock), where the tree's counters were zero. */
  startEpochMs: number | null;
  intervalMs: number;
}

export interface JobSeries {
  samples: Sample[];
  stats: TreeStats;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * The node attempt's Samples and statistics. CPU % and I/O rates come from the growth of the
 * cumulative counters, each kept at its running maximum (a process exiting between two samples
 * makes one reading low, never high), over windows of at least half an interval, as locally.
 */
export function toRunSeries(points: readonly JobSamplePoint[], ctx: SeriesContext): JobSeries {
  const stats = emptyTreeStats();
  const samples: Sample[] = [];
  const minWindowMs = ctx.intervalMs / 2;
  // The window's start: the job's start, when the tree had used nothing yet.
  let from: { t: number; cpu: number; read: number; write: number } | null =
    ctx.startEpochMs === null ? null : { t: ctx.startEpochMs, cpu: 0, read: 0, write: 0 };
  let cpu = 0;
  let read = 0;
  let write = 0;
  for (const p of points) {
    cpu = Math.max(cpu, p.cpuMs);
    if (p.readBytes !== null) read = Math.max(read, p.readBytes);
    if (p.writeBytes !== null) write = Math.max(write, p.writeBytes);
    const dt = from === null ? 0 : p.t - from.t;
    const rated = from !== null && dt >= minWindowMs;
    const ioKnown = p.readBytes !== null && p.writeBytes !== null;
    samples.push({
      nodeId: ctx.nodeId,
      attempt: ctx.attempt,
      t: round3(p.t - ctx.originEpochMs),
      cpuPercent: rated && from ? round1(((cpu - from.cpu) / dt) * 100) : null,
      rssBytes: p.rssBytes,
      threads: p.threads,
      processes: p.processes,
      readBytesPerSec:
        rated && from && ioKnown ? Math.round(((read - from.read) / dt) * 1000) : null,
      writeBytesPerSec:
        rated && from && ioKnown ? Math.round((Math.max(0, write - from.write) / dt) * 1000) : null,
    });
    if (from === null || rated) from = { t: p.t, cpu, read, write };
    stats.sampleCount += 1;
    stats.peakRssBytes = Math.max(stats.peakRssBytes ?? 0, p.rssBytes);
    stats.firstRssBytes ??= p.rssBytes;
    stats.lastRssBytes = p.rssBytes;
    stats.peakThreads = Math.max(stats.peakThreads ?? 0, p.threads);
  }
  return { samples, stats };
}

export interface ReadSeries extends JobSeries {
  /** Why the series is shorter than the job (a missing file, a cut), in words; null when whole. */
  note: string | null;
}

/**
 * Reads the job's samples file (the caller removes it once the series is merged). `resultSeen`:
 * the reaper wrote its result, so it also flushed the series to its end; without it the job was
 * killed and the series stops at the reaper's last write.
 */
export function readJobSeries(file: string, ctx: SeriesContext, resultSeen: boolean): ReadSeries {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      ...toRunSeries([], ctx),
      note: resultSeen
        ? `no samples file from the compute node (${code}): the reaper could not create it, see the node's log`
        : `no samples file from the compute node (${code}): the job ended before the reaper wrote one`,
    };
  }
  const parsed = parseJobSamples(text);
  const series = toRunSeries(parsed.points, ctx);
  const problems: string[] = [];
  if (!resultSeen)
    problems.push(
      'the job was killed before the reaper finished: the series stops at its last write (it writes about once a second)',
    );
  if (parsed.tornTail) problems.push('its last line was cut short and left out');
  if (parsed.skipped > 0) problems.push(`${parsed.skipped} damaged line(s) were left out`);
  return {
    ...series,
    note: problems.length === 0 ? null : `${series.samples.length} samples: ${problems.join('; ')}`,
  };
}

/**
 * The collector's description of how a slurm run's series was taken: not by the runner's /proc
 * sampler (it sees no compute node) but by the reaper there. Unchanged without the reaper (then
 * Slurm jobs have no series, and the collector's own words are what there is).
 */
export function withSlurmSampleSource(info: CollectorInfo): CollectorInfo {
  if (info.reaper?.used !== true) return info;
  const every = Math.max(SLURM_SAMPLE_FLOOR_MS, info.intervalMs);
  const source = `runtime slurm: wp-reaper on the compute node every ${every} ms (the run's interval, at least ${SLURM_SAMPLE_FLOOR_MS} ms): its live descendants from a scan of /proc (stat: CPU incl. reaped children, threads, resident memory; io) plus what it has reaped (RUSAGE_CHILDREN, /proc/self/io), one ndjson line per sample in the run folder, merged into the run's samples when the job ends; CPU % from the growth of the tree's cumulative CPU time`;
  return {
    ...info,
    sources: info.sources.map((s) => (s.metric === 'samples' ? { ...s, source } : s)),
  };
}
