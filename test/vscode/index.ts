/**
 * Extension-host test entry: VS Code loads this module from `extensionTestsPath` and calls
 * run(); the promise settling is what ends the test run (resolve = exit 0, reject = exit 1).
 * The same file works under @vscode/test-electron for contributors who can download VS Code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    // The host's console reaches the runner as plain text: escape codes would only be noise.
    color: false,
    // A real workbench is slower than a unit test: activation alone can take seconds on CI.
    timeout: Number(process.env.WORKFLOW_PROFILER_TEST_TIMEOUT_MS) || 30_000,
    grep: process.env.WORKFLOW_PROFILER_TEST_GREP || undefined,
  });

  // A workspace in Restricted Mode runs the suites written for it; a trusted one the others.
  const suiteDir = path.join(__dirname, vscode.workspace.isTrusted ? 'suite' : 'untrusted');
  // Sorted, so the order does not depend on the file system.
  const files = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0)
    throw new Error(`no *.test.js files in ${suiteDir}: did the compile run?`);
  for (const f of files) mocha.addFile(path.join(suiteDir, f));

  let ran = 0;
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha
        .run((n) => resolve(n))
        .on('pass', () => ran++)
        .on('fail', () => ran++);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
  // A grep that matches nothing, or suites that register no tests, must not look like success.
  if (ran === 0) throw new Error('no tests ran');
  if (failures > 0) throw new Error(`${failures} of ${ran} tests failed`);
}
