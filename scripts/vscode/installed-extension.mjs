// The extension as a user installs it: a .vsix put into a fresh extensions folder with the real
// VS Code's own `--install-extension`, and the throwaway development extension that the test
// runner needs beside it.
//
// VS Code only runs extensionTestsPath when an extensionDevelopmentPath is given too (the host
// says "Cannot load test runner" otherwise). Pointing that at the repository, or at a staged
// copy, would load Workflow Profiler from there instead of from the installed folder. So the
// development extension is a driver with no code and another id: the tests it hosts drive the
// installed Workflow Profiler through its commands and the API its activate() returns.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { entryScript } from './install-code-server.mjs';

/** A problem with the package or its install, said so the user knows what to run. */
export class InstalledExtensionError extends Error {}

/** The manifest's `publisher.name`, the id VS Code gives the extension. */
export function extensionIdOf(manifest) {
  return `${manifest.publisher}.${manifest.name}`;
}

/** The .vsix `npm run package` builds for a target, e.g. packages/workflow-profiler-linux-x64-0.2.0.vsix. */
export function packagePath(repoRoot, target) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return path.join(repoRoot, 'packages', `${manifest.name}-${target}-${manifest.version}.vsix`);
}

/** What a package is built from: one list, shared with test/integration/vsixContents.test.ts. */
const PACKAGE_INPUTS = JSON.parse(
  fs.readFileSync(new URL('../package-inputs.json', import.meta.url), 'utf8'),
);

function newestInput(repoRoot) {
  let newest = { file: '', mtimeMs: 0 };
  const visit = (rel) => {
    const full = path.join(repoRoot, rel);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) for (const e of fs.readdirSync(full)) visit(path.join(rel, e));
    else if (stat.mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs: stat.mtimeMs };
  };
  for (const rel of PACKAGE_INPUTS) visit(rel);
  return newest;
}

/**
 * Fails, naming the command, when the package is missing or older than its sources: testing a
 * stale package would pass or fail for code that is no longer there.
 */
export function checkPackage(repoRoot, vsix) {
  const rel = path.relative(repoRoot, vsix);
  if (!fs.existsSync(vsix)) {
    throw new InstalledExtensionError(`${rel} is missing: run \`npm run package\` first`);
  }
  const newest = newestInput(repoRoot);
  if (fs.statSync(vsix).mtimeMs < newest.mtimeMs) {
    throw new InstalledExtensionError(
      `${rel} is older than ${newest.file}: run \`npm run package\` again`,
    );
  }
}

/**
 * Installs `vsix` with the real VS Code's CLI into `extensionsDir` and returns the folder it
 * went to. `config` must be given: without --config code-server writes a config file under the
 * user's home. `env` keeps its other state in the run's temp folder too.
 */
export function installVsix({ installDir, vsix, config, userDataDir, extensionsDir, env }) {
  const r = spawnSync(
    process.execPath,
    [
      entryScript(installDir),
      '--config',
      config,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0) {
    throw new InstalledExtensionError(
      `--install-extension ${path.basename(vsix)} failed (${r.error?.message ?? `exit ${r.status}`}):\n${output}`,
    );
  }
  // The folder is named after the manifest inside the package, not after the .vsix file.
  const installed = fs
    .readdirSync(extensionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(extensionsDir, e.name));
  if (installed.length !== 1) {
    throw new InstalledExtensionError(
      `expected one extension in ${extensionsDir} after installing ${path.basename(vsix)}, found ${installed.length}:\n${output}`,
    );
  }
  return installed[0];
}

/** The driver's manifest: an id of its own, no code, nothing contributed. */
const DRIVER_MANIFEST = {
  name: 'installed-test-driver',
  displayName: 'Workflow Profiler installed-package test driver',
  publisher: 'workflow-profiler-tests',
  version: '0.0.0',
  private: true,
  engines: { vscode: '^1.100.0' },
};

/** Writes the driver extension into `dir` and returns `dir`. */
export function writeDriverExtension(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(DRIVER_MANIFEST, null, 2));
  return dir;
}
