import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { escapeMarkdown, renderReport } from '../../src/report/markdown';
import { collector, etlRun, makeRun, MiB, ran, unrun } from '../helpers/makeRun';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'a|b',
  '`code`',
  '[x](javascript:alert(1))',
  'line1\nline2\r\nline3',
  '# not a heading',
  '**bold** _it_ ~~del~~ $x$',
  '&amp; &lt;',
  'https://evil.example/phish',
];

/** The row of a node in the Tasks table. */
function taskRow(md: string, label: string): string[] {
  const section = md.slice(md.indexOf('\n## Tasks\n'));
  const row = section.split('\n').find((l) => l.startsWith(`| ${label}`));
  assert.ok(row, `no task row for ${label}`);
  return cells(row).map((x) => x.trim());
}

/** Splits a table row into cells on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

/** Every Markdown table: each row has as many cells as its header. */
function assertTablesIntact(md: string): void {
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('| ') || !lines[i + 1]?.startsWith('| ---')) continue;
    const width = cells(lines[i] ?? '').length;
    for (let j = i + 1; j < lines.length && lines[j]?.startsWith('|'); j++) {
      assert.equal(
        cells(lines[j] ?? '').length,
        width,
        `row ${j + 1} breaks its table: ${lines[j]}`,
      );
    }
  }
}

/** A run where every string that comes from the workflow or the run is hostile. */
function hostileRun(): ReturnType<typeof makeRun> {
  const [img, pipe, code, link, lines, heading, emph, ent, url] = HOSTILE as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const parent = `wf${pipe}`;
  return makeRun(
    [
      ran(img, 0, 100, {
        tags: [pipe, link],
        custom: { [code]: 1, [img]: 2 },
        cpuPercent: 99,
        cpuTimeMs: 99,
        peakRssBytes: 300 * MiB,
      }),
      ran(pipe, 100, 50, { needs: [img], status: 'failed', reason: lines, exitCode: 3 }),
      unrun(code, 'skipped', { needs: [pipe], reason: link }),
      ran(parent, 0, 150, { type: 'workflow', slot: 1 }),
      ran(`${parent}/${heading}`, 0, 100, { parentId: parent, reason: emph }),
      ran(url, 0, 120, {
        type: 'http',
        slot: 2,
        http: {
          status: 200,
          bytes: 10,
          dnsMs: 1,
          connectMs: 1,
          tlsMs: null,
          firstByteMs: 110,
          downloadMs: 1,
          totalMs: 120,
        },
      }),
      ran(ent, 150, 10, { status: 'retried', reason: img }),
      ran(ent, 160, 10, { attempt: 2, attempts: 2 }),
    ],
    {
      status: 'cancelled',
      reason: link,
      id: img,
      workflow: { name: img, file: `${lines}.yaml`, hash: code },
      collector: collector({
        mode: img,
        platform: pipe,
        unavailable: [link],
        sources: [{ metric: code, source: img }],
      }),
    },
  );
}

test('escapeMarkdown neutralises HTML, links, code, tables and line breaks', () => {
  assert.equal(
    escapeMarkdown('<img src=x onerror=alert(1)>'),
    '&lt;img src=x onerror=alert\\(1\\)&gt;',
  );
  assert.equal(escapeMarkdown('a|b'), 'a\\|b');
  assert.equal(escapeMarkdown('`code`'), '\\`code\\`');
  assert.equal(
    escapeMarkdown('[x](javascript:alert(1))'),
    '\\[x\\]\\(javascript\\:alert\\(1\\)\\)',
  );
  assert.equal(escapeMarkdown('a\nb\r\nc\rd'), 'a b c d');
  assert.equal(escapeMarkdown('&amp;'), '&amp;amp;');
  assert.equal(escapeMarkdown('\\'), '\\\\');
  assert.equal(escapeMarkdown('a\u0000b\u001bc'), 'a b c');
  assert.equal(escapeMarkdown('x\u202Ey'), 'xy');
  assert.equal(escapeMarkdown('# h'), '\\# h');
  assert.equal(escapeMarkdown('1. item'), '1\\. item');
  assert.equal(escapeMarkdown('- item'), '\\- item');
  assert.equal(escapeMarkdown('plain words 123'), 'plain words 123');
  for (const s of '\\`*_{}[]()#+-.!|'.split('')) assert.equal(escapeMarkdown(s), `\\${s}`);
});

