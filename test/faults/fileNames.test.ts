/**
 * Log and output file names encode node paths injectively: a nested `sub/c1` and a top-level
 * `sub__c1` never share a file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNodeId, nodeFileName } from '../../src/store/nodeFiles';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';

test('nested sub/c1 and top-level sub__c1 get their own log and output files', async () => {
  const dir = tempWorkspace({
    'main.workflow.yaml': `name: main
nodes:
  sub: { type: workflow, file: inner.workflow.yaml }
  sub__c1:
    type: shell
    run: 'echo top-level; echo "{\\"who\\": \\"top\\"}" > "$WORKFLOW_OUTPUT"'
    needs: [sub]
`,
    'inner.workflow.yaml': `name: inner
nodes:
  c1:
    type: shell
    run: 'echo nested; echo "{\\"who\\": \\"nested\\"}" > "$WORKFLOW_OUTPUT"'
`,
  });
  const store = path.join(dir, 'store');
  const r = await runCli(['run', 'main.workflow.yaml', '--store', store, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.deepEqual(run.tasks.map((t) => t.nodeId).sort(), ['sub', 'sub/c1', 'sub__c1']);

  const logs = fs.readdirSync(path.join(runDir, 'logs')).sort();
  assert.equal(logs.length, 2, `one log per node: ${logs.join(', ')}`);
  const logText = logs.map((f) => fs.readFileSync(path.join(runDir, 'logs', f), 'utf8')).sort();
  assert.deepEqual(logText, ['nested\n', 'top-level\n']);
  assert.ok(logs.includes('sub__c1.log'), 'a plain id keeps its readable name');

  const outputs = fs.readdirSync(path.join(runDir, 'outputs'));
  assert.equal(outputs.length, 2, `one output per node: ${outputs.join(', ')}`);
  const who = outputs
    .map(
      (f) =>
        (JSON.parse(fs.readFileSync(path.join(runDir, 'outputs', f), 'utf8')) as { who: string })
          .who,
    )
    .sort();
  assert.deepEqual(who, ['nested', 'top']);
});

test('the encoding is injective over ids, nesting and attempts', () => {
  const ids = ['a', 'a/b', 'a__b', 'a_b', 'a~b', 'a%7Eb', 'a/b/c', 'a/b__c', 'a__b/c', 'é', 'a.b'];
  const names = new Set<string>();
  for (const id of ids)
    for (const attempt of [1, 2, 3]) names.add(nodeFileName(id, attempt, 'log'));
  assert.equal(names.size, ids.length * 3);
  assert.equal(nodeFileName('a', 2, 'log'), 'a.attempt-2.log');
  assert.equal(nodeFileName('a.attempt-2', 1, 'log') === nodeFileName('a', 2, 'log'), false);
  assert.equal(encodeNodeId('extract_2-b'), 'extract_2-b');
  assert.equal(encodeNodeId('sub/c1'), 'sub~c1');
});
