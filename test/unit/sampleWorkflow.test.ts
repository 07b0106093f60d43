/**
 * The sample "Create a Sample Workflow" writes (src/workflow/sampleWorkflow.ts): it must parse
 * with no problems, validate against the schema editors use, and have the shape the walkthrough
 * describes (shell, python and node nodes, dependencies, branches that can run side by side).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseWorkflowText } from '../../src/workflow/parse';
import { isWorkflowFile, workflowBaseName } from '../../src/workflow/discover';
import { sampleFileName, sampleWorkflowText } from '../../src/workflow/sampleWorkflow';
import type { NodeDef, WorkflowDef } from '../../src/workflow/types';
import { compileWorkflowSchema } from '../helpers/workflowSchema';

function sample(index = 1): { file: string; text: string; workflow: WorkflowDef } {
  const file = path.join('/ws', sampleFileName(index));
  const text = sampleWorkflowText(workflowBaseName(file));
  const { workflow, problems } = parseWorkflowText(text, file);
  assert.deepEqual(problems, [], `${file} has problems`);
  assert.ok(workflow);
  return { file, text, workflow };
}

/** Every node `id` depends on, directly or not. */
function ancestors(nodes: NodeDef[], id: string): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const todo = [...(byId.get(id)?.needs ?? [])];
  while (todo.length > 0) {
    const next = todo.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...(byId.get(next)?.needs ?? []));
  }
  return seen;
}

test('the sample parses with no problems (errors or warnings), named after its file', () => {
  for (const index of [1, 2, 7]) {
    const { file, workflow } = sample(index);
    assert.equal(workflow.name, workflowBaseName(file));
  }
  assert.equal(sample(1).workflow.name, 'sample-pipeline');
  assert.equal(sample(2).workflow.name, 'sample-pipeline-2');
});

test('the sample validates against schemas/workflow.schema.json', () => {
  const validate = compileWorkflowSchema();
  const ok = validate(parseYaml(sample().text));
  assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
  // The check can fail: a node without its required `run` is rejected.
  const broken = sample().text.replace(/^ {4}run: \|\n(?: {6}.*\n)+/m, '');
  assert.equal(validate(parseYaml(broken)), false);
});

test('the sample looks like a pipeline: shell, python and node, dependencies, parallel branches', () => {
  const { workflow } = sample();
  const nodes = workflow.nodes;
  const types = new Set(nodes.map((n) => n.type));
  for (const t of ['shell', 'python', 'node'] as const) assert.ok(types.has(t), t);
  assert.equal(workflow.runtime, 'parallel');
  assert.ok(workflow.maxParallel >= 2, 'two or more slots');
  assert.ok(nodes.length >= 5 && nodes.length <= 8, `a few nodes, not ${nodes.length}`);
  // Inline code only: the sample is one file, nothing else to copy.
  for (const n of nodes) assert.equal(n.script, undefined, `${n.id} names a script`);
  // Branches: two nodes neither of which depends on the other, both after a common node.
  const independent = nodes.flatMap((a) =>
    nodes
      .filter((b) => a.id < b.id)
      .filter((b) => !ancestors(nodes, a.id).has(b.id) && !ancestors(nodes, b.id).has(a.id))
      .filter((b) => a.needs.length > 0 && a.needs.join() === b.needs.join())
      .map((b) => `${a.id}|${b.id}`),
  );
  assert.ok(independent.length >= 1, 'a parallel branch');
  // One node joins the branches: it needs several others.
  assert.ok(
    nodes.some((n) => n.needs.length >= 2),
    'a join',
  );
  // Every node but the first depends on something, and each has a timeout.
  assert.equal(nodes.filter((n) => n.needs.length === 0).length, 1);
  for (const n of nodes) assert.ok((n.timeoutMs ?? 0) > 0, `${n.id} has a timeout`);
});

test('sample file names: distinct workflow files, the plain name first', () => {
  const names = [1, 2, 3, 10].map(sampleFileName);
  assert.equal(names[0], 'sample-pipeline.workflow.yaml');
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.ok(isWorkflowFile(n), n);
});
