/**
 * Runtime slurm against a real one-machine cluster (scripts/slurm/start-local.sh), one cluster
 * for the whole file. Without Slurm's daemons installed these tests fail and say which Debian
 * packages to install; they never skip.
 *
 * The time-limit test needs Slurm to kill a job at its 1-minute limit, which slurmctld checks
 * every ~30 s: its run starts first, in `before`, and the other tests run meanwhile.
 */
import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  collect,
  pidAlive,
  runCli,
  spawnCli,
  sleep,
  tempWorkspace,
  type CliResult,
} from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { fixture } from '../fixtures/harness';
import type { RunRecord, Sample, TaskRun } from '../../src/model/run';

const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-slurm-'));
// Apart from a cluster on the default ports (a user's, or a second test run's).
const PORT = String(16817 + (process.pid % 1000) * 2);
let env: NodeJS.ProcessEnv = {};
let timeLimitRun: Promise<CliResult> | null = null;
let timeLimitDir = '';
let timeLimitChild: ChildProcess | null = null;

function requireSlurm(): void {
  for (const bin of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged']) {
    if (!fs.existsSync(bin))
      throw new Error(
        `${bin} is missing: these tests need a one-machine Slurm cluster; Debian: apt-get install slurm-wlm munge`,
      );
  }
}

before(() => {
  requireSlurm();
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/slurm/start-local.sh'), clusterDir], {
    env: { ...process.env, SLURM_LOCAL_PORT: PORT },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `start-local.sh failed: ${r.stderr}`);
  env = { SLURM_CONF: path.join(clusterDir, 'slurm.conf') };
  timeLimitDir = tempWorkspace({
    'w.workflow.yaml':
      'runtime: slurm\nnodes:\n  long: { type: shell, run: "sleep 300", resources: { cpus: 1, time: 1m } }\n',
  });
  timeLimitChild = spawnCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: timeLimitDir,
    env,
  });
  timeLimitRun = collect(timeLimitChild);
});

after(async () => {
  // Only when a test was filtered out or failed early: the run must not outlive its cluster.
  if (timeLimitChild && timeLimitChild.exitCode === null) {
    timeLimitChild.kill('SIGINT');
    await timeLimitRun;
  }
  spawnSync('bash', [path.join(repoRoot, 'scripts/slurm/stop-local.sh'), clusterDir]);
  fs.rmSync(clusterDir, { recursive: true, force: true });
});

function runOf(r: CliResult): RunRecord {
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
}

function task(run: RunRecord, id: string): TaskRun {
  const found = run.tasks.filter((t) => t.nodeId === id);
  const t = found[found.length - 1];
  assert.ok(t, `no TaskRun for ${id}`);
  return t;
}

function squeueIds(): string[] {
  return execFileSync('squeue', ['-h', '-o', '%i'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

test('a 6-node DAG with resources: jobId, host and requested on every TaskRun, needs respected', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `runtime: slurm
slurm: { time: 5m }
nodes:
  a: { type: shell, run: "echo a", resources: { cpus: 1, memory: 128M } }
  b: { type: shell, run: "sleep 0.3", needs: [a], resources: { memory: 200M } }
  c: { type: python, code: "print('c')", needs: [a] }
  d: { type: shell, run: "echo d", needs: [b, c], resources: { time: 2m } }
  e: { type: shell, run: "echo e" }
  f: { type: shell, run: "echo f", needs: [d, e] }
`,
  });
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  const run = runOf(r);
  assert.equal(run.runtime, 'slurm');
  assert.equal(run.tasks.length, 6);
  const ids = new Set<string>();
  for (const t of run.tasks) {
    assert.equal(t.status, 'completed', t.nodeId);
    assert.match(t.slurm?.jobId ?? '', /^\d+$/, `${t.nodeId} jobId`);
    ids.add(t.slurm?.jobId ?? '');
    assert.equal(t.slurm?.host, os.hostname().split('.')[0], `${t.nodeId} host`);
    assert.ok(t.slurm?.requested, `${t.nodeId} requested`);
    assert.ok(t.slurmQueueMs !== null && t.slurmQueueMs >= 0, `${t.nodeId} queue`);
    assert.ok(t.waitMs !== null && t.waitMs >= (t.slurmQueueMs ?? 0), `${t.nodeId} wait`);
    for (const need of t.needs) {
      const n = task(run, need);
      assert.ok(
        (t.startMs ?? 0) >= (n.endMs ?? Infinity),
        `${t.nodeId} started at ${t.startMs} before ${need} ended at ${n.endMs}`,
      );
    }
  }
  assert.equal(ids.size, 6, 'one job per node');
  assert.deepEqual(task(run, 'a').slurm?.requested, {
    cpus: 1,
    memoryBytes: 128 * 1024 ** 2,
    timeLimitMs: 300_000,
  });
  assert.equal(task(run, 'd').slurm?.requested?.timeLimitMs, 120_000);
  assert.equal(task(run, 'b').slurm?.requested?.memoryBytes, 200 * 1024 ** 2);
});

