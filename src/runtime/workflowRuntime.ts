/**
 * LocalRuntime and ParallelRuntime: run one workflow's nodes in dependency order, `slots` at a
 * time (1 for local), recording one TaskRun per execution attempt. Processes are started and
 * measured by the process layer; this module decides what runs when and what it means.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCondition } from '../workflow/expression';
import type { NodeDef, SlurmDefaults, WorkflowDef } from '../workflow/types';
import type { SlurmSession } from './slurm/slurmSession';
import { runSlurmJob, type SlurmAttempt } from './slurm/slurmJob';
import { SLURM_SAMPLE_FLOOR_MS } from './slurm/jobSamples';
import type { ProcessOutcome } from '../measure/processTypes';
import { emptyTaskRun, type Sample, type TaskErrorKind, type TaskRun } from '../model/run';
import type { MetricsCollector } from '../measure/metricsCollector';
import { monoMs } from '../model/clock';
import { NodeLog, type LogForward } from './nodeLog';
import { MAX_PARALLEL } from '../workflow/limits';
import { readNodeOutput, extractMetrics, type NodeOutputs, type OutputLimits } from './nodeOutput';
import { startProcess } from './processRunner';
import { writePrivateInputs } from './privateInputs';
import { nothingToRedact, redactValue } from './redact';
import { Scheduler, type Transition } from './scheduler';
import { commandLine } from './nodes/commandLine';
import { mergeOutputs } from './nodes/mergeNode';

/** Where one attempt's files go; the run store decides the layout. */
export interface RunFiles {
  logPath(nodeId: string, attempt: number): string;
  outputPath(nodeId: string, attempt: number): string;
  inputsPath(nodeId: string, attempt: number): string;
}

export interface RuntimeHost {
  runId: string;
  runDir: string;
  /** Monotonic ms at the run's start, and the wall clock at the same instant. */
  originMono: number;
  originEpochMs: number;
  collector: MetricsCollector;
  files: RunFiles;
  signal: AbortSignal;
  secrets: readonly string[];
  /** Environment every node starts from (the runner's own). */
  baseEnv: Record<string, string>;
  /** Nested workflows, parsed and validated before the run started. */
  workflows: ReadonlyMap<string, WorkflowDef>;
  logForward: ((nodeId: string, attempt: number) => LogForward) | null;
  /** Cap of each attempt's log (head and tail kept). */
  maxLogBytes?: number;
  /** A write to the run folder failed (disk full, I/O error): the run decides what follows. */
  writeFailed?: (err: NodeJS.ErrnoException, file: string) => void;
  /** What a node's output (and an HTTP body) may be; broken limits fail that node. */
  outputLimits: OutputLimits;
  taskStarted(task: TaskRun): void;
  taskFinished(task: TaskRun): void;
  /** Runtime slurm: process nodes become jobs of this session (nested workflows' too). */
  slurm?: { session: SlurmSession; defaults: SlurmDefaults | null } | null;
  /**
   * Samples taken where the collector cannot see (a Slurm job's compute node), handed over when
   * the job ends: they join the run's samples as the collector's own do.
   */
  addSamples?: (samples: Sample[]) => void;
}

export interface Scope {
  parentId: string | null;
  /** Prefix of TaskRun ids for nested workflows: `parent/`. */
  prefix: string;
  slots: number;
}

export type RunOutcome = 'completed' | 'failed' | 'cancelled';

export interface WorkflowOutcome {
  status: RunOutcome;
  outputs: Map<string, NodeOutputs | null>;
}

interface NodeResult {
  result: RunOutcome;
  output: NodeOutputs | null;
  exclude: string[];
  excludeReason: string;
}

export function slotsFor(def: Pick<WorkflowDef, 'runtime' | 'maxParallel'>): number {
  // Bounded here too: a run request (not only a file) can ask for a slot count.
  return def.runtime === 'local' ? 1 : Math.min(MAX_PARALLEL, Math.max(1, def.maxParallel));
}

