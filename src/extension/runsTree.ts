/** The Runs view: history per workflow, newest first, with status icon, wall time and when. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../store/runStore';
import type { RunStatus } from '../model/run';
import { formatMs } from '../model/format';
import { COMMANDS } from './commandIds';
import type { RunCatalog } from './runCatalog';

export type RunsNode = WorkflowGroup | RunItem;

export class WorkflowGroup {
  readonly kind = 'group';
  constructor(
    readonly key: string,
    readonly name: string,
    readonly file: string,
    readonly runs: RunSummary[],
  ) {}
}

export class RunItem {
  readonly kind = 'run';
  constructor(readonly run: RunSummary) {}
  get runId(): string {
    return this.run.id;
  }
  get uri(): vscode.Uri {
    return vscode.Uri.file(this.run.workflow.file);
  }
}

const ICONS: Record<RunStatus, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  interrupted: new vscode.ThemeIcon(
    'debug-disconnect',
    new vscode.ThemeColor('testing.iconErrored'),
  ),
};

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** The store reports damaged folders itself (once each); the tree only shows what lists. */
  constructor(private readonly runs: RunCatalog) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node instanceof WorkflowGroup) {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = vscode.workspace.asRelativePath(node.file);
      item.iconPath = new vscode.ThemeIcon('type-hierarchy');
      item.contextValue = 'workflowGroup';
      item.resourceUri = vscode.Uri.file(node.file);
      item.id = `group:${node.key}`;
      item.tooltip = `${node.file}\n${node.runs.length} run(s)`;
      return item;
    }
    const r = node.run;
    const when = new Date(r.startedAt);
    const item = new vscode.TreeItem(formatWhen(when), vscode.TreeItemCollapsibleState.None);
    item.id = `run:${r.id}`;
    item.description = `${r.status} · ${formatMs(r.wallMs)}`;
    item.iconPath = ICONS[r.status];
    item.contextValue = r.status === 'running' ? 'run.running' : 'run';
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = false;
    tip.appendMarkdown(`**${escapeMd(r.workflow.name)}** — ${r.status}\n\n`);
    tip.appendMarkdown(
      `Run \`${r.id}\`  \nStarted ${when.toLocaleString()}  \nWall time ${formatMs(r.wallMs)}`,
    );
    const counts = Object.entries(r.taskCounts ?? {})
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    if (counts) tip.appendMarkdown(`  \nTasks: ${counts}`);
    item.tooltip = tip;
    item.command = {
      title: 'Open Dashboard',
      command: COMMANDS.openDashboard,
      arguments: [r.id],
    };
    return item;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (node instanceof RunItem) return [];
    if (node instanceof WorkflowGroup) return node.runs.map((r) => new RunItem(r));
    const runs = await this.runs.list();
    const groups = new Map<string, RunSummary[]>();
    for (const r of runs) {
      const key = r.workflow.file || r.workflow.name;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    return [...groups.entries()]
      .map(
        ([key, list]) =>
          new WorkflowGroup(
            key,
            list[0]?.workflow.name ?? path.basename(key),
            list[0]?.workflow.file ?? key,
            list,
          ),
      )
      .sort((a, b) => (b.runs[0]?.id ?? '').localeCompare(a.runs[0]?.id ?? ''));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function formatWhen(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (c) => `\\${c}`);
}
