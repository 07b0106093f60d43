import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES, mix, parseColor, textOn, withAlpha } from '../../src/report/charts/theme';
import { seriesPalette, statusColor } from '../../src/report/charts/colors';
import { middleEllipsis, nodeLabel, richText, tooltipLines } from '../../src/report/charts/text';
import { axisBytes, axisCount, axisMs, exactMs, niceScale } from '../../src/report/charts/units';
import { heldSum, minMaxBuckets, type Point } from '../../src/report/charts/downsample';
import { HOSTILE_NAMES, RICH, RICH_TOKEN } from '../helpers/chartFixtures';

test('colours: hex, rgb() and rgba() parse; alpha and mixing keep the channels', () => {
  assert.deepEqual(parseColor('#f14c4c'), { r: 241, g: 76, b: 76, a: 1 });
  assert.deepEqual(parseColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
  assert.deepEqual(parseColor('#00000080')?.a, 128 / 255);
  assert.deepEqual(parseColor('rgba(204, 204, 204, 0.5)'), { r: 204, g: 204, b: 204, a: 0.5 });
  assert.equal(parseColor('var(--x)'), null);
  assert.equal(withAlpha('#ff0000', 0.5), 'rgba(255, 0, 0, 0.5)');
  assert.equal(withAlpha('rgba(204, 204, 204, 0.5)', 0.5), 'rgba(204, 204, 204, 0.25)');
  assert.equal(withAlpha('currentColor', 0.5), 'currentColor');
  assert.equal(mix('#000000', '#ffffff', 0.5), 'rgba(128, 128, 128, 1)');
});

test('text on a fill is whichever of black and white contrasts more', () => {
  assert.equal(textOn('#ffffff'), '#000000');
  assert.equal(textOn('#000000'), '#ffffff');
  assert.equal(textOn(FALLBACK_THEMES.dark.green), '#000000');
  assert.equal(textOn(FALLBACK_THEMES['high-contrast-light'].blue), '#ffffff');
});

test('every status has a colour in every theme, and failed differs from completed', () => {
  for (const theme of Object.values(FALLBACK_THEMES)) {
    for (const s of [
      'pending',
      'running',
      'completed',
      'failed',
      'skipped',
      'cancelled',
      'retried',
    ] as const) {
      assert.ok(statusColor(theme, s).length > 0);
    }
    assert.notEqual(statusColor(theme, 'failed'), statusColor(theme, 'completed'));
    assert.equal(seriesPalette(theme).length, 7);
  }
});

test('rich-text markup in workflow strings cannot form an ECharts style token', () => {
  for (const name of HOSTILE_NAMES) assert.doesNotMatch(richText(name), RICH_TOKEN);
  assert.match(RICH, RICH_TOKEN);
  // Same characters, plus invisible zero-width spaces.
  assert.equal(richText(RICH).replace(/\u200b/g, ''), RICH);
  assert.doesNotMatch(tooltipLines(RICH, [[RICH, RICH]]), RICH_TOKEN);
  assert.doesNotMatch(nodeLabel(RICH), RICH_TOKEN);
});

test('labels: long ids keep both ends, nested ids show their tail indented', () => {
  assert.equal(middleEllipsis('abcdefghijklmnopqrstuvwxyz', 10), 'abcdef…xyz');
  assert.equal(middleEllipsis('short', 10), 'short');
  assert.equal(nodeLabel('archive/pack', 1), '↳ pack');
  assert.equal(nodeLabel('a/b/c', 2), '  ↳ c');
});

test('times keep millisecond precision: exact value beside the readable one', () => {
  assert.equal(exactMs(null), 'n/a');
  assert.equal(exactMs(812.4), '812.4 ms');
  assert.equal(exactMs(12_345.678), '12.35 s (12,345.678 ms)');
  assert.equal(exactMs(0), '0 ms');
  assert.equal(axisMs(0), '0');
  assert.equal(axisMs(250), '250 ms');
  assert.equal(axisMs(1500), '1.5 s');
  assert.equal(axisMs(120_000), '2 min');
  assert.equal(axisBytes(64 * 1024 * 1024), '64 MiB');
  assert.equal(axisCount(12_000), '12k');
  assert.equal(axisCount(0.0123), '0.0123');
});

test('nice scales: round decimal steps, binary steps for bytes, 0 always inside', () => {
  assert.deepEqual(niceScale(0, 2951, 4), { min: 0, max: 3000, interval: 1000 });
  const mib = 1024 * 1024;
  const b = niceScale(0, 312 * mib, 4, 'bytes');
  assert.equal(b.interval, 100 * mib);
  assert.equal(b.max, 400 * mib);
  const signed = niceScale(-2 * mib, 250 * mib, 4, 'bytes');
  assert.ok(signed.min < 0 && signed.min >= -signed.interval);
  assert.equal(signed.min % signed.interval, -0);
  assert.deepEqual(niceScale(0, 0, 4), { min: 0, max: 1, interval: 1 });
});

test('min/max buckets keep a one-sample spike and the order of points', () => {
  const points: Point[] = [];
  for (let t = 0; t < 10_000; t++) points.push([t, t === 4321 ? 300 : 10 + (t % 7)]);
  const out = minMaxBuckets(points, 100);
  assert.ok(out.length <= 200, `${out.length} points`);
  assert.ok(
    out.some((p) => p[1] === 300),
    'the spike survives',
  );
  assert.ok(
    out.some((p) => p[1] === 10),
    'the minimum survives',
  );
  for (let i = 1; i < out.length; i++) assert.ok((out[i] as Point)[0] >= (out[i - 1] as Point)[0]);
  // Few points come back as they are.
  assert.deepEqual(minMaxBuckets(points.slice(0, 50), 100), points.slice(0, 50));
});

test('min/max buckets keep gaps so lines break between attempts', () => {
  const points: Point[] = [];
  for (let t = 0; t < 1000; t++) points.push([t, t === 500 ? null : 1]);
  const out = minMaxBuckets(points, 50);
  assert.ok(out.some((p) => p[1] === null));
});

test('held sum: values hold until the next sample or the end; null counts as absent', () => {
  const sum = heldSum(
    [
      {
        points: [
          [0, 10],
          [100, 20],
        ],
        end: 150,
      },
      {
        points: [
          [50, 5],
          [120, null],
        ],
        end: null,
      },
    ],
    100,
  );
  assert.deepEqual(sum, [
    [0, 10],
    [50, 15],
    [100, 25],
    [120, 20],
    [150, 0],
    // The second series' last sample was unmeasured; its end is one interval later.
    [220, 0],
  ]);
});