test('no hostile string survives unescaped anywhere in the report', () => {
  const md = renderReport(hostileRun(), []);
  assert.ok(!md.includes('<img'), 'raw <img');
  assert.ok(!md.includes('<'), 'no raw < at all: the report itself writes no HTML');
  assert.ok(!/(?<!\\)\]\(/.test(md), 'an unescaped ]( would form a link');
  assert.ok(!/(?<!\\)`code/.test(md), 'an unescaped backtick from a name opens code');
  assert.ok(!md.includes('javascript:'), 'javascript: must be escaped');
  assert.ok(!/^line2/m.test(md) && !/^line3/m.test(md), 'a line break from a reason starts a line');
  assert.ok(!/^# not a heading/m.test(md), 'a node name became a heading');
  assert.ok(!md.includes('https://'), 'a URL in a name must not be linkified');
  // Escaped, the names are still all there for the reader.
  assert.ok(md.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'));
  assert.ok(md.includes('a\\|b'));
  assertTablesIntact(md);
});

test('hostile names keep every table intact, nested and retried rows included', () => {
  const md = renderReport(hostileRun(), []);
  assertTablesIntact(md);
  // The nested node is shown by its own name under its parent.
  assert.match(md, /\| \u00a0+↳ \\# not a heading( ◆)? \|/);
  assert.match(md, /&amp;amp; &amp;lt;( ◆)? \(attempt 1\)/);
});

test('null metrics render n/a and never 0', () => {
  const run = makeRun([ran('blind', 0, 100, { waitMs: null })], { wallMs: 100 });
  const md = renderReport(run, []);
  const c = taskRow(md, 'blind');
  // Node, Type, Status, Attempt, Wait, Duration, then 9 metric columns.
  assert.equal(c[4], 'n/a');
  assert.equal(c[5], '100.0 ms');
  assert.deepEqual(c.slice(6), Array<string>(9).fill('n/a'));
  assert.match(md, /\| Total CPU time \| n\/a \|/);
  assert.match(md, /\| Peak concurrent memory \| n\/a \|/);
  assert.ok(!/\| 0 B \|/.test(md));
});

test('measured zeros stay zeros, distinct from n/a', () => {
  const run = makeRun([
    ran('idle', 0, 100, { cpuTimeMs: 0, cpuPercent: 0, ioReadBytes: 0, ioWriteBytes: 0 }),
  ]);
  const c = taskRow(renderReport(run), 'idle');
  assert.equal(c[6], '0 ms');
  assert.equal(c[7], '0.0%');
  assert.equal(c[10], '0 B / 0 B');
});

test('summary: wall time is not the sum of durations, with definitions and the critical path', () => {
  const run = makeRun(
    [
      ran('a', 0, 100),
      ran('b', 100, 300, { needs: ['a'] }),
      ran('c', 100, 200, { needs: ['a'], slot: 1 }),
      ran('d', 400, 50, { needs: ['b', 'c'] }),
    ],
    { maxParallel: 2, wallMs: 450 },
  );
  const md = renderReport(run);
  assert.match(md, /^# Performance report: test\\-flow$/m);
  assert.match(md, /\| Wall time \| \*\*450\.0 ms\*\* \| .*not the sum of durations/);
  assert.match(md, /\| Sum of durations \| 650\.0 ms \|/);
  assert.match(md, /\| Parallelism \| 1\.44× \| sum of durations ÷ wall time/);
  assert.match(md, /\| Parallel efficiency \| 72\.2% \| parallelism ÷ slots \(2\)/);
  assert.match(md, /\| Critical path \| a → b → d \(450\.0 ms, 100\.0% of wall\)/);
  assert.match(md, /\| Runtime \| parallel, 2 slots \|/);
});

test('every bottleneck rule is shown with its threshold, met or not', () => {
  const md = renderReport(makeRun([ran('a', 0, 10)]));
  for (const title of [
    'Slowest nodes',
    'CPU-bound',
    'Memory-heavy',
    'I/O-heavy',
    'Waiting for a slot',
  ]) {
    assert.match(md, new RegExp(`### ${title}\\n\\nRule: `));
  }
  assert.match(md, /Rule: CPU ≥ 80% of one core for ≥ 100\.0 ms\./);
  assert.match(md, /Rule: peak RSS ≥ 256\.0 MiB/);
  assert.match(
    md,
    /Rule: storage read \+ write ≥ 10\.0 MiB, or read \+ write system calls ≥ 10,000\./,
  );
  assert.match(md, /No node met this rule\./);
});

