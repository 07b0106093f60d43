/** Resolving "which workflow?" the way every command does: argument, active editor, quick pick. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isWorkflowFile } from '../workflow/discover';

export const WORKFLOW_GLOB = '**/*.workflow.{yaml,yml,json}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.workflow-runs}/**';

export function findWorkflowFiles(): Thenable<vscode.Uri[]> {
  return vscode.workspace.findFiles(WORKFLOW_GLOB, EXCLUDE_GLOB, 5000);
}

/** Tree items and CodeLens pass objects that carry a `uri`; commands also take a Uri or a path. */
export function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) {
    const u = arg.uri;
    if (u instanceof vscode.Uri) return u;
  }
  return undefined;
}

export async function resolveWorkflowUri(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = uriFromArg(arg);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && isWorkflowFile(active.fsPath)) return active;
  const files = await findWorkflowFiles();
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      'No workflow files (*.workflow.yaml, *.workflow.yml, *.workflow.json) in this workspace.',
    );
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files
      .map((uri) => ({
        label: path.basename(uri.fsPath),
        description: vscode.workspace.asRelativePath(uri),
        uri,
      }))
      .sort((a, b) => a.description.localeCompare(b.description)),
    { placeHolder: 'Which workflow?' },
  );
  return picked?.uri;
}
