/**
 * The first `npm test` installs the real VS Code, and node-pty's rebuild there ends in a failing
 * post-install step (an editor index it fetches a tool for) after pty.node is built: npm printed
 * some 60 `npm error` lines for it. Here a package that does the same, built with the real npm
 * through the installer's wrapper: one line when the artifact is there, the whole output when not.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tempWorkspace } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';

const NOISY_INSTALL = `
const fs = require('fs');
if (process.env.MAKE_ARTIFACT === '1') {
  fs.mkdirSync('build/Release', { recursive: true });
  fs.writeFileSync('build/Release/noisy.node', 'x');
}
for (let i = 0; i < 30; i++) console.error('noisy post-install line ' + i);
process.exit(1);
`;

function rebuild(makeArtifact: boolean): { status: number | null; out: string } {
  const dir = tempWorkspace({
    'package.json': JSON.stringify({ name: 'p', private: true, dependencies: { noisy: '1.0.0' } }),
    'node_modules/noisy/package.json': JSON.stringify({
      name: 'noisy',
      version: '1.0.0',
      scripts: { install: 'node install.js' },
    }),
    'node_modules/noisy/install.js': NOISY_INSTALL,
  });
  const installer = path.join(repoRoot, 'scripts', 'vscode', 'install-code-server.mjs');
  const code = `
    import { rebuildKeepingArtifact } from ${JSON.stringify(installer)};
    rebuildKeepingArtifact({
      cmd: 'npm',
      args: ['rebuild', 'noisy', '--no-audit', '--no-fund', '--loglevel=error'],
      cwd: ${JSON.stringify(dir)},
      artifact: ${JSON.stringify(path.join(dir, 'node_modules/noisy/build/Release/noisy.node'))},
      name: 'noisy',
    });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, MAKE_ARTIFACT: makeArtifact ? '1' : '0' },
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('a rebuild whose post-install fails after building its artifact prints one line', () => {
  const r = rebuild(true);
  assert.equal(r.status, 0, r.out);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, not npm's error dump:\n${r.out}`);
  assert.match(
    lines[0] ?? '',
    /^noisy: built noisy\.node; its post-install step failed \(exit 1\)/,
  );
});

test('without its artifact, the held output is printed and the install fails', () => {
  const r = rebuild(false);
  assert.notEqual(r.status, 0);
  assert.match(r.out, /noisy post-install line 29/, 'the build output is shown');
  assert.match(r.out, /built no .*noisy\.node/);
});
