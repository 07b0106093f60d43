/** `runtime: slurm`, the `slurm:` block and a node's `resources:`: values, positions, schema. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parseWorkflowText } from '../../src/workflow/parse';
import { parseMemory, RESOURCE_KEYS, SLURM_KEYS } from '../../src/workflow/slurmFields';
import { repoRoot } from '../helpers/paths';

const FILE = '/ws/s.workflow.yaml';

const GOOD = `runtime: slurm
slurm:
  partition: debug
  account: lab
  qos: normal
  time: 10m
  extraArgs: ["--exclusive"]
nodes:
  a: { type: shell, run: "true", resources: { cpus: 2, memory: 512M, time: 90s, gpus: 0, partition: big } }
  b: { type: shell, run: "true", needs: [a] }
`;

function problems(text: string): string[] {
  return parseWorkflowText(text, FILE).problems.map(
    (p) => `${p.range.start.line}:${p.range.start.col} ${p.severity}: ${p.message}`,
  );
}

test('runtime slurm, the slurm block and resources are read into the definition', () => {
  const { workflow, problems: found } = parseWorkflowText(GOOD, FILE);
  assert.deepEqual(found, []);
  assert.ok(workflow);
  assert.equal(workflow.runtime, 'slurm');
  assert.equal(workflow.maxParallel, 1024, 'no bound of ours by default');
  assert.deepEqual(workflow.slurm, {
    partition: 'debug',
    account: 'lab',
    qos: 'normal',
    timeMs: 600_000,
    extraArgs: ['--exclusive'],
  });
  assert.deepEqual(workflow.nodes[0]?.resources, {
    cpus: 2,
    memoryBytes: 512 * 1024 * 1024,
    timeMs: 90_000,
    gpus: 0,
    partition: 'big',
  });
  assert.equal(workflow.nodes[1]?.resources, undefined);
});

test('a workflow without a slurm block has slurm null and keeps its hash apart', () => {
  const plain = parseWorkflowText('nodes:\n  a: { type: shell, run: "true" }\n', FILE).workflow;
  const withBlock = parseWorkflowText(
    'slurm: { time: 1m }\nnodes:\n  a: { type: shell, run: "true" }\n',
    FILE,
  ).workflow;
  assert.equal(plain?.slurm, null);
  assert.notEqual(plain?.hash, withBlock?.hash);
});

test('memory sizes are binary, as Slurm reads them; nonsense is refused', () => {
  assert.deepEqual(parseMemory('4G'), { bytes: 4 * 1024 ** 3 });
  assert.deepEqual(parseMemory('1.5g'), { bytes: 1.5 * 1024 ** 3 });
  assert.deepEqual(parseMemory('300MiB'), { bytes: 300 * 1024 ** 2 });
  assert.ok('error' in parseMemory('lots'));
  assert.ok('error' in parseMemory('0M'));
  assert.ok('error' in parseMemory('512'));
});

test('bad values point at their own line and column', () => {
  const text = `runtime: slurm
slurm:
  partiton: debug
  time: soon
  extraArgs: ["--output=x"]
nodes:
  a:
    type: shell
    run: "true"
    resources:
      cpus: 0
      memory: 2 lots
      time: -1
      gpu: 1
`;
  assert.deepEqual(problems(text), [
    '3:3 error: unknown key `partiton` in `slurm` (did you mean `partition`?); it has `partition`, `account`, `qos`, `time`, `extraArgs`',
    '4:9 error: bad `time`: `soon` is not a duration (unexpected `soon`): use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s',
    '5:15 error: `--output=x` is set by the runtime for every job',
    '11:13 error: `cpus` must be a whole number, 1 or more, found the number 0',
    '12:15 error: bad `memory`: `2 lots` is not a memory size: write e.g. 512M, 4G or 1.5G',
    '13:13 error: bad `time`: -1 is not a duration: use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s',
    '14:7 error: unknown key `gpu` in `resources` (did you mean `gpus`?); it has `cpus`, `memory`, `time`, `gpus`, `partition`',
  ]);
});

test('resources on a node type that never runs a process are a warning, not an error', () => {
  const out = problems(
    'runtime: slurm\nnodes:\n  s: { type: switch, on: "true", then: [], resources: { cpus: 1 } }\n',
  );
  assert.ok(
    out.some((p) => p.startsWith('3:44 warning: `resources` is not used by switch nodes')),
    out.join('\n'),
  );
});

test('the JSON schema accepts the same file and refuses the same mistakes', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'schemas', 'workflow.schema.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  assert.equal(validate(parseYaml(GOOD)), true, JSON.stringify(validate.errors));
  const bad = GOOD.replace('memory: 512M', 'memory: lots');
  assert.equal(validate(parseYaml(bad)), false);
  assert.equal(validate(parseYaml(GOOD.replace('qos: normal', 'qoss: normal'))), false);
});

test('the schema and the parser know the same slurm and resources keys', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'schemas', 'workflow.schema.json'), 'utf8'),
  ) as {
    properties: Record<string, { properties?: object }>;
    definitions: { node: { properties: Record<string, { properties?: object }> } };
  };
  assert.deepEqual(Object.keys(schema.properties['slurm']?.properties ?? {}), [...SLURM_KEYS]);
  assert.deepEqual(Object.keys(schema.definitions.node.properties['resources']?.properties ?? {}), [
    ...RESOURCE_KEYS,
  ]);
});
