/**
 * The fast reader of plain workflow files (src/workflow/fastYaml.ts) against the yaml package,
 * node for node, on generated files: the same tree, the same values and scalar types, the same
 * ranges (as src/workflow/yamlSource.ts reads them) and the same line starts, so every problem
 * keeps its file:line:col. Files outside its shape must be left to the yaml package (null).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parsePlainWorkflowYaml } from '../../src/workflow/fastYaml';
import { parseWorkflowText } from '../../src/workflow/parse';
import { mulberry32 } from '../../src/report/stats/prng';

/** What the workflow reader can see of a node: kind, value, scalar type, trimmed range. */
function dump(node: unknown, text: string): unknown {
  if (isPair(node)) return [dump(node.key, text), dump(node.value, text)];
  if (node === null || node === undefined) return null;
  const n = node as { range?: [number, number, number] };
  const r = n.range ?? [0, 0, 0];
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1] ?? '')) end--;
  const at = `${r[0]}-${end}${r[0] === r[1] ? ' empty' : ''}`;
  if (isScalar(node)) return { at, type: node.type, value: node.value, js: typeof node.value };
  if (isMap(node)) return { at, map: node.items.map((p) => dump(p, text)) };
  if (isSeq(node)) return { at, seq: node.items.map((i) => dump(i, text)) };
  return { at, other: typeof node };
}

function yamlPackage(text: string): { tree: unknown; lineStarts: number[]; clean: boolean } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return {
    tree: dump(doc.contents, text),
    lineStarts: lines.lineStarts,
    clean: doc.errors.length === 0 && doc.warnings.length === 0,
  };
}

const PLAINS = [
  'shell',
  'python',
  'node',
  'http',
  'n1',
  'true',
  'False',
  'null',
  '~',
  'yes',
  '30s',
  '1.5m',
  '1',
  '007',
  '1.10',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '.NaN',
  'echo hi there',
  'a.b/c~d',
  '$HOME',
  'x=1',
  '+1',
];
/** Plain scalars the fast reader leaves to the yaml package (a `-` start, a `:` inside). */
const HANDED_OVER = ['-', '-1', '12:30'];
const KEYS = [
  'type',
  'run',
  'needs',
  'timeout',
  'retries',
  'env',
  'cwd',
  'code',
  'x-note',
  'typ',
  'if',
];

function generate(seed: number): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const scalar = (): string => {
    const r = rnd();
    if (r < 0.01) return pick(HANDED_OVER);
    if (r < 0.55) return pick(PLAINS);
    if (r < 0.8)
      return JSON.stringify(
        `${pick(PLAINS)} ${pick(['&& true', '# not a comment', ': x', '{a}', ''])}`,
      );
    // A doubled quote inside is left to the yaml package.
    return rnd() < 0.02 ? `'it''s'` : `'${pick(PLAINS)} it is'`;
  };
  const value = (depth: number): string => {
    const r = rnd();
    if (depth < 2 && r < 0.2)
      return `[${Array.from({ length: Math.floor(rnd() * 3) }, () => value(depth + 1)).join(', ')}]`;
    if (depth < 2 && r < 0.35)
      return `{ ${Array.from({ length: Math.floor(rnd() * 3) }, () => `${pick(KEYS)}: ${value(depth + 1)}`).join(', ')} }`;
    return scalar();
  };
  const indent = ' '.repeat(1 + Math.floor(rnd() * 4));
  const lines = [`name: ${scalar()}`];
  if (rnd() < 0.5)
    lines.push(`runtime: ${pick(['local', 'parallel', 'slurm', 'cloud', '"local"'])}`);
  if (rnd() < 0.3) lines.push(`maxParallel: ${pick(['2', '0', 'two', '"3"', '1.5'])}`);
  lines.push('nodes:');
  const count = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < count; i++) {
    const fields = [`type: ${pick(['shell', 'shell', 'python', 'node', 'http', 'bash'])}`];
    for (let k = Math.floor(rnd() * 4); k > 0; k--) fields.push(`${pick(KEYS)}: ${value(1)}`);
    if (i > 0 && rnd() < 0.6) fields.push(`needs: [n${Math.floor(rnd() * (i + 2))}]`);
    lines.push(`${indent}${rnd() < 0.9 ? `n${i}` : pick(KEYS)}: { ${fields.join(', ')} }`);
  }
  if (rnd() < 0.2) lines.push(`${pick(KEYS)}: ${value(0)}`);
  return lines.join('\n') + (rnd() < 0.9 ? '\n' : '');
}

