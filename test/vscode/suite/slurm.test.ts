/**
 * The editor runs a `runtime: slurm` workflow on a one-machine Slurm cluster this suite starts
 * (scripts/slurm/start-local.sh) and stops: a run completes with a job per node and its dashboard
 * draws; profiling shows the running run live, and cancelling it from the editor scancels its job
 * and kills its processes. Without
 * Slurm's daemons the suite fails, naming the Debian packages.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  api,
  nextRender,
  pidAlive,
  readRun,
  sleep,
  waitFor,
  workspaceDir,
  workspaceUri,
  type RunCommandResult,
} from '../helpers';

// out/vscode-test/test/vscode/suite → the repository.
const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');
const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-slurm-host-'));
const FILES = {
  quick: 'slurm-quick.workflow.yaml',
  long: 'slurm-long.workflow.yaml',
};

suite('slurm', () => {
  suiteSetup(function () {
    this.timeout(60_000);
    for (const bin of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged'])
      assert.ok(fs.existsSync(bin), `${bin} is missing: apt-get install slurm-wlm munge`);
    const r = spawnSync('bash', [path.join(repo, 'scripts/slurm/start-local.sh'), clusterDir], {
      env: { ...process.env, SLURM_LOCAL_PORT: String(26817 + (process.pid % 1000) * 2) },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `start-local.sh: ${r.stderr}`);
    // The runner the extension forks inherits the extension host's environment.
    process.env['SLURM_CONF'] = path.join(clusterDir, 'slurm.conf');
    fs.writeFileSync(
      path.join(workspaceDir(), FILES.quick),
      'runtime: slurm\nnodes:\n  a: { type: shell, run: "echo a", resources: { cpus: 1, memory: 100M } }\n  b: { type: shell, run: "echo b", needs: [a] }\n',
    );
    fs.writeFileSync(
      path.join(workspaceDir(), FILES.long),
      'runtime: slurm\nnodes:\n  long: { type: shell, run: "echo $$ > slurm-pid.txt; sleep 300" }\n',
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    spawnSync('bash', [path.join(repo, 'scripts/slurm/stop-local.sh'), clusterDir]);
    delete process.env['SLURM_CONF'];
    for (const f of [...Object.values(FILES), 'slurm-pid.txt'])
      fs.rmSync(path.join(workspaceDir(), f), { force: true });
    fs.rmSync(clusterDir, { recursive: true, force: true });
  });

  test('a slurm workflow runs from the editor, one job per node, and its dashboard draws', async function () {
    this.timeout(60_000);
    const a = await api();
    const r = await vscode.commands.executeCommand<RunCommandResult>(
      'workflowProfiler.run',
      workspaceUri(FILES.quick),
    );
    assert.equal(r.status, 'completed');
    assert.ok(r.runDir && r.runId);
    const run = readRun(r.runDir) as unknown as {
      runtime: string;
      tasks: { nodeId: string; slurm?: { jobId: string; host: string | null } }[];
    };
    assert.equal(run.runtime, 'slurm');
    for (const t of run.tasks) assert.match(t.slurm?.jobId ?? '', /^\d+$/, t.nodeId);
    const drawn = nextRender(a, (x) => x.kind === 'dashboard' && x.id === r.runId);
    await vscode.commands.executeCommand('workflowProfiler.openDashboard', r.runId);
    const done = await drawn;
    assert.ok(done.charts.includes('timeline'), done.charts.join(', '));
  });

  test('profiling shows the run live while its job runs; cancel scancels it and kills its processes', async function () {
    this.timeout(60_000);
    const a = await api();
    const drawn: string[] = [];
    const sub = a.onDidRenderPanel((x) => {
      if (x.kind === 'dashboard') drawn.push(x.id);
    });
    const pidFile = path.join(workspaceDir(), 'slurm-pid.txt');
    fs.rmSync(pidFile, { force: true });
    const running = Promise.resolve(
      vscode.commands.executeCommand<RunCommandResult>(
        'workflowProfiler.profile',
        workspaceUri(FILES.long),
      ),
    );
    const pid = await waitFor(
      'the job to start on the cluster',
      () =>
        fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) || undefined : undefined,
      30_000,
    );
    assert.ok(pidAlive(pid));
    // Progress: the live dashboard of the running run draws while its job is on the cluster.
    await waitFor(
      'the live dashboard to draw',
      () => (drawn.length > 0 ? true : undefined),
      20_000,
    );
    assert.ok(pidAlive(pid), 'the job still runs while the dashboard shows it');
    sub.dispose();
    assert.equal(await vscode.commands.executeCommand<boolean>('workflowProfiler.cancel'), true);
    const r = await running;
    assert.equal(r.status, 'cancelled');
    assert.ok(
      drawn.includes(r.runId ?? ''),
      `the live dashboard was of this run: ${drawn.join(' ')}`,
    );
    await sleep(2000);
    assert.equal(pidAlive(pid), false, 'the node process survived cancel');
    const queue = spawnSync('squeue', ['-h', '-o', '%i'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(queue, '', `jobs left in squeue: ${queue}`);
    assert.equal(readRun(r.runDir ?? '').status, 'cancelled');
  });
});
