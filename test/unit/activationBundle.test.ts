/**
 * What a cold activation loads: dist/extension.js is built from src/extension/extension.ts alone,
 * and everything behind the contributions comes from dist/extensionServices.js on first use. An
 * import of a heavy module into the activation side would quietly put it back on the activation
 * path; this bundles the entry as esbuild.mjs does and checks what went in.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { repoRoot } from '../helpers/paths';

/** The only modules the activation bundle may hold: ids, stand-ins, registration, file names. */
const ACTIVATION_SIDE = [
  'src/extension/extension.ts',
  'src/extension/commandIds.ts',
  'src/extension/contributionIds.ts',
  'src/extension/lazyProviders.ts',
  'src/extension/registerCommand.ts',
  'src/extension/storage.ts',
  'src/workflow/discover.ts',
];

function bundledInputs(entry: string): string[] {
  const r = buildSync({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    write: false,
    metafile: true,
    outfile: path.join(repoRoot, 'out', 'activation-bundle-check.js'),
    logLevel: 'silent',
  });
  return Object.keys(r.metafile.inputs).sort();
}

test('the activation bundle holds only the activation side', () => {
  const inputs = bundledInputs('src/extension/extension.ts');
  assert.deepEqual(inputs, [...ACTIVATION_SIDE].sort());
});

test('the services bundle holds what activation leaves out', () => {
  const inputs = bundledInputs('src/extension/extensionServices.ts');
  for (const heavy of [
    'src/extension/runController.ts',
    'src/store/runStore.ts',
    'src/workflow/parse.ts',
  ])
    assert.ok(inputs.includes(heavy), `${heavy} in the services bundle`);
  assert.ok(
    inputs.some((i) => i.includes('node_modules/yaml/')),
    'the yaml parser in the services bundle',
  );
});
