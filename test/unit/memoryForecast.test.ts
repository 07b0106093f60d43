/**
 * The memory forecast before a run, on hand-built runs: the decision (forecast, verdict, the
 * largest maxParallel that fits), the size parser behind --memory-limit and the setting, and the
 * forecast-against-actual line of the report and dashboard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideMemoryForecast, forecastWarning } from '../../src/report/whatif/memoryForecast';
import { parseSize } from '../../src/model/sizeText';
import { takeMemoryLimit } from '../../src/cli/memoryLimitArg';
import { parseRepeatCount, repeatCountProblem } from '../../src/extension/repeatCount';
import { checkRunRecord } from '../../src/store/runRecordCheck';
import { parseMemAvailable } from '../../src/measure/availableMemory';
import { memoryForecastFigure } from '../../src/report/charts/memoryForecast';
import { renderReport } from '../../src/report/markdown';
import { analyzeRun } from '../../src/report/analysis';
import { isDashboardSnapshot } from '../../src/protocol/dashboardValidate';
import type { RunRecord } from '../../src/model/run';
import { makeRun, MiB, ran } from '../helpers/makeRun';

const GiB = 1024 * MiB;

/** Four independent 100 MiB nodes of 100 ms, recorded one at a time: n slots overlap n of them. */
function history(peak: number | null = 100 * MiB): RunRecord {
  return makeRun(
    ['a', 'b', 'c', 'd'].map((id, i) =>
      ran(id, i * 100, 100, { readyAtMs: 0, peakRssBytes: peak }),
    ),
    { id: '20250101-120000-000-hist', maxParallel: 1, wallMs: 400 },
  );
}

test('no completed run: no forecast and nothing to say', () => {
  const d = decideMemoryForecast({ lastRun: null, slots: 4, capBytes: 1, availableBytes: GiB });
  assert.equal(d.verdict, 'no-history');
  assert.equal(d.forecast, null);
  assert.equal(d.fitsMaxParallel, null);
});

test('over a cap: exceeds, with the largest maxParallel whose forecast fits', () => {
  const d = decideMemoryForecast({
    lastRun: history(),
    slots: 4,
    capBytes: 250 * MiB,
    availableBytes: 8 * GiB,
  });
  assert.equal(d.verdict, 'exceeds');
  assert.deepEqual(d.forecast, {
    peakRssBytes: 400 * MiB,
    limitBytes: 250 * MiB,
    basedOnRunId: '20250101-120000-000-hist',
    maxParallel: 4,
  });
  assert.equal(d.limitSource, 'cap');
  assert.equal(d.fitsMaxParallel, 2);
  assert.equal(d.fitsPeakRssBytes, 200 * MiB);
  const line = forecastWarning(d, '--memory-limit');
  assert.doesNotMatch(line, /\n/);
  assert.match(line, /memory forecast 400\.0 MiB at maxParallel 4 exceeds the limit 250\.0 MiB/);
  assert.match(line, /--memory-limit 250\.0 MiB; available memory 8\.0 GiB/);
  assert.match(line, /based on run 20250101-120000-000-hist/);
  assert.match(line, /maxParallel 2 fits \(forecast 200\.0 MiB\)/);
});

test('under the cap: fits at the chosen slots', () => {
  const d = decideMemoryForecast({
    lastRun: history(),
    slots: 4,
    capBytes: 500 * MiB,
    availableBytes: 8 * GiB,
  });
  assert.equal(d.verdict, 'fits');
  assert.equal(d.forecast?.peakRssBytes, 400 * MiB);
  assert.equal(d.forecast?.limitBytes, 500 * MiB);
  assert.equal(d.fitsMaxParallel, 4);
});

test('available memory below the cap is the limit (the lower of the two)', () => {
  const d = decideMemoryForecast({
    lastRun: history(),
    slots: 4,
    capBytes: 8 * GiB,
    availableBytes: 300 * MiB,
  });
  assert.equal(d.verdict, 'exceeds');
  assert.equal(d.limitSource, 'available');
  assert.equal(d.forecast?.limitBytes, 300 * MiB);
  assert.equal(d.fitsMaxParallel, 3, 'three overlapping nodes hold exactly 300 MiB: that fits');
  assert.match(forecastWarning(d, 'X'), /available memory 300\.0 MiB, below X 8\.0 GiB/);
  const noCap = decideMemoryForecast({
    lastRun: history(),
    slots: 2,
    capBytes: null,
    availableBytes: 150 * MiB,
  });
  assert.equal(noCap.verdict, 'exceeds');
  assert.equal(noCap.fitsMaxParallel, 1);
});

test('nothing fits, not even one slot: no maxParallel to offer', () => {
  const d = decideMemoryForecast({
    lastRun: history(),
    slots: 4,
    capBytes: 50 * MiB,
    availableBytes: GiB,
  });
  assert.equal(d.verdict, 'exceeds');
  assert.equal(d.fitsMaxParallel, null);
  assert.match(forecastWarning(d, '--memory-limit'), /no maxParallel fits, not even 1/);
});

test('a run that measured no memory gives a null forecast, never 0; no limit, no verdict', () => {
  const d = decideMemoryForecast({
    lastRun: history(null),
    slots: 2,
    capBytes: MiB,
    availableBytes: GiB,
  });
  assert.equal(d.verdict, 'not-measured');
  assert.equal(d.forecast?.peakRssBytes, null);
  assert.equal(d.forecast?.maxParallel, 2);
  const unknown = decideMemoryForecast({
    lastRun: history(),
    slots: 2,
    capBytes: null,
    availableBytes: null,
  });
  assert.equal(unknown.verdict, 'no-limit');
  assert.equal(unknown.forecast?.limitBytes, null);
  assert.equal(unknown.forecast?.peakRssBytes, 200 * MiB);
});

