/**
 * One run from start to finish: validate, create the run folder, sample, execute, write the
 * report, apply retention. Independent of IPC, so the runner process and tests share it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetricsCollector } from '../measure/metricsCollector';
import { RunStore } from '../store/runStore';
import { writeFileAtomic } from '../store/atomicWrite';
import { JOURNAL_FILE } from '../store/taskJournal';
import { describeWriteFault, isStorageFault } from '../store/writeFault';
import { newRunId } from '../store/runId';
import type { RunRecord, Sample, TaskRun } from '../model/run';
import type { WorkflowDef } from '../workflow/types';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_DEPTH } from '../workflow/limits';
import { monoMs } from '../model/clock';
import type { RunRequest, RunnerEvent } from '../protocol/runner';
import { loadWorkflowTree } from './loadWorkflows';
import { redactText, redactValue } from './redact';
import { runSecrets } from './secretNames';
import { inheritedEnv } from './inheritedEnv';
import { sweepLeftovers } from '../measure/containment';
import { startMachineProbe } from '../measure/machineProbe';
import { slotsFor, WorkflowRuntime, type RunFiles } from './workflowRuntime';
import { SlurmSession } from './slurm/slurmSession';
import { withSlurmSampleSource } from './slurm/jobSamples';
import { reaperPath } from '../measure/reaperCheck';
import { tracePhase } from './phaseTrace';

/** run.json is rewritten at most this often while tasks finish (always at the end). */
const SAVE_EVERY_MS = 250;
/**
 * A save rewrites and fsyncs the whole record, so its cost grows with the run; the interval grows
 * with it, keeping saves near 1/SAVE_COST_SHARE of the runner's time. (Measured: 15 ms for 500
 * tasks, 107 ms for 5,000, which every 250 ms would be 40 % of the runner's time.)
 */
const SAVE_COST_SHARE = 40;
/** ...but run.json never lags the run by more than this (what a crash could lose). */
const SAVE_AT_LEAST_EVERY_MS = 5000;

/** Writes the finished run's report; given by the runner's entry point, which sits above report/. */
export type ReportRenderer = (run: RunRecord, samples: Sample[]) => string;
/** Adds what is derived from the whole run (slack, potential saving) before the last save. */
export type RunFinaliser = (run: RunRecord) => void;

export async function runWorkflow(
  request: RunRequest,
  signal: AbortSignal,
  emit: (e: RunnerEvent) => void,
  renderReport: ReportRenderer,
  finalise: RunFinaliser | null = null,
): Promise<RunRecord | null> {
  const loaded = await loadWorkflowTree(request.file, request.limits?.maxNodes);
  tracePhase('run: workflow loaded');
  if (!loaded.root) {
    emit({ type: 'invalid', problems: loaded.problems });
    return null;
  }
  const outbox = new Outbox(emit);
  try {
    return await execute(request, signal, loaded.root, loaded.all, outbox, renderReport, finalise);
  } finally {
    // Whatever happens, nothing queued is lost or overtaken by what the caller sends next.
    outbox.flush();
  }
}

/**
 * Events leave in order, but one event-loop turn late: a finished node's task-finished and the
 * next node's task-started are serialised after that next node has been spawned, while it runs,
 * instead of in the gap between two nodes that a chain of short nodes pays for on every node.
 */
