/** A broken workflow never starts: exit 2, every problem as FILE:LINE:COL, and nothing runs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempWorkspace } from '../helpers/cli';

const cases: { name: string; yaml: string; expect: RegExp }[] = [
  {
    name: 'bad YAML',
    yaml: 'name: x\nnodes:\n  a: { type: shell, run: "touch ran" \n',
    expect: /w\.workflow\.yaml:\d+:\d+: error: /,
  },
  {
    name: 'unknown node type',
    yaml: 'name: x\nnodes:\n  ok: { type: shell, run: "touch ran" }\n  a:\n    type: bash\n    run: "true"\n',
    expect: /w\.workflow\.yaml:5:11: error: .*bash/,
  },
  {
    name: 'duplicate id',
    yaml: 'name: x\nnodes:\n  a: { type: shell, run: "touch ran" }\n  a: { type: shell, run: "true" }\n',
    expect: /w\.workflow\.yaml:4:3: error: .*duplicate/i,
  },
  {
    name: 'needs naming no node',
    yaml: 'name: x\nnodes:\n  a: { type: shell, run: "touch ran", needs: [ghost] }\n',
    expect: /w\.workflow\.yaml:3:47: error: .*ghost/,
  },
  {
    name: 'dependency cycle',
    yaml: 'name: x\nnodes:\n  a: { type: shell, run: "touch ran", needs: [b] }\n  b: { type: shell, run: "true", needs: [a] }\n',
    expect: /w\.workflow\.yaml:\d+:\d+: error: .*(a -> b -> a|b -> a -> b)/,
  },
];

for (const c of cases) {
  test(`invalid workflow (${c.name}): exit 2, located message, nothing runs`, async () => {
    const dir = tempWorkspace({ 'w.workflow.yaml': c.yaml });
    const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, c.expect);
    assert.ok(!fs.existsSync(path.join(dir, 'ran')), 'no node ran');
    const runs = fs.existsSync(path.join(dir, 'store'))
      ? fs.readdirSync(path.join(dir, 'store')).filter((f) => !f.startsWith('index'))
      : [];
    assert.deepEqual(runs, [], 'no run folder was created');
  });
}

test('a missing workflow file is exit 2 with a clear message', async () => {
  const dir = tempWorkspace({});
  const r = await runCli(['run', 'nope.workflow.yaml', '--store', 'store'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nope\.workflow\.yaml:1:1: error: /);
});

test('usage errors are exit 2: one line and where to read the usage', async () => {
  const r = await runCli(['run']);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "workflow-profiler: run needs a workflow FILE\nRun 'workflow-profiler run --help' for usage.\n",
  );
});