test('exact accounting on the compute node: 1 s of CPU and a 300 MB peak within 2 %; 2G for 300 MB is flagged', async () => {
  const dir = tempWorkspace({});
  const burn = fixture('burn');
  const holder = fixture('holder');
  fs.writeFileSync(
    path.join(dir, 'w.workflow.yaml'),
    `runtime: slurm
nodes:
  burn: { type: shell, run: "'${burn}' 1 '${dir}/burn.json'", resources: { cpus: 1 } }
  hold: { type: shell, run: "'${holder}' 300 0.5 '${dir}/hold.json'", resources: { cpus: 1, memory: 2G } }
`,
  );
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  const run = runOf(r);
  const burnTruth = JSON.parse(fs.readFileSync(path.join(dir, 'burn.json'), 'utf8')) as {
    cpuUs: number;
  };
  const holdTruth = JSON.parse(fs.readFileSync(path.join(dir, 'hold.json'), 'utf8')) as {
    vmHwmBytes: number;
  };
  const cpu = task(run, 'burn').cpuTimeMs ?? NaN;
  const peak = task(run, 'hold').peakRssBytes ?? NaN;
  const cpuErr = Math.abs(cpu - burnTruth.cpuUs / 1000) / (burnTruth.cpuUs / 1000);
  const peakErr = Math.abs(peak - holdTruth.vmHwmBytes) / holdTruth.vmHwmBytes;
  console.log(
    `slurm burn: cpuTimeMs ${cpu} vs own ${burnTruth.cpuUs / 1000} (${(cpuErr * 100).toFixed(2)} %); hold: peak ${peak} vs own VmHWM ${holdTruth.vmHwmBytes} (${(peakErr * 100).toFixed(2)} %)`,
  );
  assert.ok(cpuErr <= 0.02, `CPU ${cpu} ms vs ${burnTruth.cpuUs / 1000} ms`);
  assert.ok(peakErr <= 0.02, `peak ${peak} vs ${holdTruth.vmHwmBytes}`);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(
    report,
    /\| \*\*hold\*\* \|[^\n]*memory over-requested: peak is 1[45] % of the request/,
  );
  assert.match(report, /## Requested against used \(Slurm\)/);
});

test('samples from the compute node: a memory staircase has its peak and about one sample per interval in the run', async () => {
  const dir = tempWorkspace({});
  const steps = fixture('steps');
  // 5 steps of 60 MB, 200 ms apart, the top held 200 ms: about 1.2 s, a 300 MB peak.
  fs.writeFileSync(
    path.join(dir, 'w.workflow.yaml'),
    `runtime: slurm
nodes:
  stairs: { type: shell, run: "'${steps}' 60 5 200 '${dir}/steps.json'", resources: { cpus: 1, memory: 1G } }
`,
  );
  const r = await runCli(
    ['run', 'w.workflow.yaml', '--store', 'store', '--json', '--interval', '100'],
    { cwd: dir, env },
  );
  assert.equal(r.code, 0, r.stderr);
  const run = runOf(r);
  const t = task(run, 'stairs');
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'steps.json'), 'utf8')) as {
    vmHwmBytes: number;
  };
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  // The run's samples file, the one local runs write and the dashboard reads.
  const samples = fs
    .readFileSync(path.join(runDir, 'samples.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample)
    .filter((s) => s.nodeId === 'stairs' && s.attempt === 1);
  const exactPeak = t.peakRssBytes ?? NaN;
  const sampledPeak = Math.max(...samples.map((s) => s.rssBytes ?? 0));
  const duration = t.durationMs ?? NaN;
  const expected = duration / 100;
  console.log(
    `slurm samples: ${samples.length} over ${duration} ms (${expected.toFixed(1)} intervals); sampled peak ${sampledPeak} vs exact ${exactPeak} (own VmHWM ${truth.vmHwmBytes}, ${((Math.abs(sampledPeak - truth.vmHwmBytes) / truth.vmHwmBytes) * 100).toFixed(2)} %)`,
  );
  assert.equal(t.slurm?.samplesNote, null, t.slurm?.samplesNote ?? '');
  assert.equal(t.sampleCount, samples.length, 'the TaskRun counts the merged samples');
  assert.ok(
    samples.length >= Math.floor(expected * 0.7) && samples.length <= Math.ceil(expected) + 1,
    `${samples.length} samples for ${expected.toFixed(1)} intervals`,
  );
  assert.ok(
    Math.abs(sampledPeak - truth.vmHwmBytes) / truth.vmHwmBytes <= 0.03,
    `sampled peak ${sampledPeak} vs ${truth.vmHwmBytes}`,
  );
  assert.ok(Math.abs(exactPeak - truth.vmHwmBytes) / truth.vmHwmBytes <= 0.02, 'exact peak');
  // On the run's time base, inside the task, in order, and climbing the stairs.
  const start = t.startMs ?? NaN;
  const end = t.endMs ?? NaN;
  // The task's end is the reaper's own duration after the script's start, a few ms before the
  // main process's end on the wall clock (the script's exec of the reaper): hence the margin.
  for (const s of samples)
    assert.ok(s.t > start && s.t <= end + 50, `sample at ${s.t} outside ${start}..${end}`);
  assert.deepEqual(
    samples.map((s) => s.t),
    samples.map((s) => s.t).sort((a, b) => a - b),
  );
  const levels = new Set(samples.map((s) => Math.round((s.rssBytes ?? 0) / (60 * 1024 ** 2))));
  assert.ok(levels.size >= 5, `levels seen: ${[...levels].join(', ')}`);
  assert.ok(samples.every((s) => s.processes >= 1 && s.threads !== null && s.threads >= 1));
  assert.ok(
    samples.some((s) => s.cpuPercent !== null),
    'CPU % from the cumulative CPU',
  );
  // The memory analysis reads the merged series, as for a local run.
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(
    report,
    /\| Peak concurrent memory \| [^|]+ \| max over time of every running node's RSS added up, from samples/,
  );
});

