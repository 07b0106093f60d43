#!/usr/bin/env node
// Copies what the extension package would hold (the `!` lines of .vscodeignore, an allowlist)
// into a folder of its own, so the editor tests load the extension the way a user installs it:
// without the repository's node_modules, sources or tests beside it.
//
// Usage: node scripts/vscode/stage-extension.mjs [DEST]   (default .vscode-test/extension)
// Prints DEST. Fails when dist/ has not been built.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dest = path.resolve(process.argv[2] ?? path.join(root, '.vscode-test', 'extension'));

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const lines = fs
  .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
if (lines[0] !== '**') {
  console.error('stage-extension: .vscodeignore must start with `**` (an allowlist)');
  process.exit(2);
}
const allow = lines.filter((l) => l.startsWith('!')).map((l) => globToRegExp(l.slice(1)));

const SKIP = new Set(['node_modules', '.git', 'out', '.vscode-test', 'test-results']);
function* walk(dir, rel = '') {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) && rel === '') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(path.join(dir, e.name), r);
    else yield r;
  }
}

for (const must of [
  'dist/extension.js',
  'dist/extensionServices.js',
  'dist/runner.js',
  'dist/cli.js',
]) {
  if (!fs.existsSync(path.join(root, must))) {
    console.error(`stage-extension: ${must} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}
fs.rmSync(dest, { recursive: true, force: true });
let n = 0;
for (const rel of walk(root)) {
  if (!allow.some((re) => re.test(rel))) continue;
  const to = path.join(dest, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(root, rel), to);
  fs.chmodSync(to, fs.statSync(path.join(root, rel)).mode);
  n++;
}
console.error(`stage-extension: ${n} files in ${path.relative(process.cwd(), dest) || '.'}`);
console.log(dest);
