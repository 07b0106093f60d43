/**
 * Exports of one run: JSON (the record as stored), CSV (one row per TaskRun, for spreadsheets)
 * and a Chrome Trace Event Format file that Perfetto and chrome://tracing open (bars per node
 * attempt, counter tracks for CPU and memory). Pure functions of (RunRecord, Sample[]).
 */
import { metricKeysIn, TASK_METRIC_KEYS } from '../model/metrics';
import { lowerBoundsOf, type RunRecord, type Sample, type TaskRun } from '../model/run';
import { maxOfAll, taskEndMs } from './rules';

// ---- JSON

/** The run exactly as recorded, pretty-printed, with a final newline. */
export function toJson(run: RunRecord): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

// ---- CSV

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One field per RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (= + - @, and tab or CR that some strip first)
 * gets a leading `'`. Numbers are left alone: a memory delta of -1024 is data, not a formula.
 */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The TaskRun columns of the CSV, in order; `custom.<key>` columns follow. */
export const CSV_COLUMNS: readonly [string, (t: TaskRun) => CsvValue][] = [
  ['nodeId', (t) => t.nodeId],
  ['parentId', (t) => t.parentId],
  ['type', (t) => t.type],
  ['status', (t) => t.status],
  ['attempt', (t) => t.attempt],
  ['attempts', (t) => t.attempts],
  ['tags', (t) => t.tags.join(';')],
  ['needs', (t) => t.needs.join(';')],
  ['exitCode', (t) => t.exitCode],
  ['signal', (t) => t.signal],
  ['reason', (t) => t.reason],
  ['startedAt', (t) => t.startedAt],
  ['endedAt', (t) => t.endedAt],
  ['readyAtMs', (t) => t.readyAtMs],
  ['startMs', (t) => t.startMs],
  ['endMs', (t) => t.endMs],
  // Every metric of the table, in table order.
  ...TASK_METRIC_KEYS.map((k): [string, (t: TaskRun) => CsvValue] => [k, (t) => t[k]]),
  ['sampleCount', (t) => t.sampleCount],
  ['slot', (t) => t.slot],
  // Metrics whose figure is a lower bound, with why, as JSON ([] when every figure is exact).
  ['lowerBounds', (t) => JSON.stringify(lowerBoundsOf(t))],
  ['http.status', (t) => t.http?.status],
  ['http.bytes', (t) => t.http?.bytes],
  ['http.dnsMs', (t) => t.http?.dnsMs],
  ['http.connectMs', (t) => t.http?.connectMs],
  ['http.tlsMs', (t) => t.http?.tlsMs],
  ['http.firstByteMs', (t) => t.http?.firstByteMs],
  ['http.downloadMs', (t) => t.http?.downloadMs],
  ['http.totalMs', (t) => t.http?.totalMs],
];

/**
 * One row per TaskRun, retried attempts included, in recorded order. Custom metrics become
 * `custom.<key>` columns over the union of keys (sorted); a task without a key has an empty cell,
 * as has every null metric: empty means not measured, never 0. Lines end in CRLF (RFC 4180).
 */