test('a failing node skips its dependents while an independent branch goes on; retries: 1 resubmits', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `runtime: slurm
nodes:
  bad: { type: shell, run: "echo broken >&2; exit 4" }
  after: { type: shell, run: "echo never", needs: [bad] }
  other: { type: shell, run: "sleep 0.5; echo fine" }
  flaky: { type: shell, run: "if [ -f tried ]; then echo ok; else touch tried; exit 1; fi", retries: 1 }
`,
  });
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(r.code, 1);
  const run = runOf(r);
  assert.equal(task(run, 'bad').status, 'failed');
  assert.equal(task(run, 'bad').error?.kind, 'exit');
  assert.match(task(run, 'bad').error?.stderrTail ?? '', /broken/);
  assert.equal(task(run, 'after').status, 'skipped');
  assert.equal(task(run, 'after').slurm, undefined, 'a skipped node is never submitted');
  assert.equal(task(run, 'other').status, 'completed');
  const flaky = run.tasks.filter((t) => t.nodeId === 'flaky');
  assert.deepEqual(
    flaky.map((t) => t.status),
    ['retried', 'completed'],
  );
  assert.notEqual(flaky[0]?.slurm?.jobId, flaky[1]?.slurm?.jobId, 'the retry is a new job');
});

test('cancel: no job of the run in squeue 5 s later, the run cancelled, no process left', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `runtime: slurm
nodes:
  a:
    type: shell
    run: "sleep 300 & echo $! > p1; setsid sleep 300 & echo $! > p2; echo $$ > p0; wait"
    resources: { cpus: 1 }
  b: { type: shell, run: "sleep 1", needs: [a] }
`,
  });
  const child = spawnCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env,
  });
  const done = collect(child);
  const pidFiles = ['p0', 'p1', 'p2'].map((f) => path.join(dir, f));
  const readPids = (): number[] =>
    pidFiles.map((f) => Number(fs.readFileSync(f, 'utf8').trim())).filter((p) => p > 0);
  for (let i = 0; i < 300 && !pidFiles.every((f) => fs.existsSync(f)); i++) await sleep(100);
  await sleep(200);
  const pids = readPids();
  assert.equal(pids.length, 3, 'the node started on the cluster');
  assert.ok(pids.every(pidAlive), 'its processes run');
  child.kill('SIGINT');
  const r = await done;
  const run = runOf(r);
  assert.equal(run.status, 'cancelled');
  assert.equal(task(run, 'a').status, 'cancelled');
  assert.equal(task(run, 'b').status, 'cancelled');
  const jobId = task(run, 'a').slurm?.jobId ?? '';
  assert.match(jobId, /^\d+$/);
  await sleep(5000);
  assert.ok(!squeueIds().includes(jobId), `job ${jobId} still in squeue: ${squeueIds().join(' ')}`);
  assert.deepEqual(pids.filter(pidAlive), [], 'processes of the cancelled node survived');
});

