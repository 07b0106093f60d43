/** Every contributed command, resolving its arguments the same way from palette, trees and lenses. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../model/run';
import type { SeriesComparison } from '../model/seriesComparison';
import { compareChoices, compareSides } from '../query/compareSides';
import { writeFileAtomic } from '../store/atomicWrite';
import { EXPORT_FORMATS, writeExport } from '../query/exportRun';
import { runReport } from '../query/report';
import { lastFinishedRuns } from '../query/runHistory';
import { COMMANDS, type CommandId } from './commandIds';
import { showCompareReport } from './compareReport';
import type { CommandHandler } from './registerCommand';
import type { RunCatalog } from './runCatalog';
import type { RunCommandResult, RunController } from './runController';
import { RunItem } from './runsTree';
import { profileRepeatedly, type SeriesNotice } from './profileRepeatedly';
import { createSampleWorkflow } from './sampleWorkflowCommand';
import { resolveWorkflowUri, uriFromArg } from './workflowUri';

export interface CommandDeps {
  controller: RunController;
  runs: RunCatalog;
  refresh: () => void;
  scratchDir: () => string;
  /** Opens the dashboard for a run; without panels this shows the report. */
  openDashboard?: (run: RunRecord, nodeId?: string) => void;
  /**
   * Opens the compare panel on two sides (each a series, a run or runs separated by commas) and
   * resolves with its comparison; without it the comparison is shown as Markdown.
   */
  openCompare?: (sides: CompareSidesArg) => Promise<SeriesComparison>;
  /** Where "Profile Repeatedly…" announces its end-of-series notification. */
  seriesNotices: vscode.EventEmitter<SeriesNotice>;
  /** Told once "Create a Sample Workflow" has written its file (the walkthrough's first step). */
  onSampleCreated?: (file: vscode.Uri) => void;
}

export interface CompareSidesArg {
  baseline: string;
  candidate: string;
}

function sidesFromArg(arg: unknown): CompareSidesArg | undefined {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return undefined;
  const o = arg as { baseline?: unknown; candidate?: unknown };
  return typeof o.baseline === 'string' && typeof o.candidate === 'string'
    ? { baseline: o.baseline, candidate: o.candidate }
    : undefined;
}

/** "Compare last runs" from a workflow compares this many of its newest finished runs. */
const COMPARE_LAST_RUNS = 5;

function runIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (arg instanceof RunItem) return arg.runId;
  if (typeof arg === 'object' && arg !== null && 'runId' in arg) {
    const id = arg.runId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

async function pickRun(runs: RunCatalog, placeHolder: string): Promise<string | undefined> {
  const all = await runs.list();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No stored runs yet: run a workflow first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((r) => ({
      label: `${r.workflow.name}  ${new Date(r.startedAt).toLocaleString()}`,
      description: `${r.status} · ${r.id}`,
      id: r.id,
    })),
    { placeHolder },
  );
  return picked?.id;
}

async function loadRun(
  deps: CommandDeps,
  arg: unknown,
  placeHolder: string,
): Promise<RunRecord | undefined> {
  const id = runIdFromArg(arg) ?? (await pickRun(deps.runs, placeHolder));
  if (!id) return undefined;
  try {
    return await deps.runs.load(id);
  } catch (err) {
    void vscode.window.showErrorMessage(`Workflow Profiler: ${(err as Error).message}`);
    return undefined;
  }
}

/** The report of a finished run is on disk; a running one's is rendered from what it has so far. */
async function reportUri(deps: CommandDeps, run: RunRecord): Promise<vscode.Uri> {
  const report = await runReport(deps.runs, run);
  if (report.kind === 'stored') return vscode.Uri.file(report.file);
  const scratch = path.join(deps.scratchDir(), `report-${run.id}.md`);
  await fs.promises.mkdir(path.dirname(scratch), { recursive: true });
  writeFileAtomic(scratch, report.text);
  return vscode.Uri.file(scratch);
}

function exportOptions(options: unknown): { format?: string; file?: vscode.Uri } {
  if (typeof options !== 'object' || options === null) return {};
  const o = options as { format?: unknown; file?: unknown };
  return {
    format: typeof o.format === 'string' ? o.format : undefined,
    file:
      o.file instanceof vscode.Uri
        ? o.file
        : typeof o.file === 'string'
          ? vscode.Uri.file(o.file)
          : undefined,
  };
}

