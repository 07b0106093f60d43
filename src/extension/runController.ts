/**
 * Starts and follows runs for the editor: the run itself happens in the engine's forked runner,
 * so the extension host never blocks. This owns the progress notification, the status bar item,
 * node output, and the events the views and (live) panels listen to.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startRun, type RunHandle } from '../runtime/runnerClient';
import type { RunnerEvent, RunResult } from '../protocol/runner';
import type {
  MemoryForecast,
  RunRecord,
  RunSeries,
  RunStatus,
  Sample,
  TaskRun,
} from '../model/run';
import { formatMs } from '../model/format';
import { parseSize } from '../model/sizeText';
import { memoryForecastFor } from '../query/memoryForecast';
import { storeSource } from '../query/runSource';
import { runSeries, type SeriesRun } from '../runtime/series';
import { readConfig, type ProfilerConfig } from './config';
import {
  askAboutMemory,
  MEMORY_LIMIT_SETTING,
  memoryWarningText,
  type MemoryWarning,
} from './memoryPrompt';
import { NodeOutput } from './nodeOutput';
import { COMMANDS } from './commandIds';
import { RunStore } from '../store/runStore';
import { failureSentence, firstFailure } from '../report/failureSummary';
import type { WorkflowDiagnostics } from './diagnostics';

export interface RunCommandResult {
  runId: string | null;
  runDir: string | null;
  /** `refused`: nothing started (untrusted workspace, already running, a bad memory limit
   * setting, or the memory warning dismissed). */
  status: RunStatus | 'invalid' | 'refused';
}

/** "Profile Repeatedly…": the same object as the CLI's `run --repeat N --json`. */
export interface SeriesCommandResult {
  series: string;
  runs: { runId: string | null; runDir: string | null; status: string }[];
  status: string;
}

export interface ActiveRun {
  file: string;
  name: string;
  runId: string | null;
  runDir: string | null;
  profile: boolean;
  startedAt: number;
  total: number;
  done: number;
  running: Set<string>;
  handle: RunHandle;
  /** The run as far as it has got (from the runner's events): what live views draw. */
  record: RunRecord | null;
  plan: { nodeId: string; type: string; needs: string[]; parentId: string | null }[];
  /** Samples received so far (profile runs send them live). */
  samples: Sample[];
  /** Open the dashboard when the run starts (a profile run, unless it is one of a series). */
  openLive: boolean;
}

/** Replaces the TaskRun of the same node and attempt, or adds it. */
export function upsertTask(tasks: TaskRun[], task: TaskRun): void {
  const i = tasks.findIndex((t) => t.nodeId === task.nodeId && t.attempt === task.attempt);
  if (i >= 0) tasks[i] = task;
  else tasks.push(task);
}

export interface RunOptions {
  profile: boolean;
  /** Where live output goes; a task's pseudoterminal passes its own writer. */
  write?: (text: string) => void;
  /** Suppress the notification (tasks show their own terminal). */
  silent?: boolean;
}

/** How one run starts once the checks before it are done. */
interface StartPlan {
  /** Overrides the file's and the settings' maxParallel ("Lower Parallelism"). */
  maxParallel: number | undefined;
  memoryForecast: MemoryForecast | null;
  /** The cap from the memoryLimit setting, bytes; null for none. */
  capBytes: number | null;
  series?: RunSeries;
}

/** An end-of-run notification as shown: its text, its buttons, and a way to press one. */
export interface RunNotice {
  runId: string;
  status: RunStatus;
  message: string;
  items: string[];
  /** Does what pressing `item` in the notification does (for tests: toasts are out of reach). */
  choose(item: string | undefined): void;
}