test('parallel and slurm runs of the same workflow compare node by node', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': `runtime: parallel
nodes:
  x: { type: shell, run: "echo x" }
  y: { type: shell, run: "sleep 0.2", needs: [x] }
`,
  });
  const p = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    env,
  });
  const s = await runCli(
    ['run', 'w.workflow.yaml', '--runtime', 'slurm', '--store', 'store', '--json'],
    {
      cwd: dir,
      env,
    },
  );
  assert.equal(p.code, 0, p.stderr);
  assert.equal(s.code, 0, s.stderr);
  assert.equal(runOf(s).runtime, 'slurm');
  const a = (JSON.parse(p.stdout) as { runId: string }).runId;
  const b = (JSON.parse(s.stdout) as { runId: string }).runId;
  const c = await runCli(['compare', a, b, '--json', '--store', 'store'], { cwd: dir });
  assert.equal(c.code, 0, c.stderr);
  const cmp = JSON.parse(c.stdout) as { nodes?: { nodeId: string }[]; rows?: { nodeId: string }[] };
  const nodes = (cmp.nodes ?? cmp.rows ?? []).map((n) => n.nodeId).sort();
  assert.deepEqual([...new Set(nodes)], ['x', 'y'], c.stdout.slice(0, 2000));
});

test("a node over its time limit ends failed with kind limit and Slurm's reason", async () => {
  assert.ok(timeLimitRun, 'the time-limit run was started');
  const r = await timeLimitRun;
  assert.equal(r.code, 1, r.stderr);
  const run = runOf(r);
  const t = task(run, 'long');
  assert.equal(t.status, 'failed');
  assert.equal(t.error?.kind, 'limit');
  assert.match(t.reason ?? '', /TIMEOUT/);
  assert.equal(t.slurm?.requested?.timeLimitMs, 60_000);
  assert.ok((t.durationMs ?? 0) >= 59_000, `killed after ${t.durationMs} ms`);
  assert.ok(fs.existsSync(timeLimitDir));
});

test('without Slurm on PATH the run fails at start, naming what to install', async () => {
  const dir = tempWorkspace({
    'w.workflow.yaml': 'runtime: slurm\nnodes:\n  a: { type: shell, run: "echo a" }\n',
  });
  const bareBin = path.join(dir, 'bin');
  fs.mkdirSync(bareBin);
  fs.symlinkSync(process.execPath, path.join(bareBin, 'node'));
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
    cwd: dir,
    // A folder holding only node: no sinfo, no sbatch.
    env: { ...env, PATH: bareBin },
  });
  assert.equal(r.code, 1, r.stderr);
  const run = runOf(r);
  assert.equal(run.status, 'failed');
  assert.match(run.reason ?? '', /`sinfo` was not found on PATH: install Slurm's client commands/);
  assert.deepEqual(run.tasks, [], 'nothing was submitted');
});
