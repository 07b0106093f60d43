/** Clicking a node in a panel reveals it in its workflow file. */
import * as vscode from 'vscode';
import { parseWorkflowText } from '../../workflow/parse';
import { toRange } from '../diagnostics';
import { topLevelNodeId } from './webviewAssets';

export async function revealNode(file: string, nodeId: string): Promise<boolean> {
  const uri = vscode.Uri.file(file);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    void vscode.window.showWarningMessage(`The workflow file ${file} is gone.`);
    return false;
  }
  const { workflow } = parseWorkflowText(doc.getText(), file);
  const id = topLevelNodeId(nodeId);
  const node = workflow?.nodes.find((n) => n.id === id);
  const range = node ? toRange(node.range) : new vscode.Range(0, 0, 0, 0);
  await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.One,
    selection: range,
    preserveFocus: false,
  });
  if (!node) void vscode.window.showInformationMessage(`Node ${id} is no longer in ${file}.`);
  return !!node;
}
