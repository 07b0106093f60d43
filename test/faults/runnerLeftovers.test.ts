/**
 * What the runner leaves to the nodes and behind it: a SIGKILLed runner cannot remove its
 * temporary reaper folder or its run's cgroup, so the next run does; and no node inherits the
 * editor's ELECTRON_RUN_AS_NODE or VS Code IPC variables.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli, sleep, spawnCli, tempWorkspace, collect } from '../helpers/cli';
import { cgroupBase } from '../../src/measure/cgroup';

const SLOW = `name: slow
nodes:
  wait: { type: shell, run: 'sleep 30' }
`;
const QUICK = `name: quick
nodes:
  env:
    type: shell
    run: 'echo "E=\${ELECTRON_RUN_AS_NODE-unset} V=\${VSCODE_IPC_HOOK-unset} KEEP=\${KEEP_ME-unset}"'
`;

function reaperFolders(tmp: string): string[] {
  return fs.readdirSync(tmp).filter((n) => n.startsWith('wp-reaper-'));
}

async function until<T>(what: string, get: () => T | null, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

test('a SIGKILLed runner’s reaper folder and cgroup are gone after the next run', async () => {
  const dir = tempWorkspace({ 'slow.workflow.yaml': SLOW, 'quick.workflow.yaml': QUICK });
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const env = { TMPDIR: tmp };
  const cli = spawnCli(['run', 'slow.workflow.yaml', '--json'], { cwd: dir, env });
  const ended = collect(cli);
  const folder = await until('the reaper folder', () => reaperFolders(tmp)[0] ?? null);
  // The CLI runs the workflow in its own process: it is the runner.
  const runner = cli.pid ?? -1;
  const base = cgroupBase().dir;
  const runCgroups = (): string[] =>
    base ? fs.readdirSync(base).filter((n) => n.startsWith(`run-${runner}-`)) : [];
  const cgroupsBefore = runCgroups();
  process.kill(runner, 'SIGKILL');
  await ended;
  assert.ok(fs.existsSync(path.join(tmp, folder)), 'the killed runner could not remove it');

  const next = await runCli(['run', 'quick.workflow.yaml', '--json'], { cwd: dir, env });
  assert.equal(next.code, 0, next.stderr);
  const left = reaperFolders(tmp);
  console.log(
    `  [leftovers] before: ${folder} and cgroups [${cgroupsBefore.join(', ')}]; after the next run: [${left.join(', ')}] and [${runCgroups().join(', ')}]`,
  );
  assert.ok(!left.includes(folder), `${folder} survived the next run`);
  assert.deepEqual(runCgroups(), []);
});

test('a node sees no ELECTRON_RUN_AS_NODE or VSCODE_IPC_HOOK the runner had', async () => {
  const dir = tempWorkspace({ 'quick.workflow.yaml': QUICK });
  const ran = await runCli(['run', 'quick.workflow.yaml', '--json'], {
    cwd: dir,
    env: { ELECTRON_RUN_AS_NODE: '1', VSCODE_IPC_HOOK: '/nowhere.sock', KEEP_ME: 'kept' },
  });
  assert.equal(ran.code, 0, ran.stderr);
  const { runDir } = JSON.parse(ran.stdout) as { runDir: string };
  const log = fs.readFileSync(path.join(runDir, 'logs', 'env.log'), 'utf8');
  assert.match(log, /E=unset V=unset KEEP=kept/);
});
