/** The query both front ends compare through, and the report text both show. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RunRecord } from '../../src/model/run';
import type { RunSource } from '../../src/query/runSource';
import { compareChoices, compareSides } from '../../src/query/compareSides';
import { compareSeries } from '../../src/report/stats/compareSeries';
import { compareReportMarkdown, compareReportText } from '../../src/report/stats/renderSides';
import { parseCompareArgs } from '../../src/cli/compareArgs';
import { escapeMarkdown } from '../../src/report/markdown';
import { makeRun, ran } from '../helpers/makeRun';

function source(runs: RunRecord[]): RunSource {
  const newestFirst = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return {
    list: () =>
      Promise.resolve(
        newestFirst.map((r) => ({ ...r, taskCounts: {} as never, runDir: `/runs/${r.id}` })),
      ),
    load: (id) => {
      const hit = runs.find((r) => r.id === id);
      return hit ? Promise.resolve(hit) : Promise.reject(new Error(`no run ${id}`));
    },
    readSamples: () => Promise.resolve([]),
    reportPath: (id) => `/runs/${id}/report.md`,
  };
}

const sid = (d: number): string => `series-2025010${d}-000000-000-abcd`;
function series(d: number, ms: number): RunRecord[] {
  return [0, 1, 2, 3].map((i) =>
    makeRun([ran('a', 0, ms + i)], {
      id: `2025010${d}-00000${i}-000-r${d}${i}`,
      startedAt: `2025-01-0${d}T00:00:0${i}.000Z`,
      series: { id: sid(d), index: i, warmup: i === 0 },
    }),
  );
}

test("compareSides: the CLI's statistics over the measured runs; warm-ups named, not counted", async () => {
  const [one, two] = [series(1, 1000), series(2, 1000)];
  const src = source([...one, ...two]);
  const c = await compareSides(src, sid(1), sid(2));
  assert.deepEqual(c.baseline.warmups, [one[0]?.id]);
  assert.deepEqual(
    c.result,
    compareSeries(one.slice(1), two.slice(1), ['durationMs', 'cpuTimeMs', 'peakRssBytes']),
  );
  assert.deepEqual(c.result.metrics, parseCompareArgs(['x', 'y']).metrics);
  const md = compareReportMarkdown(c.result, c);
  assert.match(md, /^# Series comparison/);
  assert.ok(
    md.includes(
      `- ${escapeMarkdown(`baseline ${sid(1)}: 3 measured runs; 1 warm-up run left out (${one[0]?.id ?? ''})`)}`,
    ),
    md,
  );
  assert.match(
    compareReportText(c.result, c),
    /^baseline series-20250101-000000-000-abcd: 3 measured runs/,
  );
  assert.equal(parseCompareArgs(['x', 'y', '--markdown']).markdown, true);
  assert.throws(() => parseCompareArgs(['x', 'y', '--markdown', '--json']), /exclude/);
});

test('compareChoices: series first (measured runs counted), then single runs, newest first', async () => {
  const plain = makeRun([ran('a', 0, 5)], {
    id: '20250103-000000-000-plain',
    startedAt: '2025-01-03T00:00:00.000Z',
  });
  const other = makeRun([ran('a', 0, 5)], {
    id: '20250104-000000-000-other',
    startedAt: '2025-01-04T00:00:00.000Z',
    workflow: { name: 'other', file: '/w/other.yaml', hash: 'h' },
  });
  const src = source([...series(1, 10), ...series(2, 10), plain, other]);
  const choices = await compareChoices(src, '/w/test.workflow.yaml');
  const seriesChoices = choices.filter((c) => c.kind === 'series');
  assert.deepEqual(
    seriesChoices.map((c) => [
      c.spec,
      c.kind === 'series' ? [c.measuredRuns, c.warmups] : null,
      c.startedAt,
    ]),
    [
      [sid(2), [3, 1], '2025-01-02T00:00:00.000Z'],
      [sid(1), [3, 1], '2025-01-01T00:00:00.000Z'],
    ],
  );
  assert.equal(choices[2]?.spec, plain.id);
  assert.ok(!choices.some((c) => c.spec === other.id), "another workflow's run");
  assert.equal(choices.length, 2 + 9);
});
