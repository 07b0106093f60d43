/**
 * Extension-host test entry: VS Code loads this module from `extensionTestsPath` and calls
 * run(). The same file works under @vscode/test-electron for contributors who can download VS Code.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSuiteDir } from './runSuiteDir';

export function run(): Promise<void> {
  // A workspace in Restricted Mode runs the suites written for it; a trusted one the others.
  return runSuiteDir(path.join(__dirname, vscode.workspace.isTrusted ? 'suite' : 'untrusted'));
}
