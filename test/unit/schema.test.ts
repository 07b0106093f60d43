/**
 * schemas/workflow.schema.json (what editors validate with) against the parser (what runs),
 * and the bundled examples against both.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  NODE_KEYS,
  TOP_KEYS,
  parseWorkflowFile,
  parseWorkflowText,
} from '../../src/workflow/parse';
import { parseDuration } from '../../src/workflow/duration';
import { isWorkflowFile } from '../../src/workflow/discover';
import { NODE_TYPES, type WorkflowDef } from '../../src/workflow/types';
import { repoRoot } from '../helpers/paths';
import { compileWorkflowSchema, WORKFLOW_SCHEMA_PATH } from '../helpers/workflowSchema';

const schemaPath = WORKFLOW_SCHEMA_PATH;
const examplesDir = path.join(repoRoot, 'examples');

interface SchemaNode {
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  $ref?: string;
}

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as SchemaNode &
  Record<string, unknown>;

const validate = compileWorkflowSchema();

function schemaAccepts(yamlText: string): boolean {
  return validate(parseYaml(yamlText)) === true;
}

function exampleFiles(): string[] {
  return fs
    .readdirSync(examplesDir)
    .filter((f) => isWorkflowFile(f))
    .map((f) => path.join(examplesDir, f));
}

test('the schema is valid draft-07 and compiles in strict mode', () => {
  assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof validate, 'function');
});

test('every example workflow validates against the schema', () => {
  const files = exampleFiles();
  assert.ok(files.length > 0, 'examples/*.workflow.yaml exist');
  for (const file of files) {
    const ok = validate(parseYaml(fs.readFileSync(file, 'utf8')));
    assert.equal(ok, true, `${path.basename(file)}: ${JSON.stringify(validate.errors, null, 2)}`);
  }
});

test('every example workflow parses with zero problems', async () => {
  for (const file of exampleFiles()) {
    assert.deepEqual(
      parseWorkflowText(fs.readFileSync(file, 'utf8'), file).problems,
      [],
      path.basename(file),
    );
    const { workflow, problems } = await parseWorkflowFile(file);
    assert.deepEqual(problems, []);
    assert.ok(workflow);
  }
});

test('the demo example exercises what the demo promises', async () => {
  const { workflow } = await parseWorkflowFile(path.join(examplesDir, 'nightly-etl.workflow.yaml'));
  const wf = workflow as WorkflowDef;
  assert.equal(wf.name, 'nightly-etl');
  assert.equal(wf.runtime, 'parallel');
  assert.ok(wf.maxParallel >= 2 && wf.maxParallel <= 3);
  const types = new Set(wf.nodes.map((n) => n.type));
  for (const t of ['shell', 'python', 'node', 'switch', 'merge'] as const)
    assert.ok(types.has(t), t);
  assert.ok(
    wf.nodes.some((n) => n.type === 'node' && n.script !== undefined),
    'a node script',
  );
  assert.ok(
    wf.nodes.some((n) => n.type === 'node' && n.code !== undefined),
    'inline node code',
  );
  assert.ok(
    wf.nodes.some((n) => n.type === 'python' && n.script !== undefined),
    'a python script',
  );
  const sw = wf.nodes.find((n) => n.type === 'switch');
  assert.ok(sw?.then?.length && sw.else?.length, 'a switch with two branches');
  // Every script the example names is there.
  for (const n of wf.nodes) {
    if (n.script) assert.ok(fs.existsSync(path.resolve(examplesDir, n.script)), n.script);
  }
});

test('the schema rejects what the parser rejects: bad type, unknown key, bad id, missing keys', () => {
  const bad: [string, string][] = [
    ['unknown type', 'nodes:\n  a: { type: bash, run: x }\n'],
    ['unknown node key', 'nodes:\n  a: { type: shell, run: x, timout: 5s }\n'],
    ['unknown top-level key', 'nmae: x\nnodes:\n  a: { type: shell, run: x }\n'],
    ['bad node id', 'nodes:\n  "my node": { type: shell, run: x }\n'],
    ['reserved node id', 'nodes:\n  __proto__: { type: shell, run: x }\n'],
    ['no nodes', 'name: x\n'],
    ['shell without run', 'nodes:\n  a: { type: shell }\n'],
    ['python with script and code', 'nodes:\n  a: { type: python, script: a.py, code: "1" }\n'],
    ['node with neither', 'nodes:\n  a: { type: node }\n'],
    ['http without url', 'nodes:\n  a: { type: http }\n'],
    ['switch without on', 'nodes:\n  a: { type: switch, then: [] }\n'],
    ['workflow without file', 'nodes:\n  a: { type: workflow }\n'],
    ['bad runtime', 'runtime: fast\nnodes:\n  a: { type: shell, run: x }\n'],
    ['maxParallel 0', 'maxParallel: 0\nnodes:\n  a: { type: shell, run: x }\n'],
    ['bad timeout', 'nodes:\n  a: { type: shell, run: x, timeout: 3x }\n'],
    ['negative retries', 'nodes:\n  a: { type: shell, run: x, retries: -1 }\n'],
    ['bad merge mode', 'nodes:\n  a: { type: merge, mode: zip }\n'],
    ['env value a list', 'nodes:\n  a: { type: shell, run: x, env: { A: [1] } }\n'],
    ['needs a number', 'nodes:\n  a: { type: shell, run: x, needs: [3] }\n'],
  ];
  for (const [what, text] of bad) {
    assert.equal(schemaAccepts(text), false, `schema accepts ${what}`);
    assert.equal(
      parseWorkflowText(text, 'w.workflow.yaml').workflow,
      null,
      `parser accepts ${what}`,
    );
  }
  validate(parseYaml(bad[0]?.[1] ?? ''));
  assert.ok(
    validate.errors?.some((e) => e.instancePath === '/nodes/a/type' && e.keyword === 'enum'),
  );
});

test('the schema accepts what the parser accepts', () => {
  const good = [
    'nodes:\n  a: { type: shell, run: x }\n',
    '$schema: ./workflow.schema.json\nx-defaults: &d { retries: 1 }\nnodes:\n  a: { type: shell, run: x }\n',
    'name: n\nruntime: parallel\nmaxParallel: 8\nnodes:\n  a: { type: shell, run: x, timeout: 1m30s, retries: 2, continueOnError: true, tags: t }\n',
    'nodes:\n  a: { type: python, script: a.py, args: [1, x, true], env: { A: 1.10, B: true }, timeout: 90 }\n',
    'nodes:\n  a: { type: node, code: "1", needs: b, cwd: sub }\n  b: { type: http, url: "http://h/", method: post, headers: { X: 1 }, body: { a: [1] } }\n',
    'nodes:\n  a: { type: shell, run: x }\n  s: { type: switch, needs: a, on: a.outputs.ok, then: [b], else: c }\n  b: { type: shell, run: x }\n  c: { type: shell, run: x }\n  m: { type: merge, needs: [b, c], mode: concat }\n',
    'nodes:\n  w: { type: workflow, file: child.workflow.yaml }\n',
  ];
  for (const text of good) {
    assert.deepEqual(parseWorkflowText(text, 'w.workflow.yaml').problems, [], text);
    assert.equal(schemaAccepts(text), true, `${text}\n${JSON.stringify(validate.errors)}`);
  }
});

test('the schema and the parser know the same keys, node types and merge modes', () => {
  const props = schema.properties ?? {};
  assert.deepEqual(Object.keys(props).sort(), ['$schema', ...TOP_KEYS].sort());
  const node = schema.definitions?.['node'] as SchemaNode;
  assert.deepEqual(Object.keys(node.properties ?? {}).sort(), [...NODE_KEYS].sort());
  assert.deepEqual(node.properties?.['type']?.enum, [...NODE_TYPES]);
  assert.deepEqual(node.properties?.['mode']?.enum, ['keyed', 'shallow', 'concat']);
  assert.deepEqual(props['runtime']?.enum, ['local', 'parallel', 'slurm']);
});

test('every key and every enum value is described, for editors', () => {
  const node = schema.definitions?.['node'] as SchemaNode;
  const described: [string, SchemaNode][] = [
    ...Object.entries(schema.properties ?? {}),
    ...Object.entries(node.properties ?? {}).map(([k, v]): [string, SchemaNode] => [
      `node.${k}`,
      v,
    ]),
    ['(root)', schema],
    ['node', node],
  ];
  for (const [key, s] of described) {
    assert.ok(s.description, `${key} has a description`);
    assert.ok(s.markdownDescription, `${key} has a markdownDescription`);
    if (s.enum) {
      assert.equal(s.enumDescriptions?.length, s.enum.length, `${key} enumDescriptions`);
      assert.equal(
        s.markdownEnumDescriptions?.length,
        s.enum.length,
        `${key} markdownEnumDescriptions`,
      );
    }
  }
});

test("the schema's duration pattern agrees with parseDuration", () => {
  const timeoutOk = (t: string): boolean =>
    schemaAccepts(`nodes:\n  a: { type: shell, run: x, timeout: "${t}" }\n`);
  const samples = [
    '500ms',
    '30s',
    '10m',
    '1h',
    '1m30s',
    '1h5m',
    '2h0m10s250ms',
    '1.5s',
    '45',
    '0.25',
    '3x',
    '1d',
    '30s1m',
    '1m1m',
    'ms',
    '',
    '1m 30s',
    '-5s',
  ];
  for (const t of samples) {
    const parsed = parseDuration(t);
    assert.equal(timeoutOk(t), !('error' in parsed), `timeout "${t}"`);
  }
});
