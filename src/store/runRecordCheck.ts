/**
 * Shape checks for data read back from disk (run.json, samples.ndjson). Files can be damaged,
 * hand-edited or written by another version, so nothing read is trusted to match the types; a
 * check names the first thing that is wrong so a warning can say it.
 */
import type { RunRecord, RunStatus, Sample, TaskStatus } from '../model/run';
import { checkMachineContext } from '../model/machine';
import { isMemoryForecast } from '../model/memoryForecast';

export const RUN_STATUSES: readonly RunStatus[] = [
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
];
export const TASK_STATUSES: readonly TaskStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
  'retried',
];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v);

export function isRunStatus(v: unknown): v is RunStatus {
  return RUN_STATUSES.includes(v as RunStatus);
}
export function isTaskStatus(v: unknown): v is TaskStatus {
  return TASK_STATUSES.includes(v as TaskStatus);
}

/**
 * Null when `value` has the shape of a RunRecord, else what is wrong. Checks what the store and
 * the views rely on (identity, status, timing, workflow, runner, the tasks' ids and statuses);
 * metric fields are left to their readers, which already treat them as nullable.
 */
export function checkRunRecord(value: unknown): string | null {
  if (!isObj(value)) return 'not a JSON object';
  if (value.schemaVersion !== 1) {
    return `unsupported schemaVersion ${JSON.stringify(value.schemaVersion)} (expected 1)`;
  }
  if (!isStr(value.id) || value.id === '') return 'missing "id"';
  if (!isRunStatus(value.status)) return `unknown status ${JSON.stringify(value.status)}`;
  if (!isStr(value.startedAt)) return 'missing "startedAt"';
  if (!isStrOrNull(value.endedAt)) return '"endedAt" is not a string or null';
  if (!isNumOrNull(value.wallMs)) return '"wallMs" is not a number or null';
  const wf = value.workflow;
  if (!isObj(wf) || !isStr(wf.name) || !isStr(wf.file) || !isStr(wf.hash)) {
    return '"workflow" needs string "name", "file" and "hash"';
  }
  const runner = value.runner;
  if (
    !isObj(runner) ||
    !Number.isSafeInteger(runner.pid) ||
    (runner.pid as number) <= 0 ||
    !isStr(runner.host) ||
    !isNumOrNull(runner.startedAtTicks)
  ) {
    return '"runner" needs a positive integer "pid", a string "host" and "startedAtTicks"';
  }
  const series = value.series;
  // Absent in files written before series existed: that reads as a plain run.
  if (
    series !== undefined &&
    series !== null &&
    (!isObj(series) ||
      !isStr(series.id) ||
      !Number.isSafeInteger(series.index) ||
      typeof series.warmup !== 'boolean')
  ) {
    return '"series" needs a string "id", an integer "index" and a boolean "warmup", or null';
  }
  // Absent in files written before the machine context existed: that reads as "not recorded".
  if (value.machine !== undefined) {
    const wrong = checkMachineContext(value.machine);
    if (wrong !== null) return wrong;
  }
  const forecast = value.memoryForecast;
  // Absent in files written before forecasts existed: that reads as "no forecast".
  if (forecast !== undefined && forecast !== null && !isMemoryForecast(forecast)) {
    return '"memoryForecast" needs numbers or null "peakRssBytes" and "limitBytes", a string "basedOnRunId" and a positive integer "maxParallel", or null';
  }
  if (!Array.isArray(value.tasks)) return '"tasks" is not an array';
  for (let i = 0; i < value.tasks.length; i++) {
    const t: unknown = value.tasks[i];
    if (!isObj(t) || !isStr(t.nodeId)) return `tasks[${i}] has no "nodeId"`;
    if (!isTaskStatus(t.status)) {
      return `tasks[${i}] (${t.nodeId}) has unknown status ${JSON.stringify(t.status)}`;
    }
  }
  return null;
}

/** Narrowing wrapper around checkRunRecord. */
export function isRunRecord(value: unknown): value is RunRecord {
  return checkRunRecord(value) === null;
}

/**
 * A Sample from one parsed line of samples.ndjson, or null when the line is not one. Nullable
 * metrics that are absent (JSON drops `undefined`) read as null, the store's "not measured".
 */
export function toSample(value: unknown): Sample | null {
  if (!isObj(value) || !isStr(value.nodeId) || !isNum(value.attempt) || !isNum(value.t)) {
    return null;
  }
  if (!isNum(value.processes)) return null;
  const metric = (v: unknown): number | null | undefined =>
    v === undefined || v === null ? null : isNum(v) ? v : undefined;
  const cpuPercent = metric(value.cpuPercent);
  const rssBytes = metric(value.rssBytes);
  const threads = metric(value.threads);
  const readBytesPerSec = metric(value.readBytesPerSec);
  const writeBytesPerSec = metric(value.writeBytesPerSec);
  if (
    cpuPercent === undefined ||
    rssBytes === undefined ||
    threads === undefined ||
    readBytesPerSec === undefined ||
    writeBytesPerSec === undefined
  ) {
    return null;
  }
  return {
    nodeId: value.nodeId,
    attempt: value.attempt,
    t: value.t,
    cpuPercent,
    rssBytes,
    threads,
    processes: value.processes,
    readBytesPerSec,
    writeBytesPerSec,
  };
}