export class WorkflowRuntime {
  private readonly sched: Scheduler;
  private readonly byId: Map<string, NodeDef>;
  private readonly readyAt = new Map<string, number>();
  private readonly outputs = new Map<string, NodeOutputs | null>();
  private readonly freeSlots: number[];
  private readonly madeDirs = new Set<string>();
  private failed = false;

  constructor(
    private readonly def: WorkflowDef,
    private readonly host: RuntimeHost,
    private readonly scope: Scope,
  ) {
    this.byId = new Map(def.nodes.map((n) => [n.id, n]));
    this.sched = new Scheduler(
      def.nodes.map((n) => ({
        id: n.id,
        needs: n.needs,
        isMerge: n.type === 'merge',
        continueOnError: n.continueOnError,
      })),
    );
    this.freeSlots = Array.from({ length: scope.slots }, (_, i) => i);
  }

  execute(): Promise<WorkflowOutcome> {
    return new Promise((resolve) => {
      const { signal } = this.host;
      let resolved = false;
      const pump = (): void => {
        if (resolved) return;
        if (signal.aborted) this.cancelPending();
        while (!signal.aborted && this.freeSlots.length > 0) {
          const id = this.sched.nextReady();
          if (id === undefined) break;
          const slot = this.freeSlots.shift() as number;
          this.sched.start(id);
          void this.runNode(id, slot).then((r) => {
            this.freeSlots.push(slot);
            this.freeSlots.sort((a, b) => a - b);
            if (r.result === 'failed' && !this.byId.get(id)?.continueOnError) this.failed = true;
            this.apply(this.sched.finish(id, r.result, r.exclude, r.excludeReason));
            this.outputs.set(id, r.output);
            pump();
          });
        }
        if (this.sched.isDone()) {
          resolved = true;
          signal.removeEventListener('abort', pump);
          const status: RunOutcome = signal.aborted
            ? 'cancelled'
            : this.failed
              ? 'failed'
              : 'completed';
          resolve({ status, outputs: this.outputs });
        }
      };
      signal.addEventListener('abort', pump);
      this.apply(this.sched.begin());
      pump();
    });
  }

  private now(): number {
    return monoMs() - this.host.originMono;
  }

  private fullId(id: string): string {
    return this.scope.prefix + id;
  }

  private apply(t: Transition): void {
    const now = this.now();
    for (const id of t.ready) this.readyAt.set(id, now);
    for (const s of t.skipped) this.recordUnrun(s.id, 'skipped', s.reason);
  }

  private cancelPending(): void {
    for (const id of this.sched.cancelPending('the run was cancelled')) {
      this.recordUnrun(id, 'cancelled', 'the run was cancelled before it started');
    }
  }

  private baseTask(node: NodeDef, extra: Partial<TaskRun>): TaskRun {
    return emptyTaskRun(this.fullId(node.id), node.type, {
      parentId: this.scope.parentId,
      tags: node.tags,
      needs: node.needs.map((n) => this.fullId(n)),
      ...extra,
    });
  }

  private recordUnrun(id: string, status: 'skipped' | 'cancelled', reason: string): void {
    const node = this.byId.get(id);
    if (!node) return;
    const task = this.baseTask(node, { status, reason, readyAtMs: this.readyAt.get(id) ?? null });
    this.host.taskFinished(task);
  }

  private iso(offsetMs: number): string {
    return new Date(this.host.originEpochMs + offsetMs).toISOString();
  }

