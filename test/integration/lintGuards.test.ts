/**
 * The guards `npm run lint` runs: the layer check (dependency-cruiser) fails on an upward import
 * and on a cycle, and the copy check (jscpd) fails on pasted code. Each is run, with the
 * project's own configuration, on planted files in a scratch tree, and once on the repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);

function scratch(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-lint-'));
  for (const f of ['.dependency-cruiser.cjs', '.jscpd.json', 'tsconfig.json']) {
    fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function run(cmd: string, args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(bin(cmd), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, `${cmd} could not start: ${String(r.error)}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const depcruise = (cwd: string): { code: number | null; out: string } =>
  run('depcruise', ['--config', '.dependency-cruiser.cjs', 'src', 'webview'], cwd);

test('the layer check passes on the repository', () => {
  const r = depcruise(repoRoot);
  assert.equal(r.code, 0, r.out);
});

test('the layer check fails on an upward import, naming the rule', () => {
  const dir = scratch({
    'src/model/run.ts': "import { render } from '../report/markdown';\nexport const x = render;\n",
    'src/report/markdown.ts': 'export const render = (): string => "";\n',
    'webview/page.ts': 'export const y = 1;\n',
  });
  const r = depcruise(dir);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /no-upward-from-model: src\/model\/run\.ts → src\/report\/markdown\.ts/);
});

test('the layer check fails on a cycle between files of one folder', () => {
  const dir = scratch({
    'src/store/a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
    'src/store/b.ts': "import { a } from './a';\nexport const b = (): number => a() - 1;\n",
    'webview/page.ts': 'export const y = 1;\n',
  });
  const r = depcruise(dir);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /no-circular/);
});

test('the layer check keeps the webview to model, protocol and chart builders', () => {
  const dir = scratch({
    'src/store/runStore.ts': 'export const store = 1;\n',
    'src/report/charts/bar.ts': 'export const bar = 1;\n',
    'webview/page.ts':
      "import { store } from '../src/store/runStore';\nimport { bar } from '../src/report/charts/bar';\nexport const y = store + bar;\n",
  });
  const r = depcruise(dir);
  assert.notEqual(r.code, 0, r.out);
  assert.match(
    r.out,
    /webview-only-model-protocol-charts: webview\/page\.ts → src\/store\/runStore\.ts/,
  );
  assert.doesNotMatch(r.out, /webview\/page\.ts → src\/report\/charts\/bar\.ts/);
});

test('the layer check keeps Node built-ins out of what the webview reaches through src/', () => {
  const dir = scratch({
    'src/report/whatif/sim.ts':
      "import { readFileSync } from 'node:fs';\nexport const sim = (): string => readFileSync('x', 'utf8');\n",
    'src/report/charts/scenario.ts':
      "import { sim } from '../whatif/sim';\nexport const scenario = (): string => sim();\n",
    'webview/page.ts':
      "import { scenario } from '../src/report/charts/scenario';\nexport const y = scenario;\n",
  });
  const r = depcruise(dir);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /webview-reaches-no-node-builtin: webview\/page\.ts → /);
  assert.match(r.out, /src\/report\/whatif\/sim\.ts →\s+fs/);
});

test('the copy check fails on pasted code and passes on the repository', () => {
  const body = Array.from(
    { length: 12 },
    (_, i) =>
      `export function step${i}(xs: number[]): number {\n  let total = ${i};\n  for (const x of xs) total += x * ${i + 1};\n  return total;\n}\n`,
  ).join('');
  const dir = scratch({ 'src/a.ts': body, 'src/b.ts': body });
  const pasted = run('jscpd', ['src'], dir);
  assert.notEqual(pasted.code, 0, pasted.out);
  assert.match(pasted.out, /too many duplicates/);
  const repo = run('jscpd', ['src', 'webview'], repoRoot);
  assert.equal(repo.code, 0, repo.out);
});
