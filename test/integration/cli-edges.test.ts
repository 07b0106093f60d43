/**
 * The CLI as a new user meets it, through the built bundle: each command's --help with its flags
 * and defaults, a usage error as one line and a hint, --version from package.json, `latest~N` as a
 * run name for every command that takes one, `dashboard RUN` writing into the run folder, and the
 * live progress line on a terminal only.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../src/store/runStore';
import type { RunRecord } from '../../src/model/run';
import { etlRun } from '../helpers/makeRun';
import { requireBuilt, runCli, tempWorkspace } from '../helpers/cli';
import { cliPath, repoRoot } from '../helpers/paths';

/** Each command and the flags its help must name (every flag its parser accepts). */
const COMMAND_FLAGS: Record<string, string[]> = {
  run: [
    '--runtime',
    '--max-parallel',
    '--interval',
    '--no-samples',
    '--retention',
    '--repeat',
    '--warmup',
    '--memory-limit',
    '--max-log-size',
    '--max-output-size',
    '--max-output-depth',
    '--max-nodes',
    '--redact',
    '--json',
    '--quiet',
    '--store',
    '--debug',
  ],
  list: ['--json', '--store', '--debug'],
  show: ['--json', '--store', '--debug'],
  report: ['--store', '--debug'],
  export: ['--format', '-o, --output', '--store', '--debug'],
  dashboard: ['-o, --output', '--store', '--debug'],
  compare: ['--metric', '--json', '--markdown', '--fail-on-regression', '--store', '--debug'],
  whatif: ['--slots', '--speedup', '--json', '--store', '--debug'],
  help: [],
  version: [],
};

for (const [command, flags] of Object.entries(COMMAND_FLAGS)) {
  test(`${command} --help and help ${command}: its usage, every flag, exit 0`, async () => {
    const viaFlag = await runCli([command, '--help']);
    const viaHelp = await runCli(['help', command]);
    for (const r of [viaFlag, viaHelp]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const usage =
        command === 'version'
          ? /^Usage: workflow-profiler --version/
          : /^Usage: workflow-profiler /;
      assert.match(r.stdout, usage);
      if (command !== 'version')
        assert.match(r.stdout, new RegExp(`^Usage: workflow-profiler ${command}\\b`));
      for (const f of flags) assert.ok(r.stdout.includes(f), `${command} --help names ${f}`);
    }
    assert.equal(viaFlag.stdout, viaHelp.stdout);
  });
}

test('run --help gives the defaults: slots, interval, retention, limits, store', async () => {
  const r = await runCli(['run', '--help']);
  assert.equal(r.code, 0, r.stderr);
  const text = r.stdout.replace(/\s+/g, ' ');
  assert.match(text, /--max-parallel N .*else 4 for parallel and 1 for local/);
  assert.match(text, /--interval MS .*\(default: 100\)/);
  assert.match(text, /--retention N .*\(default: keep all\)/);
  assert.match(text, /--max-log-size SIZE .*\(default: 64M\)/);
  assert.match(text, /--max-output-size SIZE .*\(default: 16M\)/);
  assert.match(text, /--max-output-depth N .*\(default: 256\)/);
  assert.match(text, /--max-nodes N .*\(default: 10000\)/);
  assert.match(text, /--store DIR .*\(default: \.workflow-runs/);
  const compare = await runCli(['compare', '-h']);
  assert.match(compare.stdout.replace(/\s+/g, ' '), /default: durationMs,cpuTimeMs,peakRssBytes/);
});

test('--help alone and no arguments list every command', async () => {
  for (const argv of [['--help'], [], ['help']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, r.stderr);
    for (const c of ['run', 'list', 'show', 'report', 'export', 'dashboard', 'compare', 'whatif'])
      assert.match(r.stdout, new RegExp(`^  ${c}\\b`, 'm'), `${argv.join(' ')} lists ${c}`);
  }
});

const usageErrors: { argv: string[]; message: RegExp; hint: string }[] = [
  { argv: ['run'], message: /run needs a workflow FILE/, hint: 'run' },
  { argv: ['run', 'f.yaml', '--max-parallel', '0'], message: /at least 1/, hint: 'run' },
  { argv: ['run', 'f.yaml', '--repeat', 'x'], message: /--repeat/, hint: 'run' },
  { argv: ['run', 'f.yaml', '--memory-limit', 'lots'], message: /--memory-limit/, hint: 'run' },
  {
    argv: ['run', 'f.yaml', '--repeat', '2', '--wat'],
    message: /unknown option --wat/,
    hint: 'run',
  },
  { argv: ['export', 'r'], message: /--format/, hint: 'export' },
  { argv: ['list', 'extra'], message: /unexpected argument extra/, hint: 'list' },
  { argv: ['dashboard'], message: /dashboard needs a RUN/, hint: 'dashboard' },
  { argv: ['compare', 'a'], message: /BASELINE and a CANDIDATE/, hint: 'compare' },
  { argv: ['whatif', 'r', '--slots', '0'], message: /--slots/, hint: 'whatif' },
  { argv: ['frobnicate'], message: /unknown command frobnicate/, hint: '' },
  { argv: ['help', 'frobnicate'], message: /no command frobnicate/, hint: '' },
];

for (const u of usageErrors) {
  test(`usage error (${u.argv.join(' ')}): one line and a hint, exit 2`, async () => {
    const r = await runCli(u.argv, { cwd: tempWorkspace({}) });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, `two lines, not the usage:\n${r.stderr}`);
    assert.match(lines[0] ?? '', /^workflow-profiler: /);
    assert.match(lines[0] ?? '', u.message);
    const cmd = u.hint === '' ? '' : `${u.hint} `;
    assert.equal(lines[1], `Run 'workflow-profiler ${cmd}--help' for usage.`);
  });
}