test('sizes: bytes, binary units with or without B/iB, decimals; anything else says what', () => {
  const ok: [string, number][] = [
    ['536870912', 536870912],
    ['512M', 512 * MiB],
    ['2G', 2 * GiB],
    ['1.5GiB', 1.5 * GiB],
    [' 64 mb ', 64 * MiB],
    ['512K', 512 * 1024],
    ['1T', 1024 * GiB],
  ];
  for (const [text, bytes] of ok) assert.deepEqual(parseSize(text), { bytes }, text);
  for (const bad of ['', 'abc', '0', '-1G', '1.5X', '2 GB extra', '1e9']) {
    const r = parseSize(bad);
    assert.ok('error' in r, bad);
    assert.match(r.error, /must be a size such as 512M, 2G, 1\.5GiB or a number of bytes/);
    assert.ok(r.error.includes(JSON.stringify(bad)), r.error);
  }
});

test('--memory-limit is taken out of argv; a bad value is one line naming the flag and value', () => {
  assert.deepEqual(takeMemoryLimit(['run', 'f.yaml', '--memory-limit', '2G', '--json']), {
    capBytes: 2 * GiB,
    rest: ['run', 'f.yaml', '--json'],
  });
  assert.deepEqual(takeMemoryLimit(['run', '--memory-limit=512M', 'f.yaml']), {
    capBytes: 512 * MiB,
    rest: ['run', 'f.yaml'],
  });
  assert.deepEqual(takeMemoryLimit(['run', 'f.yaml']), { capBytes: null, rest: ['run', 'f.yaml'] });
  assert.throws(() => takeMemoryLimit(['run', 'f.yaml', '--memory-limit']), {
    message: '--memory-limit needs a size',
  });
  assert.throws(() => takeMemoryLimit(['run', 'f.yaml', '--memory-limit', 'lots']), {
    message:
      '--memory-limit must be a size such as 512M, 2G, 1.5GiB or a number of bytes, not "lots"',
  });
});

test('Profile Repeatedly count: a whole number from 1 to 100', () => {
  assert.equal(parseRepeatCount('2'), 2);
  assert.equal(parseRepeatCount(' 100 '), 100);
  assert.equal(repeatCountProblem('5'), undefined);
  for (const bad of ['0', '101', '1.5', 'abc', '', '-3']) {
    assert.equal(parseRepeatCount(bad), null, bad);
    assert.match(repeatCountProblem(bad) ?? '', /whole number from 1 to 100/, bad);
  }
});

test('run.json: memoryForecast is checked; an old file without it still loads', () => {
  const old = history() as unknown as Record<string, unknown>;
  delete old['memoryForecast'];
  assert.equal(checkRunRecord(old), null);
  assert.equal(checkRunRecord({ ...old, memoryForecast: null }), null);
  const good = { peakRssBytes: 10, limitBytes: null, basedOnRunId: 'x', maxParallel: 2 };
  assert.equal(checkRunRecord({ ...old, memoryForecast: good }), null);
  assert.match(
    checkRunRecord({ ...old, memoryForecast: { ...good, maxParallel: 0 } }) ?? '',
    /"memoryForecast" needs/,
  );
  assert.match(
    checkRunRecord({ ...old, memoryForecast: { ...good, peakRssBytes: '10' } }) ?? '',
    /"memoryForecast" needs/,
  );
});

test('MemAvailable is read in bytes from /proc/meminfo text', () => {
  const text =
    'MemTotal:       16318412 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\n';
  assert.equal(parseMemAvailable(text), 8000000 * 1024);
  assert.equal(parseMemAvailable('MemTotal: 1 kB\n'), null);
});

test('forecast against actual: the report row, the header line, and none without a forecast', () => {
  const run = makeRun([ran('a', 0, 100, { peakRssBytes: 90 * MiB })], {
    memoryForecast: {
      peakRssBytes: 100 * MiB,
      limitBytes: 80 * MiB,
      basedOnRunId: '20250101-110000-000-prev',
      maxParallel: 4,
    },
  });
  const a = analyzeRun(run, []);
  const f = memoryForecastFigure(run, a, false);
  assert.ok(f);
  assert.equal(
    f.text,
    'Memory: forecast 100.0 MiB (from run 20250101-110000-000-prev, maxParallel 4) (over the limit of 80.0 MiB), actual ≥ 90.0 MiB',
  );
  assert.match(f.detail, /last completed run of the same workflow file replayed/);
  const md = renderReport(run);
  assert.match(
    md,
    /\| Memory forecast \| forecast 100\.0 MiB \(from run 20250101-110000-000-prev, maxParallel 4\) \(over the limit of 80\.0 MiB\), actual ≥ 90\.0 MiB \|/,
  );
  const none = makeRun([ran('a', 0, 100, { peakRssBytes: 90 * MiB })], { memoryForecast: null });
  assert.equal(memoryForecastFigure(none, analyzeRun(none, []), false), null);
  assert.doesNotMatch(renderReport(none), /Memory forecast/);
});

test('dashboard snapshot: a malformed memoryForecast is refused, absent or null accepted', () => {
  const snap = (run: unknown): unknown => ({
    run,
    samples: [],
    plan: [],
    live: false,
    customHistory: [],
    sentAt: 0,
  });
  const run = history() as unknown as Record<string, unknown>;
  assert.equal(isDashboardSnapshot(snap(run)), true);
  assert.equal(isDashboardSnapshot(snap({ ...run, memoryForecast: null })), true);
  assert.equal(isDashboardSnapshot(snap({ ...run, memoryForecast: { peakRssBytes: 1 } })), false);
});
