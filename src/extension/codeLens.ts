/**
 * "Run | Profile | Profile Repeatedly… | Compare last runs" above a workflow, and above each node what it cost the last
 * time it ran (`1.24 s · 312 MiB · 98% CPU`), with the numbers in a hover.
 */
import * as vscode from 'vscode';
import { nodeQueuedMs } from '../model/metrics';
import type { RunRecord, TaskRun } from '../model/run';
import { hoverRows, lensTitleParts } from '../report/metricColumns';
import { latestFinishedRun } from '../query/runHistory';
import { COMMANDS } from './commandIds';
import type { ParsedWorkflows } from './parsedWorkflows';
import type { RunCatalog } from './runCatalog';
import { readConfig } from './config';
import { toRange } from './diagnostics';

export function nodeLensTitle(task: TaskRun | undefined): string {
  if (!task) return 'not run yet';
  if (task.status === 'skipped' || (task.status === 'cancelled' && task.durationMs === null)) {
    return `last run: ${task.status}`;
  }
  const parts = lensTitleParts(task);
  if (task.http?.status) parts.push(`HTTP ${task.http.status}`);
  const status = task.status === 'completed' ? '' : ` (${task.status})`;
  return parts.join(' · ') + status;
}

export class WorkflowCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly runs: RunCatalog,
    readonly parsed: ParsedWorkflows,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!readConfig(doc.uri).codeLensEnabled) return [];
    const { workflow } = this.parsed.of(doc);
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [
      new vscode.CodeLens(top, {
        title: '$(play) Run',
        command: COMMANDS.run,
        arguments: [doc.uri],
        tooltip: 'Run this workflow and record timing and resource metrics',
      }),
      new vscode.CodeLens(top, {
        title: '$(pulse) Profile',
        command: COMMANDS.profile,
        arguments: [doc.uri],
        tooltip: 'Run with the full sample time series and open the dashboard',
      }),
      new vscode.CodeLens(top, {
        title: '$(history) Profile Repeatedly…',
        command: COMMANDS.profileRepeatedly,
        arguments: [doc.uri],
        tooltip: 'Profile N times as one series, for statistics and comparisons between series',
      }),
      new vscode.CodeLens(top, {
        title: '$(git-compare) Compare last runs',
        command: COMMANDS.compareRuns,
        arguments: [doc.uri],
        tooltip: 'Compare the last runs of this workflow',
      }),
    ];
    if (!workflow) return lenses;
    const last = await this.lastRun(doc.uri.fsPath);
    for (const node of workflow.nodes) {
      const task = last ? finalTask(last, node.id) : undefined;
      const range = toRange(node.range);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(range.start, range.start), {
          title: nodeLensTitle(task),
          tooltip: last
            ? `From run ${last.id} (${last.status}, ${new Date(last.startedAt).toLocaleString()})`
            : 'No stored run of this workflow yet',
          command: last ? COMMANDS.openDashboard : '',
          arguments: last ? [last.id, node.id] : [],
        }),
      );
    }
    return lenses;
  }

  /** The newest finished run of this file, or undefined. */
  async lastRun(file: string): Promise<RunRecord | undefined> {
    const summary = latestFinishedRun(await this.runs.list(), file);
    if (!summary) return undefined;
    try {
      return await this.runs.load(summary.id);
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function finalTask(run: RunRecord, nodeId: string): TaskRun | undefined {
  let found: TaskRun | undefined;
  for (const t of run.tasks) if (t.nodeId === nodeId) found = t;
  return found;
}

/** Hovers over a node's key: every number of its last run. */
export class WorkflowHoverProvider implements vscode.HoverProvider {
  constructor(private readonly lenses: WorkflowCodeLensProvider) {}

  async provideHover(
    doc: vscode.TextDocument,
    pos: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const { workflow } = this.lenses.parsed.of(doc);
    const node = workflow?.nodes.find((n) => toRange(n.range).contains(pos));
    if (!node) return undefined;
    const run = await this.lenses.lastRun(doc.uri.fsPath);
    const t = run ? finalTask(run, node.id) : undefined;
    if (!run || !t) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.appendMarkdown(`**Last run** \`${run.id}\` — ${t.status}\n\n`);
    // Queued is the node's, over every attempt (src/model/metrics.ts), as in the report.
    const attempts = run.tasks.filter((x) => x.nodeId === node.id);
    const rows = hoverRows({ ...t, waitMs: nodeQueuedMs(attempts) });
    md.appendMarkdown('| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n'));
    return new vscode.Hover(md, toRange(node.range));
  }
}