export function toCsv(run: RunRecord): string {
  const keys = new Set<string>();
  for (const t of run.tasks) for (const k of Object.keys(t.custom)) keys.add(k);
  const customKeys = [...keys].sort();
  const header = [...CSV_COLUMNS.map(([name]) => name), ...customKeys.map((k) => `custom.${k}`)];
  const lines = [header.map(csvField).join(',')];
  for (const t of run.tasks) {
    const row: CsvValue[] = CSV_COLUMNS.map(([, get]) => get(t));
    for (const k of customKeys) {
      const v = Object.prototype.hasOwnProperty.call(t.custom, k) ? t.custom[k] : null;
      row.push(typeof v === 'number' ? v : null);
    }
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ---- Chrome / Perfetto trace

export type TraceArgs = Record<string, unknown>;

export interface TraceEvent {
  name: string;
  ph: 'X' | 'M' | 'C';
  pid: number;
  tid: number;
  /** Microseconds from the run's start. */
  ts: number;
  dur?: number;
  cat?: string;
  /** chrome://tracing reserved colour names; Perfetto ignores them. */
  cname?: string;
  args?: TraceArgs;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  metadata: TraceArgs;
}

/** The one process of the trace: the run. */
export const TRACE_PID = 1;

interface Lane {
  tid: number;
  name: string;
  /** End of the last event placed on the lane, µs. */
  endUs: number;
  sort: number;
}

interface Placed {
  task: TaskRun;
  tsUs: number;
  endUs: number;
  lane: Lane;
}

const us = (ms: number): number => Math.round(ms * 1000);

/**
 * The run as a trace. Each executed attempt is an `X` event on a lane (a thread): the lane of its
 * slot when it has one and the slot is free at that time, otherwise the first free overflow lane
 * (greedy interval partitioning), so no two events ever overlap on one lane. A nested workflow
 * has slots of its own, so it gets lanes of its own. Time queued for a slot is an `X` event of
 * category `wait` on "queued" lanes, partitioned the same way: on the slot's lane it would always
 * overlap the task that held the slot, which is why the node waited. Samples become counter
 * tracks `<node> cpu` (%) and `<node> rss` (MiB), back to 0 when the attempt ends.
 */
export function toChromeTrace(run: RunRecord, samples: readonly Sample[] = []): ChromeTrace {
  const lanes: Lane[] = [];
  const slotLanes = new Map<string, Lane>();
  const overflow = new Map<string, Lane[]>();
  const scopeRank = new Map<string | null, number>([[null, 0]]);
  const conflicts: string[] = [];
  const untimed: string[] = [];
  const fallbackEnd = run.wallMs ?? maxOfAll(samples.map((s) => s.t).filter(Number.isFinite), 0);

  const newLane = (name: string, sort: number): Lane => {
    const lane: Lane = { tid: 0, name, endUs: -Infinity, sort };
    lanes.push(lane);
    return lane;
  };
  const scopeLabel = (scope: string | null): string => (scope === null ? '' : `${scope} · `);

  const executed = run.tasks
    .filter((t) => t.startMs !== null && Number.isFinite(t.startMs))
    .map((t) => {
      const end = taskEndMs(t) ?? Math.max(t.startMs ?? 0, fallbackEnd);
      const tsUs = us(t.startMs ?? 0);
      return { task: t, tsUs, endUs: Math.max(tsUs, us(end)) };
    })
    .sort((a, b) => a.tsUs - b.tsUs || a.endUs - b.endUs);
  for (const t of run.tasks)
    if (t.startMs === null && t.status === 'running') untimed.push(t.nodeId);

  const placed: Placed[] = [];
  for (const x of executed) {
    const scope = x.task.parentId;
    if (!scopeRank.has(scope)) scopeRank.set(scope, scopeRank.size);
    const rank = (scopeRank.get(scope) ?? 0) * 1_000_000;
    let lane: Lane | undefined;
    const slot = x.task.slot;
    if (slot !== null && Number.isInteger(slot) && slot >= 0) {
      const key = `${scope ?? ''}\u0000${slot}`;
      let own = slotLanes.get(key);
      if (!own) {
        own = newLane(`${scopeLabel(scope)}slot ${slot}`, rank + slot);
        slotLanes.set(key, own);
      }
      if (own.endUs <= x.tsUs) lane = own;
      else conflicts.push(`${x.task.nodeId}#${x.task.attempt}`);
    }
    if (!lane) {
      const pool = overflow.get(scope ?? '') ?? [];
      overflow.set(scope ?? '', pool);
      lane = pool.find((l) => l.endUs <= x.tsUs);
      if (!lane) {
        lane = newLane(`${scopeLabel(scope)}lane ${pool.length + 1}`, rank + 500_000 + pool.length);
        pool.push(lane);
      }
    }
    lane.endUs = x.endUs;
    placed.push({ ...x, lane });
  }

  // Waits, on their own lanes after every slot lane.
  const waits = executed
    .filter((x) => (x.task.waitMs ?? 0) > 0 && x.task.readyAtMs !== null)
    .map((x) => ({ task: x.task, tsUs: us(x.task.readyAtMs ?? 0), endUs: x.tsUs }))
    .filter((w) => w.endUs > w.tsUs)
    .sort((a, b) => a.tsUs - b.tsUs);
  const queueLanes: Lane[] = [];
  const placedWaits: Placed[] = [];
  for (const w of waits) {
    let lane = queueLanes.find((l) => l.endUs <= w.tsUs);
    if (!lane) {
      const n = queueLanes.length + 1;
      lane = newLane(n === 1 ? 'queued for a slot' : `queued for a slot ${n}`, 1e15 + n);
      queueLanes.push(lane);
    }
    lane.endUs = w.endUs;
    placedWaits.push({ ...w, lane });
  }

  lanes.sort((a, b) => a.sort - b.sort);
  lanes.forEach((l, i) => (l.tid = i + 1));

  const events: TraceEvent[] = [
    {
      name: 'process_name',
      ph: 'M',
      pid: TRACE_PID,
      tid: 0,
      ts: 0,
      args: { name: run.workflow.name },
    },
    { name: 'process_sort_index', ph: 'M', pid: TRACE_PID, tid: 0, ts: 0, args: { sort_index: 0 } },
  ];
  for (const l of lanes) {
    events.push(
      { name: 'thread_name', ph: 'M', pid: TRACE_PID, tid: l.tid, ts: 0, args: { name: l.name } },
      {
        name: 'thread_sort_index',
        ph: 'M',
        pid: TRACE_PID,
        tid: l.tid,
        ts: 0,
        args: { sort_index: l.tid },
      },
    );
  }

  const body: TraceEvent[] = [];
  const laneOf = new Map<string, number>();
  for (const p of placed) {
    const t = p.task;
    laneOf.set(`${t.attempt}\u0000${t.nodeId}`, p.lane.tid);
    const ev: TraceEvent = {
      name:
        t.attempts > 1 || t.status === 'retried' ? `${t.nodeId} (attempt ${t.attempt})` : t.nodeId,
      cat: t.type,
      ph: 'X',
      pid: TRACE_PID,
      tid: p.lane.tid,
      ts: p.tsUs,
      dur: p.endUs - p.tsUs,
      args: taskArgs(t),
    };
    const cname = STATUS_COLOUR[t.status];
    if (cname) ev.cname = cname;
    body.push(ev);
  }
  for (const w of placedWaits) {
    body.push({
      name: `${w.task.nodeId} queued`,
      cat: 'wait',
      ph: 'X',
      pid: TRACE_PID,
      tid: w.lane.tid,
      ts: w.tsUs,
      dur: w.endUs - w.tsUs,
      cname: 'grey',
      args: { nodeId: w.task.nodeId, attempt: w.task.attempt, waitMs: w.task.waitMs },
    });
  }
  for (const c of counters(run, samples, laneOf)) body.push(c);
  // Stable by time; at one instant, longer slices first (the viewers' nesting order).
  body.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  return {
    traceEvents: [...events, ...body],
    displayTimeUnit: 'ms',
    metadata: {
      'workflow-profiler': 1,
      workflow: run.workflow.name,
      workflowFile: run.workflow.file,
      runId: run.id,
      status: run.status,
      runtime: run.runtime,
      maxParallel: run.maxParallel,
      startedAt: run.startedAt,
      wallMs: run.wallMs,
      collector: {
        mode: run.collector.mode,
        platform: run.collector.platform,
        intervalMs: run.collector.intervalMs,
      },
      clock: 'ts is microseconds since the run started, on the runner monotonic clock',
      // Attempts whose recorded slot was already busy at their start: drawn on an overflow lane.
      slotConflicts: conflicts,
      // Attempts still running with no start recorded: not drawn.
      untimed,
    },
  };
}

/** The metrics each trace slice carries as arguments, in table order. */
export const TRACE_ARG_METRICS = metricKeysIn('trace');

const STATUS_COLOUR: Partial<Record<TaskRun['status'], string>> = {
  failed: 'terrible',
  retried: 'bad',
  cancelled: 'grey',
  running: 'yellow',
};

function taskArgs(t: TaskRun): TraceArgs {
  const args: TraceArgs = {
    nodeId: t.nodeId,
    type: t.type,
    status: t.status,
    attempt: t.attempt,
    attempts: t.attempts,
  };
  for (const k of TRACE_ARG_METRICS) args[k] = t[k];
  if (t.parentId !== null) args['parentId'] = t.parentId;
  if (t.slot !== null) args['slot'] = t.slot;
  if (t.reason !== null) args['reason'] = t.reason;
  if (t.exitCode !== null) args['exitCode'] = t.exitCode;
  if (t.signal !== null) args['signal'] = t.signal;
  if (t.tags.length > 0) args['tags'] = t.tags;
  if (t.needs.length > 0) args['needs'] = t.needs;
  if (t.http) args['http'] = t.http;
  if (Object.keys(t.custom).length > 0) args['custom'] = t.custom;
  return args;
}

function counters(
  run: RunRecord,
  samples: readonly Sample[],
  laneOf: Map<string, number>,
): TraceEvent[] {
  const out: TraceEvent[] = [];
  const last = new Map<string, Sample>();
  const sorted = [...samples].filter((s) => Number.isFinite(s.t)).sort((a, b) => a.t - b.t);
  for (const s of sorted) {
    const key = `${s.attempt}\u0000${s.nodeId}`;
    const tid = laneOf.get(key) ?? 0;
    if (s.cpuPercent !== null) {
      out.push(counter(`${s.nodeId} cpu`, '%', s.t, s.cpuPercent, tid));
    }
    if (s.rssBytes !== null) {
      out.push(counter(`${s.nodeId} rss`, 'MiB', s.t, round3(s.rssBytes / (1024 * 1024)), tid));
    }
    last.set(key, s);
  }
  // The process tree is gone when the attempt ends: that is a true 0, not a missing value.
  const ends = new Map<string, number>();
  for (const t of run.tasks) {
    const e = taskEndMs(t);
    if (e !== null) ends.set(`${t.attempt}\u0000${t.nodeId}`, e);
  }
  for (const [key, s] of last) {
    const end = ends.get(key);
    if (end === undefined || end < s.t) continue;
    const tid = laneOf.get(key) ?? 0;
    if (s.cpuPercent !== null) out.push(counter(`${s.nodeId} cpu`, '%', end, 0, tid));
    if (s.rssBytes !== null) out.push(counter(`${s.nodeId} rss`, 'MiB', end, 0, tid));
  }
  return out;
}

function counter(name: string, unit: string, tMs: number, value: number, tid: number): TraceEvent {
  return {
    name,
    ph: 'C',
    pid: TRACE_PID,
    tid,
    ts: us(tMs),
    cat: 'counter',
    args: { [unit]: value },
  };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
