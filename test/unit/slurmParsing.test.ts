/** What Slurm's commands print, read without a cluster; the batch script and sbatch arguments. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  isLimitState,
  isTerminal,
  parseSacct,
  parseScontrolJobs,
  parseSlurmMemory,
  parseSlurmTime,
} from '../../src/runtime/slurm/jobState';
import {
  askedFor,
  batchScript,
  parseStart,
  sbatchArgs,
  slurmMinutes,
} from '../../src/runtime/slurm/batchScript';

const LINE =
  'JobId=42 JobName=wp-x UserId=root(0) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) TimeLimit=00:01:00 NumNodes=1 NumCPUs=2 MinMemoryNode=300M BatchHost=vm NodeList=vm';

test('scontrol -o lines become jobs: state, reason, host and what was granted', () => {
  const jobs = parseScontrolJobs(
    `${LINE}\nJobId=43 JobState=RUNNING Reason=None NumCPUs=1 MinMemoryCPU=1G TimeLimit=UNLIMITED BatchHost=(null)\n\n`,
  );
  assert.deepEqual(jobs.get('42'), {
    jobId: '42',
    state: 'TIMEOUT',
    reason: 'TimeLimit',
    batchHost: 'vm',
    requested: { cpus: 2, memoryBytes: 300 * 1024 ** 2, timeLimitMs: 60_000 },
  });
  assert.deepEqual(jobs.get('43')?.requested, {
    cpus: 1,
    memoryBytes: 1024 ** 3,
    timeLimitMs: null,
  });
  assert.equal(jobs.get('43')?.reason, null);
  assert.equal(jobs.get('43')?.batchHost, null);
});

test("Slurm's time and memory formats", () => {
  assert.equal(parseSlurmTime('00:01:00'), 60_000);
  assert.equal(parseSlurmTime('1-02:03:04'), (86400 + 7384) * 1000);
  assert.equal(parseSlurmTime('05:30'), 330_000);
  assert.equal(parseSlurmTime('7'), 420_000);
  assert.equal(parseSlurmTime('UNLIMITED'), null);
  assert.equal(parseSlurmMemory('2G'), 2 * 1024 ** 3);
  assert.equal(parseSlurmMemory('512'), 512 * 1024 ** 2);
  assert.equal(parseSlurmMemory('n/a'), null);
});

test('terminal and limit states', () => {
  assert.ok(isTerminal('COMPLETED'));
  assert.ok(isTerminal('CANCELLED by 0'));
  assert.ok(!isTerminal('PENDING'));
  assert.ok(!isTerminal('RUNNING'));
  assert.ok(isLimitState('TIMEOUT'));
  assert.ok(isLimitState('OUT_OF_MEMORY'));
  assert.ok(!isLimitState('FAILED'));
  assert.deepEqual(
    parseSacct('7|TIMEOUT|None\n8|COMPLETED|\n'),
    new Map([
      ['7', { state: 'TIMEOUT', reason: null }],
      ['8', { state: 'COMPLETED', reason: null }],
    ]),
  );
});

const FILES = {
  script: '/r/slurm/a.sh',
  stdout: '/r/slurm/a.out',
  stderr: '/r/slurm/a.err',
  start: '/r/slurm/a.start.json',
  result: '/r/slurm/a.result.json',
  samples: '/r/slurm/a.samples.ndjson',
};

test('sbatch arguments: node resources over the slurm block; time rounded up to minutes', () => {
  const args = sbatchArgs(
    { partition: 'p', account: 'acc', qos: 'q', timeMs: 600_000, extraArgs: ['--exclusive'] },
    { cpus: 2, memoryBytes: 1.5 * 1024 ** 3, timeMs: 61_000, gpus: 1, partition: 'big' },
    'wp-run-a',
    '/w',
    FILES,
  );
  assert.deepEqual(args, [
    '--parsable',
    '--job-name=wp-run-a',
    '--chdir=/w',
    '--output=/r/slurm/a.out',
    '--error=/r/slurm/a.err',
    '--export=ALL',
    '--partition=big',
    '--account=acc',
    '--qos=q',
    '--time=2',
    '--cpus-per-task=2',
    '--mem=1536M',
    '--gpus=1',
    '--exclusive',
    '/r/slurm/a.sh',
  ]);
  assert.equal(slurmMinutes(1), 1);
  assert.deepEqual(askedFor(null, { timeMs: 30_000 }), {
    cpus: null,
    memoryBytes: null,
    timeLimitMs: 60_000,
  });
});

test('the batch script records host and start, then execs the reaper with the command quoted', () => {
  const text = batchScript(FILES, {
    reaper: '/r/slurm/wp-reaper',
    graceMs: 500,
    sampleIntervalMs: null,
    file: '/bin/sh',
    args: ['-c', "echo 'hi'"],
  });
  assert.match(text, /^#!\/bin\/sh\n/);
  assert.match(
    text,
    /exec '\/r\/slurm\/wp-reaper' --result '\/r\/slurm\/a.result.json' --grace-ms 500 -- '\/bin\/sh' '-c' 'echo '\\''hi'\\'''\n$/,
  );
  const sampled = batchScript(FILES, {
    reaper: '/r/slurm/wp-reaper',
    graceMs: 500,
    sampleIntervalMs: 250,
    file: '/bin/true',
    args: [],
  });
  assert.match(
    sampled,
    /--grace-ms 500 --samples '\/r\/slurm\/a.samples.ndjson' --interval-ms 250 -- '\/bin\/true'\n$/,
  );
  assert.deepEqual(parseStart('{"host":"n1","startEpochNs":1500000000}'), {
    host: 'n1',
    startEpochMs: 1500,
  });
  assert.equal(parseStart('{"host":"n1"'), null);
});
