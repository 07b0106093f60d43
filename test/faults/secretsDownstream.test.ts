/**
 * Redaction protects what is stored, not the workflow's own data flow: a token one node fetched
 * reaches the node that needs it intact, while the run folder holds only `***` in its place, and
 * the private copy the node read from is gone when the run ends.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

test('a secret passed from node to node arrives intact and is stored nowhere', async () => {
  const secret = `tok-${crypto.randomBytes(6).toString('hex')}`;
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('wp-inputs-')));
  const dir = tempWorkspace({
    'w.workflow.yaml': [
      'name: handoff',
      'nodes:',
      '  fetch:',
      '    type: shell',
      `    run: 'printf "{\\"token\\": \\"%s\\"}" "$API_TOKEN" > "$WORKFLOW_OUTPUT"'`,
      '  use:',
      '    type: node',
      '    needs: [fetch]',
      '    code: |',
      "      const got = JSON.parse(require('fs').readFileSync(process.env.WORKFLOW_INPUTS, 'utf8'));",
      "      if (got.fetch.token !== process.env.API_TOKEN) { console.error('token mangled'); process.exit(7); }",
      "      console.log('token ok');",
      '',
    ].join('\n'),
  });
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env: { API_TOKEN: secret },
  });
  const result = JSON.parse(r.stdout) as { status: string; runDir: string };
  const run = JSON.parse(
    fs.readFileSync(path.join(result.runDir, 'run.json'), 'utf8'),
  ) as RunRecord;
  const use = run.tasks.find((t) => t.nodeId === 'use');
  assert.equal(
    use?.status,
    'completed',
    `${r.stderr}\n${fs.readFileSync(path.join(result.runDir, 'logs', 'use.log'), 'utf8')}`,
  );
  assert.equal(result.status, 'completed');
  for (const f of filesUnder(path.join(dir, 'store')))
    assert.ok(!fs.readFileSync(f).includes(secret), `${path.relative(dir, f)} holds the secret`);
  const stored = fs
    .readdirSync(path.join(result.runDir, 'inputs'))
    .map((f) => fs.readFileSync(path.join(result.runDir, 'inputs', f), 'utf8'));
  assert.ok(
    stored.some((t) => t.includes('***')),
    'the stored inputs say where the secret was',
  );
  const left = fs
    .readdirSync(os.tmpdir())
    .filter((f) => f.startsWith('wp-inputs-') && !before.has(f));
  assert.deepEqual(left, [], 'the private inputs folder is removed when the runner exits');
});
