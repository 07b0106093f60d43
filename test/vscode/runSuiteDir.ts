/**
 * Runs every `*.test.js` of one compiled folder with mocha inside the extension host, for the
 * test entries VS Code loads from `extensionTestsPath` (index.ts, installed/index.ts). The
 * promise settling is what ends the host's test run (resolve = exit 0, reject = exit 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function runSuiteDir(suiteDir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    // The host's console reaches the runner as plain text: escape codes would only be noise.
    color: false,
    // A real workbench is slower than a unit test: activation alone can take seconds on CI.
    timeout: Number(process.env.WORKFLOW_PROFILER_TEST_TIMEOUT_MS) || 30_000,
    grep: process.env.WORKFLOW_PROFILER_TEST_GREP || undefined,
  });

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
