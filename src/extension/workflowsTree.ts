/** The Workflows view: workflow files found in the workspace, each with its nodes. */
import * as vscode from 'vscode';
import { parseWorkflowText, type ParseOutcome } from '../workflow/parse';
import type { NodeDef } from '../workflow/types';
import { findWorkflowFiles, WORKFLOW_GLOB } from './workflowUri';
import { toRange } from './diagnostics';
import type { ParsedWorkflows } from './parsedWorkflows';

export type WorkflowsNode = WorkflowFileItem | WorkflowNodeItem;

export class WorkflowFileItem {
  readonly kind = 'file';
  constructor(
    readonly uri: vscode.Uri,
    readonly name: string,
    readonly nodes: NodeDef[],
    readonly problems: number,
  ) {}
}

export class WorkflowNodeItem {
  readonly kind = 'node';
  constructor(
    readonly uri: vscode.Uri,
    readonly node: NodeDef,
  ) {}
}

const TYPE_ICONS: Record<string, string> = {
  shell: 'terminal',
  python: 'symbol-method',
  node: 'symbol-event',
  http: 'globe',
  switch: 'git-branch',
  merge: 'git-merge',
  workflow: 'type-hierarchy-sub',
};

export class WorkflowsTreeProvider
  implements vscode.TreeDataProvider<WorkflowsNode>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<WorkflowsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(WORKFLOW_GLOB);

  constructor(private readonly parsed: ParsedWorkflows) {
    this.watcher.onDidCreate(() => this.refresh());
    this.watcher.onDidDelete(() => this.refresh());
    this.watcher.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: WorkflowsNode): vscode.TreeItem {
    if (n instanceof WorkflowFileItem) {
      const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.resourceUri = n.uri;
      item.description = vscode.workspace.asRelativePath(n.uri);
      item.iconPath = new vscode.ThemeIcon(n.problems > 0 ? 'warning' : 'type-hierarchy');
      item.contextValue = 'workflowFile';
      item.tooltip =
        n.problems > 0 ? `${n.problems} problem(s): see the Problems panel` : n.uri.fsPath;
      item.command = { title: 'Open', command: 'vscode.open', arguments: [n.uri] };
      return item;
    }
    const item = new vscode.TreeItem(n.node.id, vscode.TreeItemCollapsibleState.None);
    item.description = n.node.type + (n.node.needs.length ? ` ← ${n.node.needs.join(', ')}` : '');
    item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[n.node.type] ?? 'circle-outline');
    item.contextValue = 'workflowNode';
    item.command = {
      title: 'Reveal',
      command: 'vscode.open',
      arguments: [
        n.uri,
        { selection: toRange(n.node.range) } satisfies vscode.TextDocumentShowOptions,
      ],
    };
    return item;
  }

  async getChildren(n?: WorkflowsNode): Promise<WorkflowsNode[]> {
    if (n instanceof WorkflowNodeItem) return [];
    if (n instanceof WorkflowFileItem)
      return n.nodes.map((node) => new WorkflowNodeItem(n.uri, node));
    const files = await findWorkflowFiles();
    const items = await Promise.all(
      files.map(async (uri) => {
        const { workflow, problems } = await this.parse(uri);
        const name = workflow?.name ?? vscode.workspace.asRelativePath(uri);
        return new WorkflowFileItem(
          uri,
          name,
          workflow?.nodes ?? [],
          problems.filter((p) => p.severity === 'error').length,
        );
      }),
    );
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An open document's current text (its shared parse), else the file on disk. */
  private async parse(uri: vscode.Uri): Promise<ParseOutcome> {
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (open) return this.parsed.of(open);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return parseWorkflowText(text, uri.fsPath);
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