test('--version prints the version in package.json', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const argv of [['--version'], ['-v'], ['version']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  }
  assert.notEqual(pkg.version, 'dev');
});

/** Three finished runs, oldest first, and a newer one still running (latest skips it). */
async function storeOfRuns(): Promise<{ dir: string; ids: string[]; running: string }> {
  const dir = tempWorkspace({});
  const store = new RunStore(path.join(dir, 'runs'));
  const ids: string[] = [];
  const add = async (i: number, status: RunRecord['status']): Promise<string> => {
    const { run, samples } = etlRun();
    run.id = `2025010${i + 1}-120000-000-abc${i}`;
    run.startedAt = `2025-01-0${i + 1}T12:00:00.000Z`;
    run.status = status;
    store.createRun(run);
    const w = store.samplesWriter(run.id);
    w.append(samples);
    await w.close();
    return run.id;
  };
  for (let i = 0; i < 3; i++) ids.push(await add(i, 'completed'));
  // Its runner is on another host (makeRun's), so the store cannot call it dead: still running.
  const running = await add(3, 'running');
  return { dir, ids, running };
}

test('latest and latest~N name the newest finished runs in show, report, export, whatif, compare', async () => {
  const { dir, ids } = await storeOfRuns();
  const cli = (argv: string[]): ReturnType<typeof runCli> =>
    runCli([...argv, '--store', 'runs'], { cwd: dir });
  const shownId = async (ref: string): Promise<string> => {
    const r = await cli(['show', ref, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as RunRecord).id;
  };
  assert.equal(await shownId('latest'), ids[2]);
  assert.equal(await shownId('latest~0'), ids[2]);
  assert.equal(await shownId('latest~1'), ids[1]);
  assert.equal(await shownId('latest~2'), ids[0]);

  const tooFar = await cli(['show', 'latest~3']);
  assert.equal(tooFar.code, 2);
  assert.match(tooFar.stderr, /no run latest~3: there are 3 finished runs/);
  assert.equal(tooFar.stderr.trimEnd().split('\n').length, 1);

  const report = await cli(['report', 'latest~1']);
  assert.equal(report.code, 0, report.stderr);
  // Markdown escapes the id's dashes; the start time names the run as well.
  assert.match(report.stdout, /started 2025-01-02 12:00:00/, 'the report is of latest~1');
  const exported = await cli(['export', 'latest', '--format', 'json']);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal((JSON.parse(exported.stdout) as RunRecord).id, ids[2]);
  const whatif = await cli(['whatif', 'latest~2', '--json']);
  assert.equal(whatif.code, 0, whatif.stderr);
  assert.ok((JSON.parse(whatif.stdout) as { wallMs: number }).wallMs > 0);
  const compare = await cli(['compare', 'latest~2,latest~1', 'latest']);
  assert.equal(compare.code, 0, compare.stderr);
  assert.match(compare.stdout, new RegExp(`baseline ${ids[0]},${ids[1]}`));
  assert.match(compare.stdout, new RegExp(`candidate ${ids[2]}`));
  const dash = await cli(['dashboard', 'latest', '-o', 'd.html']);
  assert.equal(dash.code, 0, dash.stderr);
  assert.equal(dash.stdout.trim(), path.join(dir, 'd.html'));

  const empty = await runCli(['show', 'latest', '--store', 'none'], { cwd: dir });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no run latest: there are no finished runs/);
});

