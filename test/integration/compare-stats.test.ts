/**
 * `run --repeat` and `compare` end to end, through the CLI on real runs: two series of the same
 * workflow (a sleep, a CPU burner, a short sleep) are not told apart; one with its first sleep
 * 30 % longer is, on that node alone; one run against one decides nothing.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import type { SeriesComparison } from '../../src/model/seriesComparison';
import { collect, runCli, sleep, spawnCli, tempWorkspace } from '../helpers/cli';

const workflow = (firstSleep: string): string => `name: stats-check
runtime: local
nodes:
  nap:
    type: shell
    run: sleep ${firstSleep}
  burn:
    type: shell
    run: i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done
    needs: nap
  blink:
    type: shell
    run: sleep 0.05
    needs: burn
`;

interface SeriesOut {
  series: string;
  runs: { runId: string; runDir: string; status: string; warmup: boolean }[];
  status: string;
}

const dir = tempWorkspace({ 'same.yaml': workflow('0.20'), 'slow.yaml': workflow('0.26') });

async function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const r = await runCli(args, { cwd: dir });
  assert.ok(r.code !== null && r.code <= 3, r.stderr);
  return r;
}

async function series(file: string, extra: string[] = []): Promise<SeriesOut> {
  const r = await cli(['run', file, '--repeat', '5', '--json', '--no-samples', ...extra]);
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout) as SeriesOut;
}

async function compare(a: string, b: string, extra: string[] = []): Promise<SeriesComparison> {
  const r = await cli(['compare', a, b, '--json', ...extra]);
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout) as SeriesComparison;
}

const verdicts = (c: SeriesComparison): string[] =>
  c.nodes.flatMap((n) =>
    Object.entries(n.metrics).map(([m, s]) => `${n.nodeId} ${m} ${s.verdict}`),
  );

describe('compare on repeated real runs', () => {
  let a: SeriesOut;
  let b: SeriesOut;
  let slow: SeriesOut;
  before(async () => {
    a = await series('same.yaml');
    b = await series('same.yaml');
    slow = await series('slow.yaml');
  });

  test('two series of the unchanged workflow: no regression, no improvement', async () => {
    const c = await compare(a.series, b.series);
    assert.deepEqual(
      c.baseline.runs,
      a.runs.map((r) => r.runId),
    );
    assert.equal(c.nodes.length, 3);
    const flagged = verdicts(c).filter((v) => /regressed|improved/.test(v));
    assert.deepEqual(flagged, [], verdicts(c).join('\n'));
    for (const n of c.nodes) {
      const d = n.metrics.durationMs;
      assert.ok(
        d && d.baseline.n === 5 && d.candidate.n === 5 && typeof d.baseline.median === 'number',
      );
    }
  });

  test('one sleep 30 % longer: that node alone regressed in durationMs', async () => {
    const c = await compare(a.series, slow.series);
    const dur = c.nodes.map((n) => `${n.nodeId} ${n.metrics.durationMs?.verdict}`);
    assert.deepEqual(
      dur,
      ['nap regressed', 'burn unchanged', 'blink unchanged'],
      verdicts(c).join('\n'),
    );
    const nap = c.nodes[0]?.metrics.durationMs;
    assert.ok(
      nap && nap.change !== null && nap.change > 0.2 && nap.change < 0.4,
      `change ${nap?.change}`,
    );
    assert.ok(
      nap.low !== null &&
        nap.high !== null &&
        nap.low > 0 &&
        nap.low <= nap.change &&
        nap.change <= nap.high,
    );
    const text = await cli(['compare', a.series, slow.series]);
    assert.match(text.stdout, /Verdict: regressed: nap Duration/);
  });

  test('one run against one: nothing regressed or improved; undecided says so', async () => {
    const c = await compare(a.runs[0]?.runId ?? '', b.runs[0]?.runId ?? '');
    for (const v of verdicts(c)) assert.match(v, / (insufficient|unchanged)$/);
    assert.ok(verdicts(c).some((v) => v.endsWith('insufficient')));
    const text = await cli(['compare', a.runs[0]?.runId ?? '', b.runs[0]?.runId ?? '']);
    assert.match(text.stdout, /run 2 more times to decide/);
  });

  test('--fail-on-regression: 3 on the slowed series, 0 on the unchanged one; lists work', async () => {
    assert.equal((await cli(['compare', a.series, slow.series, '--fail-on-regression'])).code, 3);
    assert.equal((await cli(['compare', a.series, b.series, '--fail-on-regression'])).code, 0);
    const list = slow.runs.map((r) => r.runId.slice(0, 22)).join(',');
    const c = await compare(a.series, list, ['--metric', 'durationMs']);
    assert.deepEqual(Object.keys(c.nodes[0]?.metrics ?? {}), ['durationMs']);
    assert.equal(c.nodes[0]?.metrics.durationMs?.verdict, 'regressed');
  });
});

test('run --repeat 2 --warmup 1 --json: the contract object, 3 runs stored, one a warm-up', async () => {
  const store = path.join(dir, 'warm-store');
  const r = await cli([
    'run',
    'same.yaml',
    '--repeat',
    '2',
    '--warmup',
    '1',
    '--json',
    '--store',
    store,
  ]);
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout) as SeriesOut;
  assert.match(out.series, /^series-/);
  assert.equal(out.status, 'completed');
  assert.equal(out.runs.length, 3);
  for (const run of out.runs) {
    assert.equal(typeof run.runId, 'string');
    assert.equal(run.status, 'completed');
  }
  const stored = fs
    .readdirSync(store)
    .filter((f) => fs.existsSync(path.join(store, f, 'run.json')))
    .map((f) => JSON.parse(fs.readFileSync(path.join(store, f, 'run.json'), 'utf8')) as RunRecord);
  assert.equal(stored.length, 3);
  assert.deepEqual(stored.map((s) => [s.series?.id, s.series?.index, s.series?.warmup]).sort(), [
    [out.series, 0, true],
    [out.series, 1, false],
    [out.series, 2, false],
  ]);
  // The warm-up is stored but the series resolves to the two measured runs.
  const c = await runCli(['compare', out.series, out.series, '--json', '--store', store], {
    cwd: dir,
  });
  assert.deepEqual(
    (JSON.parse(c.stdout) as SeriesComparison).baseline.runs,
    out.runs.filter((x) => !x.warmup).map((x) => x.runId),
  );
});

test('Ctrl-C cancels the current run of a series and stops it', async () => {
  const store = path.join(dir, 'cancel-store');
  fs.writeFileSync(
    path.join(dir, 'long.yaml'),
    'name: long\nruntime: local\nnodes:\n  wait:\n    type: shell\n    run: sleep 30\n',
  );
  const child = spawnCli(['run', 'long.yaml', '--repeat', '3', '--json', '--store', store], {
    cwd: dir,
  });
  const done = collect(child);
  // Wait for the first run's folder, then interrupt as a terminal would.
  for (let i = 0; i < 100 && !fs.existsSync(store); i++) await sleep(100);
  await sleep(500);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as SeriesOut;
  assert.equal(out.status, 'cancelled');
  assert.deepEqual(
    out.runs.map((x) => x.status),
    ['cancelled'],
  );
  assert.equal(fs.readdirSync(store).filter((f) => /^\d/.test(f)).length, 1);
});
