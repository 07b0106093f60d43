/**
 * Unpacks every .vsix that `npm run package` made and checks it as a user would receive it: the
 * file list against the .vscodeignore allowlist (no sources, tests, node_modules or source maps),
 * the manifest's target platform, and the reaper: present only in the platform packages,
 * executable inside the zip, linked statically, and an ELF for the target's machine (x86-64 = 62,
 * aarch64 = 183). The x86-64 reapers are also run here, so the Alpine one proves it is musl.
 *
 * The packages are built by `npm run package` (CI runs it before `npm test`); packages missing or
 * older than what they are built from fail here with that command, they are never rebuilt
 * silently or skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';
import { Zip } from '../helpers/zip';
import { parseElf } from '../../src/measure/elf';

interface Target {
  name: string;
  /** e_machine of its reaper, null for the universal package (no reaper). */
  machine: number | null;
  /** What its reaper prints for --version when it can run here (x86-64 hosts). */
  version: string | null;
}

const TARGETS: Target[] = [
  { name: 'linux-x64', machine: 62, version: 'wp-reaper 1 x86_64 glibc' },
  { name: 'linux-arm64', machine: 183, version: null },
  { name: 'alpine-x64', machine: 62, version: 'wp-reaper 1 x86_64 musl' },
  { name: 'universal', machine: null, version: null },
];

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  icon: string;
};

/** What the packages are built from (one list, shared with the installed-extension runner). */
const INPUTS = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'scripts', 'package-inputs.json'), 'utf8'),
) as string[];

function newestInput(): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const visit = (rel: string): void => {
    const stat = fs.statSync(path.join(repoRoot, rel));
    if (stat.isDirectory()) {
      for (const e of fs.readdirSync(path.join(repoRoot, rel))) visit(path.join(rel, e));
    } else if (stat.mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs: stat.mtimeMs };
  };
  for (const rel of INPUTS) visit(rel);
  return newest;
}

function openPackage(target: string): Zip {
  const file = path.join(
    repoRoot,
    'packages',
    `${manifest.name}-${target}-${manifest.version}.vsix`,
  );
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run package\` first`);
  }
  const newest = newestInput();
  const built = fs.statSync(file).mtimeMs;
  if (built < newest.mtimeMs) {
    throw new Error(
      `${path.relative(repoRoot, file)} is older than ${newest.file}: run \`npm run package\` again`,
    );
  }
  return new Zip(file);
}

/** The allowlist's `!pattern` lines as regular expressions over paths in the package. */
function allowlist(): RegExp[] {
  const lines = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
  const patterns = lines.map((l) => l.trim()).filter((l) => l.startsWith('!'));
  assert.ok(patterns.length > 0, '.vscodeignore has no allowlist entries');
  return patterns.map((p) => {
    // `**` spans folders, `*` and `?` stay within one; everything else is literal.
    const source = p
      .slice(1)
      .split('**')
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]'),
      )
      .join('.*');
    return new RegExp(`^${source}$`);
  });
}

/** vsce renames these on the way in (the Marketplace looks for the lower-case names). */
const RENAMED: Record<string, string> = {
  'readme.md': 'README.md',
  'changelog.md': 'CHANGELOG.md',
  'LICENSE.txt': 'LICENSE',
};

for (const target of TARGETS) {
  test(`${target.name}.vsix holds the allowlisted files and nothing else`, () => {
    const zip = openPackage(target.name);
    const allowed = allowlist();
    const files: string[] = [];
    for (const name of zip.names()) {
      if (name === 'extension.vsixmanifest' || name === '[Content_Types].xml') continue;
      assert.ok(name.startsWith('extension/'), `${name} is outside extension/`);
      const rel = name.slice('extension/'.length);
      files.push(RENAMED[rel] ?? rel);
    }
    for (const f of files) {
      assert.ok(
        allowed.some((re) => re.test(f)),
        `${f} is in the package but not in .vscodeignore's allowlist`,
      );
      assert.doesNotMatch(f, /^(src|test|webview|native|bench|scripts|node_modules|out)\//);
      assert.doesNotMatch(f, /\.(map|ts)$/, `${f}: no sources or source maps are shipped`);
    }
    const required = [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      manifest.main.replace(/^\.\//, ''),
      'dist/runner.js',
      'dist/cli.js',
      'dist/cli-main.js',
      'dist/webview/dashboard.js',
      'dist/webview/compare.js',
      'dist/target.json',
      'schemas/workflow.schema.json',
      manifest.icon,
    ];
    for (const f of required) assert.ok(files.includes(f), `${f} is missing from the package`);

    const packed = JSON.parse(zip.read('extension/package.json').toString('utf8')) as {
      version: string;
    };
    assert.equal(packed.version, manifest.version);
    const marker = JSON.parse(zip.read('extension/dist/target.json').toString('utf8')) as {
      target: string;
    };
    assert.equal(marker.target, target.name);
    const vsixManifest = zip.read('extension.vsixmanifest').toString('utf8');
    if (target.name === 'universal') assert.doesNotMatch(vsixManifest, /TargetPlatform=/);
    else assert.match(vsixManifest, new RegExp(`TargetPlatform="${target.name}"`));
  });

  test(`${target.name}.vsix: ${target.machine === null ? 'no reaper' : `a static, executable reaper for ELF machine ${target.machine}`}`, () => {
    const zip = openPackage(target.name);
    const entry = zip.entries.find((e) => e.name === 'extension/dist/wp-reaper');
    if (target.machine === null) {
      assert.equal(entry, undefined, 'the universal package must not carry a reaper');
      return;
    }
    assert.ok(entry, 'the reaper is missing');
    assert.equal(entry.mode & 0o170000, 0o100000, 'the reaper is not a regular file in the zip');
    assert.equal(
      entry.mode & 0o111,
      0o111,
      `the reaper lost its executable bits: ${entry.mode.toString(8)}`,
    );
    const bytes = zip.read(entry.name);
    const elf = parseElf(bytes);
    assert.ok(elf, 'the reaper is not an ELF file');
    assert.equal(
      elf.machine,
      target.machine,
      `e_machine ${elf.machine}, expected ${target.machine}`,
    );
    assert.equal(elf.bits, 64);
    assert.equal(elf.hasInterpreter, false, 'the reaper needs a dynamic loader: not static');
    assert.equal(elf.hasDynamic, false, 'the reaper has dynamic sections: not fully static');

    if (target.version !== null && process.arch === 'x64') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-vsix-'));
      try {
        const file = path.join(dir, 'wp-reaper');
        fs.writeFileSync(file, bytes, { mode: 0o755 });
        const said = execFileSync(file, ['--version'], { encoding: 'utf8' }).trim();
        assert.equal(said, target.version);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
}
