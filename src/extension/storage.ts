/** Where this workspace's runs live: the engine's run store under the extension's storage. */
import * as path from 'node:path';
import * as vscode from 'vscode';

export function storeDirFor(context: vscode.ExtensionContext): string {
  // No folder open: storageUri is undefined, so runs go to the global storage instead.
  const base = context.storageUri ?? context.globalStorageUri;
  return path.join(base.fsPath, 'runs');
}
