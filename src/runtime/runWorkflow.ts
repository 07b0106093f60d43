/**
 * One run from start to finish: validate, create the run folder, sample, execute, write the
 * report, apply retention. Independent of IPC, so the runner process and tests share it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetricsCollector } from '../tracking/metricsCollector';
import { TaskManager } from '../tracking/taskManager';
import { writeFileAtomic } from '../tracking/atomicWrite';
import { newRunId } from '../tracking/runId';
import type { RunRecord, Sample, TaskRun } from '../tracking/types';
import type { WorkflowDef } from '../workflow/types';
import { renderReport } from '../report/markdown';
import { monoMs } from './clock';
import type { RunRequest, RunnerEvent } from './events';
import { loadWorkflowTree } from './loadWorkflows';
import { secretValues } from './redact';
import { slotsFor, WorkflowRuntime, type RunFiles } from './workflowRuntime';

/** run.json is rewritten at most this often while tasks finish (always at the end). */
const SAVE_EVERY_MS = 250;

export async function runWorkflow(
  request: RunRequest,
  signal: AbortSignal,
  emit: (e: RunnerEvent) => void,
): Promise<RunRecord | null> {
  const loaded = await loadWorkflowTree(request.file);
  if (!loaded.root) {
    emit({ type: 'invalid', problems: loaded.problems });
    return null;
  }
  const def = { ...loaded.root };
  if (request.runtime) def.runtime = request.runtime;
  if (request.maxParallel !== undefined) def.maxParallel = request.maxParallel;
  const slots = slotsFor(def);

  const store = new TaskManager(request.storeDir, {
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  const originEpochMs = Date.now();
  const originMono = monoMs();
  const id = newRunId(new Date(originEpochMs));
  const collector = new MetricsCollector({
    intervalMs: request.intervalMs,
    originMono,
    onSamples: (samples: Sample[]) => {
      if (samplesOut) samplesOut.append(samples);
      if (request.profile) emit({ type: 'samples', runId: id, samples });
    },
  });
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
    collector: collector.info(),
    runner: { pid: process.pid, host: os.hostname(), startedAtTicks: ownStartTicks() },
    profile: request.profile,
    reason: null,
    tasks: [],
  };
  const runDir = store.createRun(run);
  const samplesOut = request.profile ? store.samplesWriter(id) : null;
  const plan = planOf(def, loaded.all, '', null);
  emit({ type: 'run-started', runId: id, runDir, run, plannedTasks: plan.length, plan });

  const tasks = new Map<string, TaskRun>();
  const key = (t: TaskRun): string => `${t.nodeId}#${t.attempt}`;
  let lastSave = 0;
  let saveTimer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    lastSave = monoMs();
    run.tasks = [...tasks.values()];
    store.saveRun(run);
  };
  const saveSoon = (): void => {
    if (saveTimer) return;
    const wait = Math.max(0, SAVE_EVERY_MS - (monoMs() - lastSave));
    if (wait === 0) save();
    else saveTimer = setTimeout(save, wait);
  };

  const files: RunFiles = {
    logPath: (nodeId, attempt) => store.logPath(id, nodeId, attempt),
    outputPath: (nodeId, attempt) =>
      path.join(
        runDir,
        'outputs',
        `${fileSafe(nodeId)}${attempt > 1 ? `.attempt-${attempt}` : ''}.json`,
      ),
    inputsPath: (nodeId, attempt) =>
      path.join(
        runDir,
        'inputs',
        `${fileSafe(nodeId)}${attempt > 1 ? `.attempt-${attempt}` : ''}.json`,
      ),
  };
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;
  // Each node's env is checked on its own: two nodes may give one name different secret values.
  const secretSet = new Set(secretValues(baseEnv));
  for (const w of loaded.all.values())
    for (const n of w.nodes) for (const v of secretValues(n.env)) secretSet.add(v);
  const secrets = [...secretSet].sort((a, b) => b.length - a.length);

  collector.start();
  const runtime = new WorkflowRuntime(
    def,
    {
      runId: id,
      runDir,
      originMono,
      originEpochMs,
      collector,
      files,
      signal,
      secrets,
      baseEnv,
      workflows: loaded.all,
      logForward: request.forwardLogs
        ? (nodeId, attempt) => (stream, text) =>
            emit({ type: 'log', runId: id, nodeId, attempt, stream, text })
        : null,
      taskStarted: (task) => {
        tasks.set(key(task), task);
        emit({ type: 'task-started', runId: id, task });
      },
      taskFinished: (task) => {
        tasks.set(key(task), task);
        emit({ type: 'task-finished', runId: id, task });
        saveSoon();
      },
    },
    { parentId: null, prefix: '', slots },
  );
  let outcome: Awaited<ReturnType<WorkflowRuntime['execute']>>['status'];
  try {
    outcome = (await runtime.execute()).status;
  } catch (err) {
    outcome = 'failed';
    run.reason = `runner error: ${(err as Error).message}`;
  }
  collector.stop();
  if (samplesOut) await samplesOut.close();

  run.status = outcome;
  if (outcome === 'cancelled') run.reason ??= String(signal.reason ?? 'cancelled');
  run.wallMs = Math.round((monoMs() - originMono) * 1000) / 1000;
  run.endedAt = new Date(originEpochMs + run.wallMs).toISOString();
  run.collector = collector.info();
  save();

  try {
    const samples = request.profile ? await store.readSamples(id) : [];
    writeFileAtomic(store.reportPath(id), renderReport(run, samples));
  } catch (err) {
    process.stderr.write(`warning: could not write the report: ${(err as Error).message}\n`);
  }
  if (request.retention && request.retention > 0) {
    store.applyRetention({ file: def.file, name: def.name }, request.retention);
  }
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

function fileSafe(nodeId: string): string {
  return nodeId.replace(/[^A-Za-z0-9_.-]/g, '__');
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
