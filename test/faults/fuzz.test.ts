/**
 * A seeded fuzzer over the example workflows: every mutant goes through the real CLI's `run`.
 * Whatever the file says, the CLI exits 0, 1 or 2, never prints a stack trace, names
 * FILE:LINE:COL for every problem of an invalid file, and leaves no run `running`. Mutants that
 * are still valid start for real and are cancelled (Ctrl-C) a moment later unless they finished.
 *
 * Reproduce one case: WP_FUZZ_SEED=<seed> WP_FUZZ_CASES=1 (the seed is printed on failure).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collect, spawnCli } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { mulberry32 } from '../../src/report/stats/prng';

const CASES = Number(process.env['WP_FUZZ_CASES']) || 500;
const FIRST_SEED = Number(process.env['WP_FUZZ_SEED']) || 1;
const CONCURRENCY = 4;
/** A valid mutant is cancelled this long after it starts (the cancel path is under test too). */
const CANCEL_AFTER_MS = 200;
/** Far above any legitimate case: a case still alive then is a hang. */
const HANG_MS = 20_000;

/** The same sequence on every machine, so a failing seed reproduces. */
const rng = mulberry32;

const INTERESTING = [
  '',
  '-1',
  '0',
  '9007199254740991',
  '1e309',
  'null',
  '~',
  '[]',
  '{}',
  '[[[[[[[[[[]]]]]]]]]]',
  '"\\u0000"',
  '"\\u001b[31mred\\u001b[0m"',
  'x'.repeat(300),
  '&anchor',
  '*anchor',
  '!!binary aGk=',
  '!!js/function "f(){}"',
  '<<: *nope',
  '"a\\r\\nX-Injected: 1"',
  '10m',
  '-5s',
  'true',
  'shell',
  'workflow',
  'merge',
  '[a, a, a]',
  '{ type: shell, run: "true" }',
];
const CHARS = [
  ':',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&',
  '*',
  '#',
  '?',
  '|',
  '-',
  '>',
  '"',
  "'",
  '\t',
  '\n',
  '%',
  '@',
  '`',
  '!',
  '\u0007',
  '\u202e',
  '🙂',
];

type Mutation = (lines: string[], r: () => number) => string[];
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)] as T;
const at = (lines: string[], r: () => number): number => Math.floor(r() * lines.length);

const MUTATIONS: Mutation[] = [
  (l, r) => l.filter((_, i) => i !== at(l, r)),
  (l, r) => {
    const i = at(l, r);
    return [...l.slice(0, i + 1), l[i] ?? '', ...l.slice(i + 1)];
  },
  (l, r) => {
    const i = at(l, r);
    const out = [...l];
    if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1] as string, out[i] as string];
    return out;
  },
  (l, r) => {
    // A scalar value replaced by an interesting one.
    const i = at(l, r);
    const line = l[i] ?? '';
    const colon = line.indexOf(': ');
    if (colon < 0) return l;
    const out = [...l];
    out[i] = `${line.slice(0, colon + 2)}${pick(INTERESTING, r)}`;
    return out;
  },
  (l, r) => {
    const i = at(l, r);
    const line = l[i] ?? '';
    const p = Math.floor(r() * (line.length + 1));
    const out = [...l];
    out[i] = line.slice(0, p) + pick(CHARS, r) + line.slice(p);
    return out;
  },
  (l, r) => {
    const i = at(l, r);
    const out = [...l];
    const line = out[i] ?? '';
    out[i] = r() < 0.5 ? ` ${line}` : line.replace(/^ {1,2}/, '');
    return out;
  },
  (l, r) => {
    // A needs edge to a random node (often a cycle), or to one that does not exist.
    const ids = l.map((x) => /^ {2}([\w-]+):/.exec(x)?.[1]).filter((x): x is string => !!x);
    const i = l.findIndex((x, k) => k >= at(l, r) && /^ {2}[\w-]+:/.test(x));
    if (i < 0) return l;
    const target = r() < 0.8 ? pick(ids, r) : 'ghost';
    return [...l.slice(0, i + 1), `    needs: [${target}]`, ...l.slice(i + 1)];
  },
  (l, r) => l.slice(0, Math.max(1, at(l, r))),
];

function mutate(text: string, seed: number): string {
  const r = rng(seed);
  let lines = text.split('\n');
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) lines = pick(MUTATIONS, r)(lines, r);
  return lines.join('\n');
}

interface Seed {
  name: string;
  text: string;
  ext: string;
}

