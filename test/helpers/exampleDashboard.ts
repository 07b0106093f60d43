/** The bundled example run through the CLI and its standalone dashboard, as a user would make them. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempWorkspace } from './cli';
import { repoRoot } from './paths';

export async function exampleDashboard(): Promise<{ runId: string; html: string }> {
  const dir = tempWorkspace({});
  fs.cpSync(path.join(repoRoot, 'examples'), path.join(dir, 'examples'), { recursive: true });
  const ran = await runCli(
    ['run', 'examples/nightly-etl.workflow.yaml', '--store', 'runs', '--json'],
    { cwd: dir },
  );
  assert.equal(ran.code, 0, ran.stderr);
  const { runId } = JSON.parse(ran.stdout) as { runId: string };
  const file = path.join(dir, 'dashboard.html');
  const made = await runCli(['dashboard', runId, '--store', 'runs', '-o', file], { cwd: dir });
  assert.equal(made.code, 0, made.stderr);
  return { runId, html: fs.readFileSync(file, 'utf8') };
}
