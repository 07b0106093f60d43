/**
 * Requested against used, per Slurm job: what a node asked of the cluster (what Slurm granted,
 * recorded in TaskRun.slurm.requested) set against what the reaper measured on the compute node.
 * Pure: a function of the stored run, so the report, the dashboard and tests agree.
 */
import { placementOf, type RunRecord } from '../../model/run';

/** Below this share of what it asked for, a node over-requested. */
export const UNDER_USE = 0.25;
/** Within this share of a limit, a node is close to being killed by it. */
export const NEAR_LIMIT = 0.9;

export interface EfficiencyRow {
  nodeId: string;
  attempt: number;
  jobId: string;
  host: string | null;
  /** CPU time ÷ (cpus granted × duration); null where either is unknown. */
  cpuEfficiency: number | null;
  /** Peak RSS ÷ memory granted. */
  memoryEfficiency: number | null;
  /** Duration ÷ time limit; null when unlimited. */
  timeUsed: number | null;
  /** Cores held but idle, in core-hours: cpus × duration − CPU time. */
  idleCoreHours: number | null;
  /** Submit to start, ms (Slurm's queue); run time is durationMs. */
  queueMs: number | null;
  durationMs: number | null;
  flags: string[];
}

const HOUR_MS = 3_600_000;

function ratio(used: number | null, of: number | null | undefined): number | null {
  return used === null || of === null || of === undefined || of <= 0 ? null : used / of;
}

const pct = (v: number): string => `${Math.round(v * 100)} %`;

/** One row per attempt that ran as a Slurm job, in task order. */
export function slurmEfficiency(run: Pick<RunRecord, 'tasks'>): EfficiencyRow[] {
  const rows: EfficiencyRow[] = [];
  for (const t of run.tasks) {
    const p = placementOf(t);
    if (!p) continue;
    const cpus = p.requested?.cpus ?? null;
    const held = cpus !== null && t.durationMs !== null ? cpus * t.durationMs : null;
    const cpuEfficiency = ratio(t.cpuTimeMs, held);
    const memoryEfficiency = ratio(t.peakRssBytes, p.requested?.memoryBytes);
    const timeUsed = ratio(t.durationMs, p.requested?.timeLimitMs);
    const flags: string[] = [];
    if (cpuEfficiency !== null && cpuEfficiency < UNDER_USE)
      flags.push(`CPU over-requested: used ${pct(cpuEfficiency)} of ${cpus ?? '?'} cpus`);
    if (memoryEfficiency !== null && memoryEfficiency < UNDER_USE)
      flags.push(`memory over-requested: peak is ${pct(memoryEfficiency)} of the request`);
    if (memoryEfficiency !== null && memoryEfficiency >= NEAR_LIMIT)
      flags.push(`near its memory limit: ${pct(memoryEfficiency)}`);
    if (timeUsed !== null && timeUsed >= NEAR_LIMIT)
      flags.push(`near its time limit: ${pct(timeUsed)}`);
    rows.push({
      nodeId: t.nodeId,
      attempt: t.attempt,
      jobId: p.jobId,
      host: p.host,
      cpuEfficiency,
      memoryEfficiency,
      timeUsed,
      idleCoreHours:
        held !== null && t.cpuTimeMs !== null ? Math.max(0, held - t.cpuTimeMs) / HOUR_MS : null,
      queueMs: t.slurmQueueMs,
      durationMs: t.durationMs,
      flags,
    });
  }
  return rows;
}

/** Core-hours the over-requesting nodes would give back with requests fitted to their use. */
export function savingCoreHours(rows: readonly EfficiencyRow[]): number | null {
  const idle = rows
    .filter((r) => r.cpuEfficiency !== null && r.cpuEfficiency < UNDER_USE)
    .map((r) => r.idleCoreHours);
  if (idle.some((v) => v === null) || idle.length === 0) return idle.length === 0 ? 0 : null;
  return idle.reduce<number>((s, v) => s + (v ?? 0), 0);
}