/** Edits that leave the shape (or YAML) behind: the fast reader must hand these over. */
const BREAKS: ((t: string) => string)[] = [
  (t) => t.replace('\n', '\n# a comment\n'),
  (t) => t.replace('\n', '\n\n'),
  (t) => t.replace('  ', '\t'),
  (t) => t.replace('{ type', '&a { type'),
  (t) => t.replace('nodes:\n', 'nodes:\n  - x\n'),
  (t) => t.replace(': ', ':'),
  (t) => t.replace(' }', ', }'),
  (t) => t.replace('\n', '  \n'),
  (t) => t.replace('"', '"\\t'),
  (t) => t.replace('type:', '"type":'),
  (t) => t.replace('nodes:', 'nodes: !!map'),
  (t) => t.replace(/\n$/, '\n---\n'),
];

test('the fast reader gives the yaml package’s tree, ranges and line starts on generated files', () => {
  let taken = 0;
  const cases = 400;
  for (let seed = 1; seed <= cases; seed++) {
    const text = generate(seed);
    const ref = yamlPackage(text);
    const fast = parsePlainWorkflowYaml(text);
    if (fast === null) {
      continue;
    }
    taken++;
    assert.ok(
      ref.clean,
      `seed ${seed}: the yaml package found an error the fast reader did not:\n${text}`,
    );
    assert.deepEqual(dump(fast.doc.contents, text), ref.tree, `seed ${seed}:\n${text}`);
    assert.deepEqual(fast.lines.lineStarts, ref.lineStarts, `seed ${seed}: line starts`);
  }
  // Most generated files are in the shape (the rest hold a scalar of HANDED_OVER or `''`):
  // otherwise this would compare nothing.
  assert.ok(taken > cases * 0.75, `only ${taken} of ${cases} files took the fast path`);
});

test('files outside the shape are left to the yaml package, or read the same', () => {
  let handedOver = 0;
  for (let seed = 1; seed <= 100; seed++) {
    for (const edit of BREAKS) {
      const text = edit(generate(seed));
      const fast = parsePlainWorkflowYaml(text);
      if (fast === null) {
        handedOver++;
        continue;
      }
      const ref = yamlPackage(text);
      assert.ok(ref.clean, `seed ${seed}: taken despite a YAML error:\n${text}`);
      assert.deepEqual(dump(fast.doc.contents, text), ref.tree, `seed ${seed}:\n${text}`);
    }
  }
  assert.ok(handedOver > 100 * BREAKS.length * 0.9, `${handedOver} handed over`);
});

test('a big plain file and its problems: every position as the yaml package gives it', () => {
  const lines = ['name: big', 'nodes:'];
  for (let i = 0; i < 2000; i++)
    lines.push(
      `  n${i}: { type: shell, run: "echo ${i}", needs: [n${i === 0 ? 'x' : i - 1}], tiemout: 3s }`,
    );
  const text = lines.join('\n') + '\n';
  assert.ok(parsePlainWorkflowYaml(text), 'the big file takes the fast path');
  const outcome = parseWorkflowText(text, '/w/big.workflow.yaml');
  // Through the yaml package: a comment line first keeps every later position where it was,
  // one line down.
  const viaYaml = parseWorkflowText(`# slow\n${text}`, '/w/big.workflow.yaml');
  assert.ok(outcome.problems.length >= 2001, `${outcome.problems.length} problems`);
  assert.deepEqual(
    outcome.problems.map((p) => ({
      ...p,
      range: {
        start: { ...p.range.start, line: p.range.start.line + 1 },
        end: { ...p.range.end, line: p.range.end.line + 1 },
      },
    })),
    viaYaml.problems,
  );
});