  private async runNode(id: string, slot: number): Promise<NodeResult> {
    const node = this.byId.get(id) as NodeDef;
    const attempts = node.retries + 1;
    let last: NodeResult = { result: 'failed', output: null, exclude: [], excludeReason: '' };
    let prevEnd = this.readyAt.get(id) ?? this.now();
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const startOffset = this.now();
      const task = this.baseTask(node, {
        status: 'running',
        attempt,
        attempts: attempt,
        slot,
        readyAtMs: attempt === 1 ? (this.readyAt.get(id) ?? startOffset) : prevEnd,
        startMs: startOffset,
        startedAt: this.iso(startOffset),
      });
      task.waitMs = round3(startOffset - (task.readyAtMs ?? startOffset));
      this.host.taskStarted({ ...task });
      last = await this.guardedAttempt(node, task);
      prevEnd = task.endMs ?? this.now();
      const retry = last.result === 'failed' && attempt < attempts && !this.host.signal.aborted;
      task.status = retry ? 'retried' : last.result;
      this.host.taskFinished(task);
      if (!retry) break;
    }
    return last;
  }

  /**
   * One attempt, and whatever it throws (a file name the system refuses, data too big to pass
   * on) fails this node only: the run goes on under the usual failure rules.
   */
  private async guardedAttempt(node: NodeDef, task: TaskRun): Promise<NodeResult> {
    try {
      return await this.attempt(node, task);
    } catch (err) {
      const end = this.now();
      task.endMs = round3(end);
      task.endedAt = this.iso(end);
      task.durationMs ??= round3(end - (task.startMs ?? end));
      task.reason = `runner error: ${(err as Error).message}`;
      return { result: 'failed', output: null, exclude: [], excludeReason: '' };
    }
  }

  /** Runs one attempt and fills `task` with what was measured. */
  private async attempt(node: NodeDef, task: TaskRun): Promise<NodeResult> {
    const base: NodeResult = { result: 'failed', output: null, exclude: [], excludeReason: '' };
    const finishTiming = (startMono: number, endMono: number, durationMs?: number | null): void => {
      task.startMs = round3(startMono - this.host.originMono);
      task.endMs = round3(endMono - this.host.originMono);
      task.startedAt = this.iso(task.startMs);
      task.endedAt = this.iso(task.endMs);
      task.durationMs = round3(durationMs ?? endMono - startMono);
    };
    switch (node.type) {
      case 'shell':
      case 'python':
      case 'node':
        return this.runProcessNode(node, task);
      case 'http': {
        const log = this.openLog(node, task.attempt);
        log.note(`${node.method ?? 'GET'} ${node.url ?? ''}`);
        // Loaded on first use: node:http and node:https are start-up cost for every other run.
        const { httpRequest } = await import('./nodes/httpNode.js');
        const r = await httpRequest({
          url: node.url ?? '',
          method: node.method ?? 'GET',
          headers: node.headers ?? {},
          body: node.body,
          timeoutMs: node.timeoutMs ?? 30_000,
          signal: this.host.signal,
          maxDepth: this.host.outputLimits.maxDepth,
        });
        finishTiming(r.startMono, r.endMono);
        task.http = r.timing;
        log.note(
          `status ${r.timing.status ?? 'none'}, ${r.timing.bytes} bytes in ${r.timing.totalMs} ms`,
        );
        const cancelled = this.host.signal.aborted;
        task.reason = cancelled ? 'cancelled' : r.error;
        if (!cancelled && !r.ok)
          failWith(task, 'output', r.error ?? 'the request failed', log.tail());
        if (r.error) log.note(r.error);
        if (r.output) {
          const m = extractMetrics(r.output, this.host.secrets);
          for (const p of m.problems) log.note(p);
          task.custom = m.custom;
        }
        closeLog(log, task);
        log.close();
        return {
          ...base,
          result: cancelled ? 'cancelled' : r.ok ? 'completed' : 'failed',
          // Kept as received: what downstream nodes read of it is redacted where it is stored.
          output: r.output,
        };
      }
      case 'switch': {
        const start = monoMs();
        const context: Record<string, { outputs: unknown; status: string }> = {};
        for (const [id, out] of this.outputs)
          context[id] = { outputs: out ?? {}, status: this.sched.stateOf(id) };
        let value: boolean;
        try {
          value = evaluateCondition(node.on ?? 'false', context);
        } catch (err) {
          finishTiming(start, monoMs());
          task.reason = `condition \`${node.on ?? ''}\` failed: ${(err as Error).message}`;
          failWith(task, 'output', task.reason, '');
          return base;
        }
        finishTiming(start, monoMs());
        const branch = value ? 'then' : 'else';
        const exclude = (value ? node.else : node.then) ?? [];
        task.reason = `took \`${branch}\``;
        return {
          result: 'completed',
          output: { branch, value },
          exclude,
          excludeReason: `switch \`${this.fullId(node.id)}\` took \`${branch}\``,
        };
      }
      case 'merge': {
        const start = monoMs();
        const out = mergeOutputs(
          node.mode ?? 'keyed',
          node.needs.map((n) => [
            n,
            this.sched.stateOf(n) === 'completed' ? (this.outputs.get(n) ?? null) : null,
          ]),
        );
        finishTiming(start, monoMs());
        return { ...base, result: 'completed', output: out };
      }
      case 'workflow': {
        const file = path.resolve(path.dirname(this.def.file), node.file ?? node.script ?? '');
        const nested = this.host.workflows.get(file);
        const start = monoMs();
        if (!nested) {
          finishTiming(start, monoMs());
          task.reason = `nested workflow ${file} was not loaded`;
          return base;
        }
        const child = new WorkflowRuntime(nested, this.host, {
          parentId: this.fullId(node.id),
          prefix: `${this.fullId(node.id)}/`,
          slots: slotsFor(nested),
        });
        const outcome = await child.execute();
        finishTiming(start, monoMs());
        const output = Object.fromEntries([...outcome.outputs].filter(([, o]) => o !== null));
        task.reason = outcome.status === 'completed' ? null : `nested workflow ${outcome.status}`;
        if (outcome.status === 'failed') failWith(task, 'exit', task.reason ?? '', '');
        return { ...base, result: outcome.status, output };
      }
      default:
        task.reason = `unsupported node type ${String(node.type)}`;
        return base;
    }
  }

  private openLog(node: NodeDef, attempt: number): NodeLog {
    const fullId = this.fullId(node.id);
    return new NodeLog(
      this.host.files.logPath(fullId, attempt),
      this.host.secrets,
      this.host.logForward ? this.host.logForward(fullId, attempt) : null,
      Date.now,
      { maxBytes: this.host.maxLogBytes, onWriteError: this.host.writeFailed },
    );
  }

  /** mkdir -p once per folder: every node of a run shares the same few. */
  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  private async runProcessNode(node: NodeDef, task: TaskRun): Promise<NodeResult> {
    const fullId = this.fullId(node.id);
    const inputsFile = this.host.files.inputsPath(fullId, task.attempt);
    const outputFile = this.host.files.outputPath(fullId, task.attempt);
    const inputs = Object.fromEntries(node.needs.map((n) => [n, this.outputs.get(n) ?? null]));
    this.ensureDir(path.dirname(inputsFile));
    this.ensureDir(path.dirname(outputFile));
    const inputsText = JSON.stringify(inputs);
    const storedInputs = nothingToRedact(inputsText, this.host.secrets)
      ? inputsText
      : JSON.stringify(redactValue(inputs, this.host.secrets));
    fs.writeFileSync(inputsFile, storedInputs);
    const realInputs = storedInputs === inputsText ? null : writePrivateInputs(inputsText);
    // A stale output (a file name two node ids share) must not pass for this node's. existsSync
    // first: it does not throw, and throwing ENOENT for every node is what costs.
    if (fs.existsSync(outputFile)) fs.rmSync(outputFile, { force: true });

    const workflowDir = path.dirname(this.def.file);
    const cmd = commandLine(node, workflowDir);
    const log = this.openLog(node, task.attempt);
    const env: Record<string, string> = {
      ...this.host.baseEnv,
      ...cmd.env,
      ...node.env,
      WORKFLOW_INPUTS: realInputs?.file ?? inputsFile,
      WORKFLOW_OUTPUT: outputFile,
      WORKFLOW_NODE_ID: fullId,
      WORKFLOW_RUN_ID: this.host.runId,
      WORKFLOW_ATTEMPT: String(task.attempt),
    };
    const spec = {
      nodeId: fullId,
      attempt: task.attempt,
      file: cmd.file,
      args: cmd.args,
      cwd: node.cwd ? path.resolve(workflowDir, node.cwd) : workflowDir,
      env,
      timeoutMs: node.timeoutMs,
      onStdout: (c: Buffer) => log.write('stdout', c),
      onStderr: (c: Buffer) => log.write('stderr', c),
    };
    let slurm: SlurmAttempt | null = null;
    let outcome: ProcessOutcome;
    if (this.host.slurm) {
      slurm = await runSlurmJob({
        ...spec,
        session: this.host.slurm.session,
        defaults: this.host.slurm.defaults,
        resources: node.resources,
        runId: this.host.runId,
        signal: this.host.signal,
        originMono: this.host.originMono,
        originEpochMs: this.host.originEpochMs,
        sampleIntervalMs: Math.max(SLURM_SAMPLE_FLOOR_MS, this.host.collector.intervalMs),
      });
      outcome = slurm.outcome;
      if (slurm.placement) task.slurm = slurm.placement;
      task.slurmQueueMs = slurm.queueMs;
      if (slurm.samples.length > 0) this.host.addSamples?.(slurm.samples);
    } else {
      const proc = startProcess(spec, this.host.collector);
      const onAbort = (): void => proc.cancel('the run was cancelled');
      this.host.signal.addEventListener('abort', onAbort);
      if (this.host.signal.aborted) onAbort();
      outcome = await proc.done;
      this.host.signal.removeEventListener('abort', onAbort);
    }
    realInputs?.remove();

    Object.assign(task, outcome.metrics);
    task.lowerBounds = outcome.lowerBounds;
    task.startMs = round3(outcome.startMono - this.host.originMono);
    task.endMs = round3(outcome.endMono - this.host.originMono);
    task.startedAt = this.iso(task.startMs);
    task.endedAt = this.iso(task.endMs);
    task.durationMs ??= round3(outcome.endMono - outcome.startMono);
    task.exitCode = outcome.exitCode;
    task.signal = outcome.signal;
    // On Slurm, ready to started holds our submission and Slurm's queue: known only now.
    if (slurm && task.readyAtMs !== null) task.waitMs = round3(task.startMs - task.readyAtMs);

    const read = readNodeOutput(outputFile, this.host.outputLimits, this.host.secrets);
    for (const p of read.problems) log.note(p);
    task.custom = read.custom;

    let result: RunOutcome;
    let kind: TaskErrorKind | null = null;
    if (slurm?.limit) {
      result = 'failed';
      kind = 'limit';
      task.reason = slurm.limit;
    } else if (outcome.cancelled && !outcome.timedOut) {
      result = 'cancelled';
      task.reason = 'cancelled';
    } else if (outcome.spawnError) {
      result = 'failed';
      kind = 'spawn';
      task.reason = `could not start: ${outcome.spawnError}`;
    } else if (outcome.timedOut) {
      result = 'failed';
      kind = 'timeout';
      task.reason = `timed out after ${node.timeoutMs ?? 0} ms; its process tree was killed`;
    } else if (outcome.exitCode === 0 && read.failure) {
      result = 'failed';
      task.reason = read.failure;
    } else if (outcome.exitCode === 0) {
      result = 'completed';
    } else {
      result = 'failed';
      kind = outcome.signal ? 'signal' : 'exit';
      task.reason = outcome.signal
        ? `killed by ${outcome.signal}`
        : `exit code ${outcome.exitCode ?? 'unknown'}`;
    }
    // The tail is taken before the runner's own note, so it quotes the node, not the runner.
    if (kind && task.reason) failWith(task, kind, task.reason, log.tail());
    if (result !== 'completed' && task.reason) log.note(task.reason);
    closeLog(log, task);
    return { result, output: read.output, exclude: [], excludeReason: '' };
  }
}

/** Closes the log and records in the TaskRun what its cap dropped. */
function closeLog(log: NodeLog, task: TaskRun): void {
  log.close();
  if (log.droppedBytes > 0) task.logDroppedBytes = log.droppedBytes;
}

/** Records why `task` failed; its exit code and signal are as measured (null where none). */
function failWith(task: TaskRun, kind: TaskErrorKind, message: string, stderrTail: string): void {
  task.error = { kind, message, exitCode: task.exitCode, signal: task.signal, stderrTail };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
