import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CSV_COLUMNS,
  csvField,
  toChromeTrace,
  toCsv,
  toJson,
  type ChromeTrace,
  type TraceEvent,
} from '../../src/report/export';
import { etlRun, makeRun, MiB, ran, samplesOf, unrun } from '../helpers/makeRun';

/** A minimal RFC 4180 parser, so the test checks structure rather than string shapes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field, '', 'the CSV ends with CRLF');
  return rows;
}

test('toJson is the run as is, pretty, with a final newline', () => {
  const { run } = etlRun();
  const json = toJson(run);
  assert.deepEqual(JSON.parse(json), run);
  assert.ok(json.startsWith('{\n  "schemaVersion": 1,'));
  assert.ok(json.endsWith('}\n'));
});

test('csvField quotes per RFC 4180 and guards against formula injection', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  // Numbers are data: a negative memory delta must stay a number.
  assert.equal(csvField(-1024), '-1024');
  assert.equal(csvField(0), '0');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(Number.NaN), '');
});

test('toCsv has one row per TaskRun, retried attempts included, and every metric column', () => {
  const { run } = etlRun();
  const rows = parseCsv(toCsv(run));
  const [header, ...body] = rows;
  assert.ok(header);
  assert.equal(body.length, run.tasks.length);
  for (const r of body) assert.equal(r.length, header.length);
  for (const [name] of CSV_COLUMNS) assert.ok(header.includes(name), name);
  for (const m of [
    'durationMs',
    'cpuTimeMs',
    'cpuPercent',
    'peakRssBytes',
    'memoryDeltaBytes',
    'ioReadOps',
    'contextSwitches',
    'http.firstByteMs',
  ]) {
    assert.ok(header.includes(m), m);
  }
  // Custom metrics: the union of keys over all tasks, sorted.
  assert.deepEqual(
    header.filter((h) => h.startsWith('custom.')),
    ['custom.error_rate', 'custom.rows', 'custom.rows_out'],
  );
  const col = (name: string): number => header.indexOf(name);
  const uploads = body.filter((r) => r[col('nodeId')] === 'upload');
  assert.deepEqual(
    uploads.map((r) => [r[col('attempt')], r[col('status')]]),
    [
      ['1', 'retried'],
      ['2', 'completed'],
    ],
  );
  const transform = body.find((r) => r[col('nodeId')] === 'transform');
  assert.equal(transform?.[col('custom.rows_out')], '118800');
  assert.equal(transform?.[col('custom.rows')], '', 'a key the task lacks is empty, not 0');
  const report = body.find((r) => r[col('nodeId')] === 'report');
  assert.equal(report?.[col('memoryDeltaBytes')], String(-2 * MiB));
  const fetch = body.find((r) => r[col('nodeId')] === 'fetch-rates');
  assert.equal(fetch?.[col('cpuTimeMs')], '', 'null is an empty cell');
  assert.equal(fetch?.[col('http.firstByteMs')], '590.2');
  const pack = body.find((r) => r[col('nodeId')] === 'archive/pack');
  assert.equal(pack?.[col('parentId')], 'archive');
});

test('toCsv quotes hostile strings and neutralises formulas from the workflow', () => {
  const run = makeRun([
    ran('=cmd|"/c calc"!A1', 0, 10, {
      reason: 'line one\r\nline "two", three',
      tags: ['@tag', 'b'],
      custom: { 'weird,"key"': 1.5, '=evil': 2 },
    }),
    unrun('-skipped', 'skipped'),
  ]);
  const text = toCsv(run);
  const rows = parseCsv(text);
  const [header, first, second] = rows;
  assert.ok(header && first && second);
  assert.equal(rows.length, 3);
  assert.ok(header.includes('custom.weird,"key"'));
  assert.ok(
    header.includes('custom.=evil'),
    'the custom. prefix keeps a header from being a formula',
  );
  const col = (name: string): number => header.indexOf(name);
  assert.equal(first[col('nodeId')], '\'=cmd|"/c calc"!A1');
  assert.equal(first[col('reason')], 'line one\r\nline "two", three');
  assert.equal(first[col('tags')], "'@tag;b");
  assert.equal(first[col('custom.weird,"key"')], '1.5');
  assert.equal(second[col('nodeId')], "'-skipped");
  for (const r of rows) assert.equal(r.length, header.length);
  assert.ok(
    !/(^|,)[=+@-]/m.test(text.replace(/"[^"]*(""[^"]*)*"/g, 'Q')),
    'no bare cell starts a formula',
  );
});

test('toCsv of an empty run is just the header', () => {
  const rows = parseCsv(toCsv(makeRun([])));
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.[0], 'nodeId');
});

// ---- Chrome trace

const complete = (t: ChromeTrace): TraceEvent[] => t.traceEvents.filter((e) => e.ph === 'X');

function assertNoOverlapPerLane(t: ChromeTrace): void {
  const byTid = new Map<number, TraceEvent[]>();
  for (const e of complete(t)) byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  for (const [tid, list] of byTid) {
    list.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as TraceEvent;
      const cur = list[i] as TraceEvent;
      assert.ok(
        prev.ts + (prev.dur ?? 0) <= cur.ts,
        `tid ${tid}: ${prev.name} overlaps ${cur.name}`,
      );
    }
  }
}

function threadNames(t: ChromeTrace): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of t.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') out.set(e.tid, String(e.args?.['name']));
  }
  return out;
}

test('chrome trace: complete events in microseconds with metrics, named lanes and process', () => {
  const { run, samples } = etlRun();
  const trace = toChromeTrace(run, samples);
  assert.equal(trace.displayTimeUnit, 'ms');
  assert.equal(trace.metadata['workflow'], 'nightly-etl');
  const tasks = complete(trace).filter((e) => e.cat !== 'wait');
  assert.equal(tasks.length, run.tasks.filter((t) => t.startMs !== null).length);
  for (const e of complete(trace)) {
    assert.equal(typeof e.ts, 'number');
    assert.equal(typeof e.dur, 'number');
    assert.ok(Number.isInteger(e.ts) && Number.isInteger(e.dur), 'integer microseconds');
    assert.ok(e.ts >= 0 && (e.dur ?? -1) >= 0);
  }
  const transform = tasks.find((e) => e.name === 'transform');
  assert.equal(transform?.ts, 815_200);
  assert.equal(transform?.dur, 2_950_600);
  assert.equal(transform?.args?.['cpuPercent'], 99);
  assert.equal(transform?.args?.['peakRssBytes'], 312 * MiB);
  assert.deepEqual(transform?.args?.['custom'], { rows_out: 118_800, error_rate: 0.01 });
  assert.equal(transform?.cat, 'python');

  const process = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name');
  assert.equal(process?.args?.['name'], 'nightly-etl');
  const names = threadNames(trace);
  for (const e of complete(trace)) assert.ok(names.has(e.tid), `lane ${e.tid} has a name`);
  assert.equal(names.get(tasks.find((e) => e.name === 'extract')?.tid ?? -1), 'slot 0');
  assert.equal(names.get(tasks.find((e) => e.name === 'fetch-rates')?.tid ?? -1), 'slot 1');
  assert.equal(
    names.get(tasks.find((e) => e.name === 'archive/pack')?.tid ?? -1),
    'archive · slot 0',
  );
  assertNoOverlapPerLane(trace);
});

test('chrome trace: retried attempts are separate events', () => {
  const { run, samples } = etlRun();
  const trace = toChromeTrace(run, samples);
  const names = complete(trace).map((e) => e.name);
  assert.ok(names.includes('upload (attempt 1)'));
  assert.ok(names.includes('upload (attempt 2)'));
  const first = complete(trace).find((e) => e.name === 'upload (attempt 1)');
  assert.equal(first?.args?.['status'], 'retried');
  assert.equal(first?.cname, 'bad');
});

test('chrome trace: waits are their own events on queue lanes, never overlapping', () => {
  const { run, samples } = etlRun();
  const trace = toChromeTrace(run, samples);
  const waits = complete(trace).filter((e) => e.cat === 'wait');
  const lint = waits.find((e) => e.name === 'lint queued');
  assert.ok(lint);
  assert.equal(lint.ts, 2_000);
  assert.equal(lint.dur, 640_500);
  assert.match(threadNames(trace).get(lint.tid) ?? '', /^queued for a slot/);
  assertNoOverlapPerLane(trace);
});

test('chrome trace: counters per node for CPU and RSS, back to 0 at the end', () => {
  const { run, samples } = etlRun();
  const trace = toChromeTrace(run, samples);
  const counters = trace.traceEvents.filter((e) => e.ph === 'C');
  const cpu = counters.filter((e) => e.name === 'transform cpu');
  const rss = counters.filter((e) => e.name === 'transform rss');
  assert.ok(cpu.length > 1 && rss.length > 1);
  assert.equal(cpu[0]?.args?.['%'], 99);
  assert.equal(rss[0]?.args?.['MiB'], 300);
  assert.equal(cpu[0]?.ts, 900_000);
  const last = rss[rss.length - 1];
  assert.equal(last?.args?.['MiB'], 0);
  assert.equal(last?.ts, Math.round((815.2 + 2950.6) * 1000));
  for (const c of counters) assert.equal(typeof Object.values(c.args ?? {})[0], 'number');
  // Time order, metadata first.
  const body = trace.traceEvents.filter((e) => e.ph !== 'M');
  for (let i = 1; i < body.length; i++) assert.ok((body[i - 1]?.ts ?? 0) <= (body[i]?.ts ?? 0));
});

test('chrome trace: greedy lanes when slots are missing or inconsistent', () => {
  const run = makeRun([
    ran('a', 0, 100, { slot: null }),
    ran('b', 50, 100, { slot: null }),
    ran('c', 120, 50, { slot: null }),
    // Slot 0 claimed twice at once (a corrupt or hand-edited record): the second moves.
    ran('d', 0, 100, { slot: 0 }),
    ran('e', 10, 100, { slot: 0 }),
  ]);
  const trace = toChromeTrace(run, []);
  assertNoOverlapPerLane(trace);
  const names = threadNames(trace);
  const lane = (n: string): string | undefined =>
    names.get(complete(trace).find((e) => e.name === n)?.tid ?? -1);
  assert.equal(lane('d'), 'slot 0');
  assert.match(lane('e') ?? '', /^lane /);
  assert.deepEqual(trace.metadata['slotConflicts'], ['e#1']);
  // Greedy partitioning reuses a lane once it is free: a, b, c, e need 3 lanes, not 4.
  const overflow = [...names.values()].filter((n) => n.startsWith('lane '));
  assert.equal(overflow.length, 3);
  assert.equal(lane('c'), lane('a'));
});

test('chrome trace: failed, skipped and unfinished tasks', () => {
  const run = makeRun(
    [
      ran('bad', 0, 100, { status: 'failed', reason: 'exit code 2', exitCode: 2 }),
      unrun('never', 'skipped', { needs: ['bad'] }),
      ran('stuck', 10, 0, { status: 'running', endMs: null, durationMs: null, slot: 1 }),
    ],
    { status: 'interrupted', wallMs: null },
  );
  const trace = toChromeTrace(run, samplesOf('stuck', 50, 250, 5 * MiB, 10));
  const events = complete(trace);
  assert.deepEqual(events.map((e) => e.name).sort(), ['bad', 'stuck']);
  assert.equal(events.find((e) => e.name === 'bad')?.cname, 'terrible');
  assert.equal(events.find((e) => e.name === 'bad')?.args?.['reason'], 'exit code 2');
  // A task still running at the end of the record reaches its last sample.
  assert.equal(events.find((e) => e.name === 'stuck')?.dur, 240_000);
  assertNoOverlapPerLane(trace);
});

test('chrome trace of an empty run still names the process', () => {
  const trace = toChromeTrace(makeRun([]), []);
  assert.deepEqual(complete(trace), []);
  assert.ok(trace.traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name'));
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(trace)));
});

test('a long profiled run with 200k samples exports and analyses without overflowing', () => {
  const run = makeRun([ran('long', 0, 2_000_000, { slot: 0 })], {
    wallMs: null,
    status: 'interrupted',
  });
  const samples = samplesOf('long', 0, 1_999_990, 10 * MiB, 50, 10);
  assert.equal(samples.length, 200_000);
  const trace = toChromeTrace(run, samples);
  assert.equal(trace.traceEvents.filter((e) => e.ph === 'C').length, 400_002);
  assert.equal(complete(trace)[0]?.dur, 2_000_000_000);
});