/** Every contributed command's handler; activate() registers them (src/extension/extension.ts). */
export function commandHandlers(deps: CommandDeps): ReadonlyMap<CommandId, CommandHandler> {
  const handlers = new Map<CommandId, CommandHandler>();
  const reg = (id: CommandId, fn: CommandHandler): void => {
    handlers.set(id, fn);
  };

  const runOrProfile =
    (profile: boolean) =>
    async (arg?: unknown): Promise<RunCommandResult | undefined> => {
      const uri = await resolveWorkflowUri(arg);
      if (!uri) return undefined;
      return deps.controller.run(uri, { profile });
    };
  reg(COMMANDS.run, runOrProfile(false));
  reg(COMMANDS.profile, runOrProfile(true));
  reg(COMMANDS.profileRepeatedly, (arg?: unknown, options?: unknown) =>
    profileRepeatedly(
      {
        controller: deps.controller,
        runs: deps.runs,
        scratchDir: deps.scratchDir,
        notices: deps.seriesNotices,
      },
      arg,
      options,
    ),
  );

  reg(COMMANDS.cancel, async (arg?: unknown) => {
    const active = deps.controller.activeRuns();
    const uri = uriFromArg(arg);
    if (uri) return deps.controller.cancel(uri.fsPath);
    if (active.length <= 1) return deps.controller.cancel();
    const picked = await vscode.window.showQuickPick(
      active.map((r) => ({
        label: r.name,
        description: `${r.done}/${r.total} nodes`,
        file: r.file,
      })),
      { placeHolder: 'Cancel which run?' },
    );
    return picked ? deps.controller.cancel(picked.file) : false;
  });

  reg(COMMANDS.openReport, async (arg?: unknown) => {
    const run = await loadRun(deps, arg, 'Open the report of which run?');
    if (!run) return undefined;
    const uri = await reportUri(deps, run);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return uri;
  });

  reg(COMMANDS.openDashboard, async (arg?: unknown, nodeId?: unknown) => {
    const run = await loadRun(deps, arg, 'Open the dashboard of which run?');
    if (!run) return;
    if (deps.openDashboard)
      return deps.openDashboard(run, typeof nodeId === 'string' ? nodeId : undefined);
    const uri = await reportUri(deps, run);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return uri;
  });

  reg(COMMANDS.compareRuns, async (arg?: unknown, selection?: unknown) => {
    const sides = sidesFromArg(arg) ?? (await sidesOfRuns(deps, arg, selection));
    if (!sides) return undefined;
    if (deps.openCompare) return deps.openCompare(sides);
    const c = await compareSides(deps.runs, sides.baseline, sides.candidate);
    await showCompareReport(deps.scratchDir(), c);
    return c.result;
  });

  reg(COMMANDS.exportRun, async (arg?: unknown, options?: unknown) => {
    const run = await loadRun(deps, arg, 'Export which run?');
    if (!run) return undefined;
    // Other extensions and tests may name the format and the file and skip both prompts.
    const given = exportOptions(options);
    const formats = EXPORT_FORMATS.map((f) => ({ ...f }));
    const format = given.format
      ? formats.find((f) => f.id === given.format)
      : await vscode.window.showQuickPick(formats, { placeHolder: 'Export format' });
    if (!format) return undefined;
    const target =
      given.file ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(
          path.join(
            vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '',
            `${run.workflow.name}-${run.id}.${format.ext}`,
          ),
        ),
      }));
    if (!target) return undefined;
    await writeExport(deps.runs, run, format.id, target.fsPath);
    void vscode.window.showInformationMessage(`Exported run ${run.id} to ${target.fsPath}`);
    return target;
  });

  reg(COMMANDS.deleteRun, async (arg?: unknown, selection?: unknown) => {
    const ids =
      Array.isArray(selection) && selection.length > 0
        ? selection.map(runIdFromArg).filter((x): x is string => !!x)
        : [runIdFromArg(arg)].filter((x): x is string => !!x);
    if (ids.length === 0) {
      const id = await pickRun(deps.runs, 'Delete which run?');
      if (id) ids.push(id);
    }
    if (ids.length === 0) return false;
    const ok = await vscode.window.showWarningMessage(
      ids.length === 1
        ? `Delete run ${ids[0]}? Its folder, logs and report are removed.`
        : `Delete ${ids.length} runs? Their folders, logs and reports are removed.`,
      { modal: true },
      'Delete',
    );
    if (ok !== 'Delete') return false;
    deps.runs.delete(ids);
    deps.refresh();
    return true;
  });

  reg(COMMANDS.refresh, () => deps.refresh());

  reg(COMMANDS.createSampleWorkflow, (arg?: unknown) =>
    createSampleWorkflow(arg, (file) => deps.onSampleCreated?.(file)),
  );
  return handlers;
}

/**
 * The sides of "Compare" from runs: the runs picked (the newest the candidate, the others the
 * baseline), or from a workflow its two newest series, else its last runs.
 */
async function sidesOfRuns(
  deps: CommandDeps,
  arg: unknown,
  selection: unknown,
): Promise<CompareSidesArg | undefined> {
  let ids: string[] = [];
  if (Array.isArray(selection) && selection.length >= 2) {
    ids = selection.map(runIdFromArg).filter((x): x is string => !!x);
  } else if (Array.isArray(arg)) {
    ids = arg.map(runIdFromArg).filter((x): x is string => !!x);
  } else {
    const uri = uriFromArg(arg);
    const all = await deps.runs.list();
    if (uri) {
      // Two series of the workflow say more than its last runs: compare the newest two.
      const series = (await compareChoices(deps.runs, uri.fsPath)).filter(
        (c) => c.kind === 'series',
      );
      const [newest, previous] = series;
      if (newest && previous) return { baseline: previous.spec, candidate: newest.spec };
      ids = lastFinishedRuns(all, uri.fsPath, COMPARE_LAST_RUNS)
        .map((r) => r.id)
        .reverse();
    } else {
      const picked = await vscode.window.showQuickPick(
        all
          .filter((r) => r.status !== 'running')
          .map((r) => ({
            label: `${r.workflow.name}  ${new Date(r.startedAt).toLocaleString()}`,
            description: `${r.status} · ${r.id}`,
            id: r.id,
          })),
        { canPickMany: true, placeHolder: 'Pick two or more runs of one workflow to compare' },
      );
      ids = picked?.map((p) => p.id) ?? [];
    }
  }
  if (ids.length < 2) {
    void vscode.window.showInformationMessage(
      'Comparing needs at least two finished runs of the workflow.',
    );
    return undefined;
  }
  const runs = await Promise.all(ids.map((id) => deps.runs.load(id)));
  const files = new Set(runs.map((r) => r.workflow.file));
  if (files.size > 1) {
    void vscode.window.showErrorMessage(
      `Runs of different workflows cannot be compared (${[...files].join(', ')}).`,
    );
    return undefined;
  }
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const candidate = runs.pop() as RunRecord;
  return { baseline: runs.map((r) => r.id).join(','), candidate: candidate.id };
}