function seeds(): Seed[] {
  const read = (rel: string): string => fs.readFileSync(path.join(repoRoot, rel), 'utf8');
  const quick = read('test/vscode/workspace/quick.workflow.yaml');
  return [
    { name: 'nightly-etl', text: read('examples/nightly-etl.workflow.yaml'), ext: 'yaml' },
    { name: 'quick', text: quick, ext: 'yaml' },
    {
      name: 'quick-json',
      ext: 'json',
      text: JSON.stringify(
        {
          name: 'quick-json',
          runtime: 'parallel',
          maxParallel: 2,
          nodes: {
            hello: { type: 'shell', run: 'echo hello' },
            count: { type: 'node', code: 'let n = 0; for (let i = 0; i < 1e5; i++) n += i;' },
            gate: { type: 'switch', needs: ['count'], on: 'count.outputs.n > 0', then: ['done'] },
            done: { type: 'merge', needs: ['hello', 'gate'] },
          },
        },
        null,
        2,
      ),
    },
  ];
}

interface Outcome {
  seed: number;
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  hung: boolean;
}

async function runCase(workspace: string, seed: number, s: Seed): Promise<Outcome> {
  const file = path.join(workspace, `case-${seed}.workflow.${s.ext}`);
  fs.writeFileSync(file, mutate(s.text, seed));
  const child = spawnCli(['run', file, '--store', path.join(workspace, 'store'), '--no-samples'], {
    cwd: workspace,
    env: { ETL_WORK_DIR: path.join(workspace, 'etl') },
  });
  // Ctrl-C once the run has started (its first line), as a person would.
  let cancel: NodeJS.Timeout | undefined;
  child.stdout?.once('data', () => {
    cancel = setTimeout(() => child.kill('SIGINT'), CANCEL_AFTER_MS);
  });
  let hung = false;
  const hang = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, HANG_MS);
  const r = await collect(child);
  clearTimeout(cancel);
  clearTimeout(hang);
  return { seed, file, code: r.code, signal: r.signal, stderr: r.stderr, hung };
}

const STACK = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

test(`fuzz: ${CASES} mutated workflows through the CLI exit 0, 1 or 2, located, no stack trace, no run left running`, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-fuzz-'));
  fs.cpSync(path.join(repoRoot, 'examples', 'scripts'), path.join(workspace, 'scripts'), {
    recursive: true,
  });
  const all = seeds();
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CASES) {
      const k = next++;
      const seed = FIRST_SEED + k;
      outcomes.push(await runCase(workspace, seed, all[k % all.length] as Seed));
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = Date.now() - t0;

  const failures: string[] = [];
  const byCode = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.hung ? 'hung' : String(o.code ?? o.signal);
    byCode.set(key, (byCode.get(key) ?? 0) + 1);
    const where = `seed ${o.seed} (${path.basename(o.file)})`;
    if (o.hung) failures.push(`${where}: still running after ${HANG_MS} ms`);
    else if (o.code === null || ![0, 1, 2].includes(o.code))
      failures.push(`${where}: exit ${o.code ?? o.signal}\n${o.stderr.slice(0, 800)}`);
    if (STACK.test(o.stderr))
      failures.push(`${where}: stack trace on stderr\n${o.stderr.slice(0, 1200)}`);
    if (o.code === 2) {
      const lines = o.stderr.split('\n').filter((x) => x.trim() !== '');
      const located = new RegExp(
        `^${o.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: (error|warning): \\S`,
      );
      const bad = lines.filter((x) => !located.test(x));
      if (lines.length === 0 || bad.length > 0)
        failures.push(
          `${where}: exit 2 without FILE:LINE:COL on every line:\n${bad.slice(0, 3).join('\n')}`,
        );
    }
  }
  const storeDir = path.join(workspace, 'store');
  const running = fs.existsSync(storeDir)
    ? fs
        .readdirSync(storeDir)
        .map((d) => path.join(storeDir, d, 'run.json'))
        .filter((f) => fs.existsSync(f))
        .filter(
          (f) =>
            (JSON.parse(fs.readFileSync(f, 'utf8')) as { status: string }).status === 'running',
        )
    : [];
  for (const f of running) failures.push(`${f}: left running`);

  const summary = [...byCode].map(([k, v]) => `exit ${k}: ${v}`).join(', ');
  console.log(`fuzz: ${outcomes.length} cases in ${(elapsed / 1000).toFixed(1)} s (${summary})`);
  assert.equal(outcomes.length, CASES);
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failing cases`);
  assert.ok(
    (byCode.get('2') ?? 0) > CASES / 10,
    `too few invalid mutants to mean anything: ${summary}`,
  );
  assert.ok(
    (byCode.get('0') ?? 0) + (byCode.get('1') ?? 0) > CASES / 20,
    `too few runnable mutants to mean anything: ${summary}`,
  );
});