test('dashboard RUN without -o writes dashboard.html into the run folder and prints its path', async () => {
  const { dir, ids } = await storeOfRuns();
  const id = ids[1] as string;
  const r = await runCli(['dashboard', id.slice(0, 9), '--store', 'runs'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const file = path.join(dir, 'runs', id, 'dashboard.html');
  assert.equal(r.stdout, `${file}\n`, 'the path, not the HTML');
  assert.match(fs.readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
  const left = fs.readdirSync(path.dirname(file)).filter((f) => f.includes('dashboard'));
  assert.deepEqual(left, ['dashboard.html'], 'written atomically: no temporary file left');
  // Still listed: the run folder stays a run folder.
  const listed = await runCli(['list', '--json', '--store', 'runs'], { cwd: dir });
  assert.ok((JSON.parse(listed.stdout) as { id: string }[]).some((x) => x.id === id));

  const piped = await runCli(['dashboard', id, '-o', '-', '--store', 'runs'], { cwd: dir });
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stdout, /^<!DOCTYPE html>/);
});

const SLOW = `name: slow
runtime: parallel
nodes:
  sleepy_a: { type: shell, run: "sleep 1.2" }
  sleepy_b: { type: shell, run: "sleep 0.9" }
  after: { type: shell, run: "true", needs: [sleepy_a, sleepy_b] }
`;

/** Runs the CLI under a pseudo-terminal (util-linux `script`), returning what the terminal got. */
function underTty(args: string[], cwd: string): { status: number | null; out: string } {
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  assert.ok(
    script.status === 0,
    'the progress-line test needs `script` from util-linux (Debian package: bsdutils) for a pseudo-terminal',
  );
  requireBuilt();
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cliPath, ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '100', LINES: '30' },
    timeout: 60_000,
  });
  return { status: r.status, out: r.stdout };
}

test('on a terminal, a live line names the running nodes and their elapsed time, then is cleared', async () => {
  const dir = tempWorkspace({ 'slow.workflow.yaml': SLOW });
  const tty = underTty(['run', 'slow.workflow.yaml', '--store', 'runs'], dir);
  assert.equal(tty.status, 0, tty.out);
  const CLEAR = '\r\u001b[2K';
  const live = tty.out
    .split(CLEAR)
    .map((s) => s.split(/\r?\n/)[0] ?? '')
    .filter((s) => s.includes('running:'));
  assert.ok(
    live.some((l) => /▶ 2 running: sleepy_a \d+\.\d s · sleepy_b \d+\.\d s/.test(l)),
    `both nodes with their times in one line:\n${JSON.stringify(live)}`,
  );
  const times = live.flatMap((l) =>
    [...l.matchAll(/sleepy_a (\d+\.\d) s/g)].map((m) => Number(m[1])),
  );
  assert.ok(Math.max(...times) >= 0.4, `the elapsed time moves: ${times.join(', ')}`);
  // Redrawn in place (a clear before each) and gone at the end: the summary starts a clean line.
  const last = tty.out.lastIndexOf('running:');
  const done = tty.out.indexOf('completed in');
  assert.ok(last < done, 'no live line after the summary');
  assert.ok(
    tty.out.slice(last, done).includes(CLEAR),
    'the live line is cleared before the summary',
  );
  // The permanent lines are all there, each whole.
  for (const id of ['sleepy_a', 'sleepy_b', 'after'])
    assert.match(tty.out, new RegExp(`✓ ${id}\\s+shell`));

  const json = underTty(['run', 'slow.workflow.yaml', '--store', 'runs', '--json'], dir);
  assert.equal(json.status, 0, json.out);
  assert.doesNotMatch(json.out, /running:/, 'no live line with --json');

  const piped = await runCli(['run', 'slow.workflow.yaml', '--store', 'runs'], { cwd: dir });
  assert.equal(piped.code, 0, piped.stderr);
  // eslint-disable-next-line no-control-regex -- the escape character is what is checked
  assert.doesNotMatch(piped.stdout + piped.stderr, /running:|\u001b/, 'no live line on a pipe');
});
