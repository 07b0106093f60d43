#!/usr/bin/env node
// The same extension-host suites under @vscode/test-electron, for anyone who can download a
// desktop VS Code (these project machines cannot: they use run-tests.mjs with code-server).
// Runs the trusted suites, then the Restricted Mode suite, on fresh copies of the test workspace,
// loading the staged extension (what it ships).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const staged = spawnSync(
  process.execPath,
  [path.join(root, 'scripts/vscode/stage-extension.mjs')],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
if (staged.status !== 0) process.exit(staged.status ?? 2);
const extensionDevelopmentPath = staged.stdout.trim();
const extensionTestsPath = path.join(root, 'out/vscode-test/test/vscode/index.js');
if (!fs.existsSync(extensionTestsPath)) {
  console.error(`test-electron: ${extensionTestsPath} is missing: run \`tsc -p test/vscode\``);
  process.exit(2);
}

let failed = 0;
for (const trusted of [true, false]) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(root, 'test/vscode/workspace'), workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': !trusted,
      'security.workspace.trust.startupPrompt': 'never',
    }),
  );
  try {
    await runTests({
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userData}`],
      extensionTestsEnv: { WORKFLOW_PROFILER_TEST_TRUST: trusted ? 'trusted' : 'untrusted' },
    });
  } catch (err) {
    console.error(`test-electron (${trusted ? 'trusted' : 'untrusted'}): ${err}`);
    failed++;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
process.exit(failed > 0 ? 1 : 0);
