/** Where the webview bundles live, and the HTML that loads them under a strict CSP. */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewHtml } from '../../report/webviewHtml';
import * as fs from 'node:fs';

export type WebviewKind = 'dashboard' | 'compare';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Scripts only from the built assets, nothing else reachable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function nonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function htmlFor(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  kind: WebviewKind,
  title: string,
): string {
  const root = webviewRoot(extensionUri);
  const css = vscode.Uri.joinPath(root, `${kind}.css`);
  return webviewHtml({
    kind,
    title,
    nonce: nonce(),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${kind}.js`)).toString(),
    styleUri: fs.existsSync(css.fsPath) ? webview.asWebviewUri(css).toString() : undefined,
  });
}

/** The workflow file and node a clicked id points at (`parent/child` reveals the parent node). */
export function topLevelNodeId(nodeId: string): string {
  return nodeId.split('/')[0] ?? nodeId;
}

export function baseName(file: string): string {
  return path.basename(file);
}