export class RunController implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly events = new vscode.EventEmitter<{ run: ActiveRun; event: RunnerEvent }>();
  private readonly statusBar = vscode.window.createStatusBarItem(
    'workflowProfiler.run',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private statusTimer: NodeJS.Timeout | null = null;
  private runningContext = false;
  /** Fires when a run starts, a task finishes or a run ends: views refresh on it. */
  readonly onDidChange = this.changed.event;
  readonly onDidEvent = this.events.event;
  private readonly noticed = new vscode.EventEmitter<RunNotice>();
  readonly onDidNotify = this.noticed.event;
  private readonly memoryWarned = new vscode.EventEmitter<MemoryWarning>();
  /** Fires as a memory warning is shown, with a way to answer it. */
  readonly onDidWarnMemory = this.memoryWarned.event;

  constructor(
    private readonly storeDir: () => string,
    private readonly log: vscode.LogOutputChannel,
    private readonly output: NodeOutput,
    private readonly diagnostics: WorkflowDiagnostics,
  ) {
    this.statusBar.name = 'Workflow Profiler';
  }

  activeRuns(): ActiveRun[] {
    return [...this.active.values()];
  }

  isRunning(file: string): boolean {
    return this.active.has(file);
  }

  /** The active run with this id, if it is still going. */
  activeRun(runId: string): ActiveRun | undefined {
    return [...this.active.values()].find((r) => r.runId === runId);
  }

  async run(uri: vscode.Uri, options: RunOptions): Promise<RunCommandResult> {
    const refused: RunCommandResult = { runId: null, runDir: null, status: 'refused' };
    if (!(await this.mayStart(uri))) return refused;
    const config = readConfig(uri);
    const plan = await this.memoryCheck(uri, config, options);
    if (!plan) return refused;
    const { run, result } = await this.execute(uri, config, options, plan);
    return this.finish(uri, run.name, result, options);
  }

  /**
   * `count` profile runs of the workflow as one series (src/runtime/series.ts, as the CLI's
   * `run --repeat N`), under one cancellable progress notification; the memory warning, if any,
   * is asked once, and its answer holds for every run. Undefined when nothing started.
   */
  async runRepeatedly(uri: vscode.Uri, count: number): Promise<SeriesCommandResult | undefined> {
    if (!(await this.mayStart(uri))) return undefined;
    const config = readConfig(uri);
    const first = await this.memoryCheck(uri, config, { profile: true });
    if (!first) return undefined;
    const name = workflowName(uri.fsPath);
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Profiling ${name} ${count} time${count === 1 ? '' : 's'}`,
        cancellable: true,
      },
      (progress, token) => {
        token.onCancellationRequested(() => this.cancel(uri.fsPath));
        return runSeries(
          { repeat: count, warmup: 0 },
          async (series, total) => {
            progress.report({
              message: `run ${series.index + 1} of ${total}`,
              // Share of the series done: the runs before this one.
              increment: series.index === 0 ? 0 : 100 / total,
            });
            // Each run records the forecast from the run before it, with the slots chosen once.
            const forecast =
              series.index === 0
                ? first.memoryForecast
                : await this.forecastOf(uri, config, first.maxParallel, first.capBytes);
            const plan = { ...first, memoryForecast: forecast, series };
            return (await this.execute(uri, config, { profile: true, silent: true }, plan)).result;
          },
          () => token.isCancellationRequested,
        );
      },
    );
    if (outcome.invalid) this.finish(uri, name, outcome.invalid, { profile: true });
    this.log.info(`series ${outcome.id} of ${uri.fsPath}: ${outcome.status}`);
    return { series: outcome.id, runs: outcome.runs.map(publicRun), status: outcome.status };
  }

  /** Trusted workspace, not already running, saved: a run may start. Says why not otherwise. */
  private async mayStart(uri: vscode.Uri): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      void vscode.window
        .showErrorMessage(
          'Workflow Profiler runs workflows only in a trusted workspace: a workflow runs commands and scripts from this folder. Stored runs and reports stay viewable.',
          manage,
        )
        .then((choice) => {
          if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      return false;
    }
    const file = uri.fsPath;
    if (this.active.has(file)) {
      void vscode.window.showWarningMessage(`${path.basename(file)} is already running.`);
      return false;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (doc?.isDirty) await doc.save();
    return true;
  }

  /** The settings' runtime and slots overrides, as the runner request takes them. */
  private overrides(
    config: ProfilerConfig,
    maxParallel: number | undefined,
  ): { runtime: 'local' | 'parallel' | undefined; maxParallel: number | undefined } {
    return {
      runtime: config.defaultRuntime === 'fromFile' ? undefined : config.defaultRuntime,
      maxParallel: maxParallel ?? (config.maxParallel > 0 ? config.maxParallel : undefined),
    };
  }

  /** The forecast run.json records for a run with these slots (no questions asked). */
  private async forecastOf(
    uri: vscode.Uri,
    config: ProfilerConfig,
    maxParallel: number | undefined,
    capBytes: number | null,
  ): Promise<MemoryForecast | null> {
    const source = storeSource(new RunStore(this.storeDir()));
    const request = { file: uri.fsPath, ...this.overrides(config, maxParallel) };
    return (await memoryForecastFor(source, request, capBytes))?.forecast ?? null;
  }

  /**
   * The memory forecast before a run (src/query/memoryForecast): over the limit, the user is
   * asked (a task, which cannot ask, writes the warning to its terminal and goes on). Null: do
   * not start (a bad memoryLimit setting, or the warning dismissed).
   */
  private async memoryCheck(
    uri: vscode.Uri,
    config: ProfilerConfig,
    options: RunOptions,
  ): Promise<StartPlan | null> {
    let capBytes: number | null = null;
    if (config.memoryLimit !== '') {
      const size = parseSize(config.memoryLimit);
      if ('error' in size) {
        void vscode.window.showErrorMessage(
          `Workflow Profiler: the setting ${MEMORY_LIMIT_SETTING} ${size.error}. Nothing was run.`,
        );
        return null;
      }
      capBytes = size.bytes;
    }
    const source = storeSource(new RunStore(this.storeDir()));
    const request = { file: uri.fsPath, ...this.overrides(config, undefined) };
    const d = await memoryForecastFor(source, request, capBytes);
    const plan: StartPlan = {
      maxParallel: undefined,
      memoryForecast: d?.forecast ?? null,
      capBytes,
    };
    if (!d || d.verdict !== 'exceeds') return plan;
    const name = workflowName(uri.fsPath);
    this.log.warn(memoryWarningText(d, name));
    if (options.silent) {
      options.write?.(`warning: ${memoryWarningText(d, name)}\r\n`);
      return plan;
    }
    const choice = await askAboutMemory(d, uri.fsPath, name, this.memoryWarned);
    if (choice.kind === 'no') {
      this.log.info(`${uri.fsPath}: not run (memory warning dismissed)`);
      return null;
    }
    if (choice.kind === 'run') return plan;
    const lowered = await this.forecastOf(uri, config, choice.maxParallel, capBytes);
    return { maxParallel: choice.maxParallel, memoryForecast: lowered, capBytes };
  }

  /** Starts the runner and follows the run to its end. */
  private async execute(
    uri: vscode.Uri,
    config: ProfilerConfig,
    options: RunOptions,
    plan: StartPlan,
  ): Promise<{ run: ActiveRun; result: RunResult }> {
    const file = uri.fsPath;
    const write =
      options.write ??
      (config.nodeOutput === 'none'
        ? null
        : this.output.writer(path.basename(file), config.nodeOutput));
    const handle = startRun(
      {
        file,
        ...this.overrides(config, plan.maxParallel),
        intervalMs: config.samplingIntervalMs,
        storeDir: this.storeDir(),
        profile: options.profile,
        retention: config.retention,
        forwardLogs: write !== null,
        redact: config.redact,
        maxLogBytes: config.maxLogBytes,
        limits: config.limits,
        memoryForecast: plan.memoryForecast,
        slurmSharedCheck: config.slurmSharedCheck,
        ...(plan.series ? { series: plan.series } : {}),
      },
      {
        stderr: 'pipe',
        onStderr: (text) => this.log.warn(text.trimEnd()),
        onEvent: (event) => this.onEvent(file, event, write),
      },
    );
    const run: ActiveRun = {
      file,
      name: workflowName(file),
      runId: null,
      runDir: null,
      profile: options.profile,
      startedAt: Date.now(),
      total: 0,
      done: 0,
      running: new Set(),
      handle,
      record: null,
      plan: [],
      samples: [],
      openLive: options.profile && !plan.series,
    };
    this.active.set(file, run);
    this.updateStatusBar();
    this.log.info(`${options.profile ? 'profiling' : 'running'} ${file}`);

    const result = options.silent ? await handle.result : await this.withProgress(run);
    this.active.delete(file);
    this.updateStatusBar();
    this.changed.fire();
    return { run, result };
  }

  cancel(file?: string): boolean {
    const targets = file
      ? [this.active.get(file)].filter((r): r is ActiveRun => !!r)
      : [...this.active.values()];
    for (const r of targets) r.handle.cancel('cancelled from the editor');
    return targets.length > 0;
  }

  private withProgress(run: ActiveRun): Promise<RunResult> {
    return Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Workflow: ${run.name}`,
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => run.handle.cancel('cancelled from the notification'));
          let reported = 0;
          const sub = this.events.event(({ run: r }) => {
            if (r !== run) return;
            const fraction = run.total > 0 ? (run.done / run.total) * 100 : 0;
            progress.report({
              message: progressText(run),
              increment: Math.max(0, fraction - reported),
            });
            reported = Math.max(reported, fraction);
          });
          try {
            return await run.handle.result;
          } finally {
            sub.dispose();
          }
        },
      ),
    );
  }

  private onEvent(file: string, event: RunnerEvent, write: ((text: string) => void) | null): void {
    const run = this.active.get(file);
    if (!run) return;
    switch (event.type) {
      case 'run-started':
        run.runId = event.runId;
        run.runDir = event.runDir;
        run.total = event.plannedTasks;
        run.record = event.run;
        run.plan = event.plan;
        this.log.info(`run ${event.runId} started: ${event.runDir}`);
        // Profiling shows the dashboard from the start: it is live while the run goes.
        if (run.openLive) void vscode.commands.executeCommand(COMMANDS.openDashboard, event.runId);
        this.changed.fire();
        break;
      case 'task-started':
        run.running.add(event.task.nodeId);
        if (run.record) upsertTask(run.record.tasks, event.task);
        break;
      case 'task-finished':
        run.running.delete(event.task.nodeId);
        if (run.record) upsertTask(run.record.tasks, event.task);
        if (event.task.status !== 'retried') run.done++;
        this.log.info(
          `${event.task.nodeId}: ${event.task.status}${event.task.durationMs !== null ? ` in ${formatMs(event.task.durationMs)}` : ''}${event.task.reason ? ` (${event.task.reason})` : ''}`,
        );
        this.changed.fire();
        break;
      case 'log':
        write?.(prefixLines(event.nodeId, event.text));
        break;
      case 'samples':
        for (const sample of event.samples) run.samples.push(sample);
        break;
      case 'run-finished':
        run.record = event.run;
        break;
      case 'invalid':
        this.diagnostics.setProblems(event.problems);
        break;
      case 'fatal':
        this.log.error(event.message);
        break;
      default:
        break;
    }
    // Between start and end the status bar's timer redraws it: per event, a big run would send
    // VS Code thousands of status bar updates.
    if (event.type === 'run-started') this.updateStatusBar();
    this.events.fire({ run, event });
  }

  private finish(
    uri: vscode.Uri,
    name: string,
    result: RunResult,
    options: RunOptions,
  ): RunCommandResult {
    const out: RunCommandResult = {
      runId: result.runId,
      runDir: result.runDir,
      status: result.status,
    };
    if (result.status === 'invalid') {
      const n = result.problems.filter((p) => p.severity === 'error').length;
      this.log.error(`${uri.fsPath}: ${n} problem(s); the workflow did not start`);
      if (!options.silent) {
        void vscode.window
          .showErrorMessage(
            `${name}: the workflow has ${n} problem${n === 1 ? '' : 's'} and did not start.`,
            'Show Problems',
          )
          .then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
      }
      return out;
    }
    if (result.error) this.log.error(result.error);
    const wall = result.run?.wallMs ?? null;
    this.log.info(
      `run ${result.runId ?? '?'} ${result.status}${wall !== null ? ` in ${formatMs(wall)}` : ''}`,
    );
    if (options.silent || !result.runId) return out;
    if (options.profile && result.status !== 'failed') {
      void vscode.commands.executeCommand(COMMANDS.openDashboard, result.runId);
    }
    // A failed run says which node failed and why, and offers that node's log.
    const failure = result.run ? firstFailure(result.run) : null;
    const why = result.run ? failureSentence(result.run) : null;
    const text = `${name} ${result.status}${wall !== null ? ` in ${formatMs(wall)}` : ''}.${why ? ` ${why}` : ''}`;
    const buttons = [...(failure ? ['Show Log'] : []), 'Open Dashboard', 'Open Report'];
    const show =
      result.status === 'completed'
        ? vscode.window.showInformationMessage
        : vscode.window.showWarningMessage;
    const runId = result.runId;
    const choose = (choice: string | undefined): void => {
      if (choice === 'Show Log' && failure) {
        const log = new RunStore(this.storeDir()).logPath(runId, failure.nodeId, failure.attempt);
        vscode.window
          .showTextDocument(vscode.Uri.file(log), { preview: true })
          .then(undefined, (e: unknown) => this.log.error(`cannot open ${log}: ${String(e)}`));
      }
      if (choice === 'Open Dashboard')
        void vscode.commands.executeCommand(COMMANDS.openDashboard, result.runId);
      if (choice === 'Open Report')
        void vscode.commands.executeCommand(COMMANDS.openReport, result.runId);
    };
    void show(text, ...buttons).then(choose);
    this.noticed.fire({ runId, status: result.status, message: text, items: buttons, choose });
    return out;
  }

  private updateStatusBar(): void {
    const runs = [...this.active.values()];
    if (this.runningContext !== runs.length > 0) {
      // Shows the palette's Cancel only while something runs.
      this.runningContext = runs.length > 0;
      void vscode.commands.executeCommand(
        'setContext',
        'workflowProfiler.running',
        runs.length > 0,
      );
    }
    if (runs.length === 0) {
      this.statusBar.hide();
      if (this.statusTimer) clearInterval(this.statusTimer);
      this.statusTimer = null;
      return;
    }
    const r = runs[0] as ActiveRun;
    const more = runs.length > 1 ? ` (+${runs.length - 1})` : '';
    this.statusBar.text = `$(sync~spin) ${r.name} ${progressText(r)}${more}`;
    this.statusBar.tooltip = `Workflow Profiler: ${r.name} is running (${r.running.size} node(s) now). Click to cancel it.`;
    this.statusBar.command = {
      title: 'Cancel',
      command: COMMANDS.cancel,
      arguments: [vscode.Uri.file(r.file)],
    };
    this.statusBar.show();
    this.statusTimer ??= setInterval(() => this.updateStatusBar(), 500);
  }

  dispose(): void {
    this.cancel();
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusBar.dispose();
    this.changed.dispose();
    this.events.dispose();
    this.noticed.dispose();
    this.memoryWarned.dispose();
  }
}

function workflowName(file: string): string {
  return path.basename(file).replace(/\.workflow\.(ya?ml|json)$/, '');
}

function publicRun(r: SeriesRun): SeriesCommandResult['runs'][number] {
  return { runId: r.runId, runDir: r.runDir, status: r.status };
}

function progressText(run: ActiveRun): string {
  const elapsed = formatMs(Date.now() - run.startedAt);
  return `${run.done}/${run.total || '?'} nodes · ${elapsed}`;
}

function prefixLines(nodeId: string, text: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => `[${nodeId}] ${line}`)
    .join('');
}