test('an empty run renders a complete report', () => {
  const md = renderReport(makeRun([], { wallMs: 3 }), []);
  assert.match(md, /## Summary/);
  assert.match(md, /The run has no tasks\./);
  assert.match(md, /No node ran\./);
  assert.match(md, /\| Critical path \| n\/a \|/);
  assert.match(md, /## How this was measured/);
  assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'));
});

test('a single node', () => {
  const md = renderReport(
    makeRun([ran('only', 0, 1000, { cpuPercent: 99, cpuTimeMs: 990 })], { wallMs: 1000 }),
  );
  assert.match(md, /\| Critical path \| only \(1\.000 s, 100\.0% of wall\)/);
  assert.match(md, /\| only ◆ \| `█+` \| 0 ms \| 1\.000 s \| completed \|/);
  assert.match(md, /\*\*only\*\* is on the critical path and CPU-bound at 99%/);
});

test('failed, skipped and retried nodes are explained', () => {
  const run = makeRun(
    [
      ran('flaky', 0, 100, { status: 'retried', reason: 'exit code 1', exitCode: 1 }),
      ran('flaky', 100, 100, {
        attempt: 2,
        attempts: 2,
        status: 'failed',
        reason: 'exit code 1',
        exitCode: 1,
      }),
      unrun('after', 'skipped', { needs: ['flaky'], reason: 'needs flaky, which failed' }),
    ],
    { status: 'failed', wallMs: 200 },
  );
  const md = renderReport(run);
  assert.match(md, /\| flaky ◆ \(attempt 1\) \| shell \| retried \| 1\/2 \|/);
  assert.match(md, /\| flaky ◆ \(attempt 2\) \| shell \| failed \| 2\/2 \|/);
  assert.match(md, /\| after \| shell \| skipped \| 1 \| n\/a \| n\/a \|/);
  assert.match(md, /- \*\*Failure:\*\* \*\*flaky\*\* failed \(exit code 1\) after 2 attempts/);
  assert.match(md, /because of it 1 node was skipped: \*\*after\*\*/);
  assert.match(md, /### Why nodes did not complete/);
  assert.match(
    md,
    /\| Status \| \*\*failed\*\*: 2 nodes; 1 failed, 1 skipped; 1 retried attempt \|/,
  );
});

test('the realistic sample report has every section, HTTP phases and custom metrics', () => {
  const { run, samples } = etlRun();
  const md = renderReport(run, samples);
  for (const h of [
    '## Summary',
    '## Insights',
    '## Bottlenecks',
    '## Timeline',
    '## Tasks',
    '## HTTP requests',
    '## Custom metrics',
    '## How this was measured',
    '### Sources',
  ]) {
    assert.ok(md.includes(`\n${h}\n`), h);
  }
  assert.match(
    md,
    /\| fetch\\-rates \| 200 \| 18\.0 KiB \| 1\.20 ms \| 3\.40 ms \| 11\.8 ms \| 590\.2 ms \| 33\.4 ms \| 640\.0 ms \|/,
  );
  assert.match(md, /\| transform ◆ \| error\\_rate \| 0\.01 \|/);
  assert.match(md, /\| \u00a0+↳ pack \| shell \|/);
  assert.match(md, /sampling every 100\.0 ms/);
  assert.match(md, /Unavailable on this platform: none\./);
  assertTablesIntact(md);
});

test('metrics unavailable on the platform are listed explicitly', () => {
  const run = makeRun([ran('a', 0, 100)], {
    collector: collector({ mode: 'pidusage', unavailable: ['ioReadBytes', 'contextSwitches'] }),
  });
  const md = renderReport(run);
  assert.match(
    md,
    /Unavailable on this platform \(always n\/a in this run\): ioReadBytes, contextSwitches\./,
  );
  assert.match(md, /Not measured for some process nodes in this run/);
  assert.match(md, / {2}- cpuTimeMs: a/);
});

test('a run with 150k failed tasks renders without overflowing', () => {
  const tasks = Array.from({ length: 150_000 }, (_, i) =>
    ran(`n${i}`, i, 1, { status: 'failed', reason: 'exit code 1' }),
  );
  const md = renderReport(makeRun(tasks, { status: 'failed', wallMs: 150_001 }));
  assert.match(md, /\| n149999( ◆)? \| shell \| failed \|/);
  assert.match(md, /\*\*failed\*\*: 150,000 nodes; 150,000 failed/);
  assert.match(md, /- \*\*n149999\*\* failed: exit code 1/);
});