class Outbox {
  private readonly queue: RunnerEvent[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  constructor(private readonly emit: (e: RunnerEvent) => void) {}

  post(event: RunnerEvent): void {
    this.queue.push(event);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    // One at a time, so an event emitted from inside emit() still queues behind these.
    for (let e = this.queue.shift(); e !== undefined; e = this.queue.shift()) this.emit(e);
  }
}

async function execute(
  request: RunRequest,
  signal: AbortSignal,
  root: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
  outbox: Outbox,
  renderReport: ReportRenderer,
  finalise: RunFinaliser | null,
): Promise<RunRecord> {
  const emit = (e: RunnerEvent): void => outbox.post(e);
  const def = { ...root };
  if (request.runtime) def.runtime = request.runtime;
  if (request.maxParallel !== undefined) def.maxParallel = request.maxParallel;
  const slots = slotsFor(def);

  const store = new RunStore(request.storeDir, {
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  // A failed write into the run folder (disk full…) stops the run: going on would fail the same
  // way, and the disk is the user's. The first such failure is the run's reason.
  const stop = new AbortController();
  const runSignal = AbortSignal.any([signal, stop.signal]);
  let writeFault: string | null = null;
  let runDir = '';
  const writeFailed = (err: unknown, file: string): void => {
    if (writeFault !== null) return;
    writeFault = describeWriteFault(err, file, runDir);
    stop.abort(writeFault);
  };
  // What runners killed since the last run left behind: reaper folders, cgroups.
  sweepLeftovers();
  // Before anything of the run starts: the machine's CPU counters from here on are the run's span.
  const machine = startMachineProbe();
  const originEpochMs = Date.now();
  const originMono = monoMs();
  const id = newRunId(new Date(originEpochMs));
  // The collector's samples, and a Slurm job's from its compute node: one series, one file.
  const addSamples = (samples: Sample[]): void => {
    if (samplesOut) samplesOut.append(samples);
    if (request.profile) emit({ type: 'samples', runId: id, samples });
  };
  const collector = new MetricsCollector({
    intervalMs: request.intervalMs,
    originMono,
    onSamples: addSamples,
  });
  const collectorInfo = (): RunRecord['collector'] =>
    def.runtime === 'slurm' ? withSlurmSampleSource(collector.info()) : collector.info();
  const run: RunRecord = {
    schemaVersion: 1,
    id,
    status: 'running',
    runtime: def.runtime,
    maxParallel: slots,
    startedAt: new Date(originEpochMs).toISOString(),
    endedAt: null,
    wallMs: null,
    workflow: { name: def.name, file: def.file, hash: def.hash },
    collector: collectorInfo(),
    runner: { pid: process.pid, host: os.hostname(), startedAtTicks: ownStartTicks() },
    profile: request.profile,
    reason: null,
    cores: os.availableParallelism(),
    machine: machine.atStart,
    series: request.series ?? null,
    memoryForecast: request.memoryForecast ?? null,
    tasks: [],
  };
  runDir = store.createRun(run);
  store.reserveSpace(id);
  const samplesOut = request.profile
    ? store.samplesWriter(id, (err) => writeFailed(err, store.samplesPath(id)))
    : null;
  const journal = store.taskJournal(id, (err) => writeFailed(err, path.join(runDir, JOURNAL_FILE)));
  const plan = planOf(def, all, '', null);
  tracePhase('run: run folder created');
  emit({ type: 'run-started', runId: id, runDir, run, plannedTasks: plan.length, plan });

  const tasks = new Map<string, TaskRun>();
  const key = (t: TaskRun): string => `${t.nodeId}#${t.attempt}`;
  // createRun has just written run.json: the first rewrite is due a full interval from now.
  let lastSave = monoMs();
  let saveEvery = SAVE_EVERY_MS;
  let saveTimer: NodeJS.Timeout | null = null;
  /** Rewrites run.json; false when it could not (the failure is the run's reason). */
  const save = (): boolean => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    const t0 = monoMs();
    run.tasks = [...tasks.values()];
    try {
      store.saveRun(run);
    } catch (err) {
      writeFailed(err, path.join(runDir, 'run.json'));
      return false;
    }
    lastSave = monoMs();
    saveEvery = Math.min(
      SAVE_AT_LEAST_EVERY_MS,
      Math.max(SAVE_EVERY_MS, (lastSave - t0) * SAVE_COST_SHARE),
    );
    return true;
  };
  const saveSoon = (): void => {
    if (saveTimer) return;
    // Always from a timer, never inline: a save rewrites and fsyncs the whole record, and
    // inline it would sit between a node's end and the next node's start.
    const wait = Math.max(0, saveEvery - (monoMs() - lastSave));
    saveTimer = setTimeout(() => void save(), wait);
  };

  const files: RunFiles = {
    logPath: (nodeId, attempt) => store.logPath(id, nodeId, attempt),
    outputPath: (nodeId, attempt) => store.outputPath(id, nodeId, attempt),
    inputsPath: (nodeId, attempt) => store.inputsPath(id, nodeId, attempt),
  };
  const baseEnv = inheritedEnv(process.env);
  const secrets = runSecrets(
    baseEnv,
    [...all.values()].flatMap((w) => w.nodes),
    request.redact ?? [],
  );
  // Reasons quote error messages and URLs: a task is redacted once, before it is kept or sent.
  const clean = (task: TaskRun): TaskRun => redactValue(task, secrets);

  collector.start();
  // Runtime slurm: the run folder must be seen by the jobs; checked before any node is submitted.
  let slurm: SlurmSession | null = null;
  let slurmProblem: string | null = null;
  if (def.runtime === 'slurm') {
    slurm = new SlurmSession(runDir, process.env);
    slurmProblem = await slurm.open(
      collector.mode === 'reaper' ? reaperPath() : null,
      request.slurmSharedCheck ?? true,
    );
  }
  const runtime = new WorkflowRuntime(
    def,
    {
      runId: id,
      runDir,
      originMono,
      originEpochMs,
      collector,
      files,
      signal: runSignal,
      secrets,
      baseEnv,
      workflows: all,
      outputLimits: {
        maxBytes: request.limits?.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        maxDepth: request.limits?.maxOutputDepth ?? DEFAULT_MAX_OUTPUT_DEPTH,
      },
      logForward: request.forwardLogs
        ? (nodeId, attempt) => (stream, text) =>
            emit({ type: 'log', runId: id, nodeId, attempt, stream, text })
        : null,
      taskStarted: (raw) => {
        const task = clean(raw);
        tasks.set(key(task), task);
        emit({ type: 'task-started', runId: id, task });
      },
      maxLogBytes: request.maxLogBytes,
      writeFailed,
      slurm: slurm ? { session: slurm, defaults: root.slurm } : null,
      addSamples,
      taskFinished: (raw) => {
        const task = clean(raw);
        tasks.set(key(task), task);
        journal.append(task);
        emit({ type: 'task-finished', runId: id, task });
        saveSoon();
      },
    },
    { parentId: null, prefix: '', slots },
  );
  let outcome: Awaited<ReturnType<WorkflowRuntime['execute']>>['status'];
  try {
    if (slurmProblem !== null) throw new Error(slurmProblem);
    tracePhase('run: collector started');
    outcome = (await runtime.execute()).status;
    tracePhase('run: nodes finished');
  } catch (err) {
    outcome = 'failed';
    const file = (err as NodeJS.ErrnoException).path;
    if (isStorageFault(err) && file !== undefined) writeFailed(err, file);
    else if (slurmProblem !== null) run.reason = slurmProblem;
    else run.reason = `runner error: ${(err as Error).message}`;
  }
  slurm?.close();
  collector.stop();
  if (samplesOut) await samplesOut.close();

  journal.close();
  // The space set aside at the start is what lets the saves below succeed on a full disk.
  store.releaseSpace(id);
  const failRun = (reason: string): void => {
    run.status = 'failed';
    run.reason = reason;
  };
  run.status = outcome;
  if (writeFault !== null) failRun(writeFault);
  else if (outcome === 'cancelled') run.reason ??= String(signal.reason ?? 'cancelled');
  if (run.reason !== null) run.reason = redactText(run.reason, secrets);
  run.wallMs = Math.round((monoMs() - originMono) * 1000) / 1000;
  run.endedAt = new Date(originEpochMs + run.wallMs).toISOString();
  run.collector = collectorInfo();
  run.tasks = [...tasks.values()];
  // Every attempt's tree (nested workflows' nodes are tasks of their own; containers have no CPU).
  run.machine = machine.finish(run.tasks.reduce((sum, t) => sum + (t.cpuTimeMs ?? 0), 0));
  try {
    finalise?.(run);
  } catch (err) {
    process.stderr.write(
      `warning: could not derive slack and savings: ${(err as Error).message}\n`,
    );
  }
  let saved = save();

  try {
    const samples = request.profile ? await store.readSamples(id) : [];
    writeFileAtomic(store.reportPath(id), renderReport(run, samples));
  } catch (err) {
    if (isStorageFault(err) && writeFault === null) {
      failRun(describeWriteFault(err, store.reportPath(id), runDir));
      saved = save();
    } else {
      process.stderr.write(`warning: could not write the report: ${(err as Error).message}\n`);
    }
  }
  tracePhase('run: record and report written');
  if (!saved) {
    // run.json still says `running`: the next reader rebuilds the run from tasks.ndjson and
    // marks it interrupted.
    process.stderr.write(`warning: could not save the run's end (${writeFault ?? 'unknown'})\n`);
  }
  if (request.retention && request.retention > 0) {
    store.applyRetention({ file: def.file, name: def.name }, request.retention);
  }
  // Last: runWorkflow's caller flushes it with everything queued before it, in order.
  emit({ type: 'run-finished', runId: id, runDir, run });
  return run;
}

/** Every node the run will account for, nested workflows expanded under their parent. */
function planOf(
  def: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
  prefix: string,
  parentId: string | null,
): { nodeId: string; type: string; needs: string[]; parentId: string | null }[] {
  const out: { nodeId: string; type: string; needs: string[]; parentId: string | null }[] = [];
  for (const n of def.nodes) {
    const nodeId = prefix + n.id;
    out.push({ nodeId, type: n.type, needs: n.needs.map((x) => prefix + x), parentId });
    if (n.type === 'workflow') {
      const nested = all.get(path.resolve(path.dirname(def.file), n.file ?? n.script ?? ''));
      if (nested) out.push(...planOf(nested, all, `${nodeId}/`, nodeId));
    }
  }
  return out;
}

/** starttime of this process (field 22 of /proc/self/stat), so a reused pid is not mistaken for us. */
function ownStartTicks(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}
