/**
 * What Slurm's commands print, read into numbers and words. Pure, so every format is unit-tested
 * without a cluster.
 */
import type { RequestedResources } from '../../model/run';

/** States after which a job never runs again (squeue/scontrol `JobState`, sacct `State`). */
const TERMINAL = new Set([
  'COMPLETED',
  'FAILED',
  'TIMEOUT',
  'CANCELLED',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);
/** States in which Slurm itself killed the job for a limit it enforces. */
const LIMIT = new Set(['TIMEOUT', 'OUT_OF_MEMORY', 'DEADLINE']);

export interface JobInfo {
  jobId: string;
  state: string;
  reason: string | null;
  batchHost: string | null;
  requested: RequestedResources;
}

/** `CANCELLED by 0` and `CANCELLED+` are CANCELLED. */
export function baseState(state: string): string {
  return (state.split(/[\s+]/)[0] ?? state).toUpperCase();
}

export function isTerminal(state: string): boolean {
  return TERMINAL.has(baseState(state));
}

export function isLimitState(state: string): boolean {
  return LIMIT.has(baseState(state));
}

/** `scontrol show job -o` prints one job per line as `Key=Value` pairs. */
export function parseScontrolLine(line: string): Map<string, string> {
  const out = new Map<string, string>();
  // Values have no spaces except a few free-text fields (Reason, Comment) that we do not need
  // whole; a key starts a token of the form Key=.
  for (const token of line.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) out.set(token.slice(0, eq), token.slice(eq + 1));
  }
  return out;
}

/** `1-02:03:04`, `02:03:04`, `03:04`, `5` (minutes), `UNLIMITED` → ms, null when unlimited. */
export function parseSlurmTime(text: string): number | null {
  const t = text.trim();
  if (t === '' || /^(UNLIMITED|INFINITE|NONE|Partition_Limit)$/i.test(t)) return null;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (!m) return null;
  const days = Number(m[1] ?? 0);
  const parts = [m[2], m[3], m[4]].filter((x): x is string => x !== undefined).map(Number);
  let seconds: number;
  if (parts.length === 3) seconds = (parts[0] ?? 0) * 3600 + (parts[1] ?? 0) * 60 + (parts[2] ?? 0);
  else if (parts.length === 2)
    // `MM:SS`, or `D-HH:MM` when days are given (Slurm's own reading).
    seconds =
      m[1] !== undefined
        ? (parts[0] ?? 0) * 3600 + (parts[1] ?? 0) * 60
        : (parts[0] ?? 0) * 60 + (parts[1] ?? 0);
  else seconds = m[1] !== undefined ? (parts[0] ?? 0) * 3600 : (parts[0] ?? 0) * 60;
  return (days * 86400 + seconds) * 1000;
}

/** `1024M`, `2G`, `500K`, `1T` (Slurm's binary units; a bare number is MiB) → bytes. */
export function parseSlurmMemory(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { '': 1024 ** 2, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[
    (m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'
  ];
  return Math.round(Number(m[1]) * unit);
}

/** A job as `scontrol show job -o` describes it; null for a line that is no job. */
export function jobInfoOf(fields: Map<string, string>): JobInfo | null {
  const jobId = fields.get('JobId');
  const state = fields.get('JobState');
  if (!jobId || !state) return null;
  const cpus = Number(fields.get('NumCPUs') ?? NaN);
  // Memory is per node (MinMemoryNode) or per CPU (MinMemoryCPU) depending on how it was asked.
  const perNode = parseSlurmMemory(fields.get('MinMemoryNode') ?? '');
  const perCpu = parseSlurmMemory(fields.get('MinMemoryCPU') ?? '');
  const memoryBytes =
    perNode !== null && perNode > 0
      ? perNode
      : perCpu !== null && Number.isFinite(cpus)
        ? perCpu * cpus
        : null;
  const reason = fields.get('Reason');
  const host = fields.get('BatchHost');
  return {
    jobId,
    state,
    reason: reason && reason !== 'None' ? reason : null,
    batchHost: host && host !== '(null)' ? host : null,
    requested: {
      cpus: Number.isFinite(cpus) && cpus > 0 ? cpus : null,
      memoryBytes,
      timeLimitMs: parseSlurmTime(fields.get('TimeLimit') ?? ''),
    },
  };
}

/** Every job of `scontrol show job -o` output, by id. */
export function parseScontrolJobs(text: string): Map<string, JobInfo> {
  const out = new Map<string, JobInfo>();
  for (const line of text.split('\n')) {
    const info = jobInfoOf(parseScontrolLine(line));
    if (info) out.set(info.jobId, info);
  }
  return out;
}

/** `sacct -n -P -X -o JobID,State,Reason` lines, by id (accounting may be absent: empty). */
export function parseSacct(text: string): Map<string, { state: string; reason: string | null }> {
  const out = new Map<string, { state: string; reason: string | null }>();
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|');
    if (id && state) out.set(id, { state, reason: reason && reason !== 'None' ? reason : null });
  }
  return out;
}
