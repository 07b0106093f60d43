import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  formatBytes,
  formatCount,
  formatFactor,
  formatMs,
  formatNumber,
  formatPercent,
  formatRatio,
  NA,
} from '../../src/model/format';

test('null, undefined and non-finite values print n/a, never 0', () => {
  for (const f of [
    formatMs,
    formatBytes,
    formatPercent,
    formatCount,
    formatNumber,
    formatRatio,
    formatFactor,
  ]) {
    assert.equal(f(null), NA);
    assert.equal(f(undefined), NA);
    assert.equal(f(Number.NaN), NA);
    assert.equal(f(Number.POSITIVE_INFINITY), NA);
  }
  assert.equal(NA, 'n/a');
});

test('formatMs keeps millisecond precision under 10 s and never rounds to whole seconds', () => {
  assert.equal(formatMs(0), '0 ms');
  assert.equal(formatMs(0.042), '0.042 ms');
  assert.equal(formatMs(3.14159), '3.14 ms');
  assert.equal(formatMs(12.34), '12.3 ms');
  assert.equal(formatMs(950.24), '950.2 ms');
  assert.equal(formatMs(1234), '1.234 s');
  assert.equal(formatMs(1001), '1.001 s');
  assert.equal(formatMs(9999.4), '9.999 s');
  assert.equal(formatMs(12_346), '12.35 s');
  assert.equal(formatMs(123_400), '2 min 03.4 s');
  assert.equal(formatMs(3_723_400), '1 h 02 min 03 s');
  // The original showed 40 ms and 900 ms both as "0 s" / "1 s".
  assert.notEqual(formatMs(40), formatMs(900));
});

test('formatMs picks the unit after rounding, so no 1000.0 ms or 60.00 s', () => {
  assert.equal(formatMs(9.996), '10.0 ms');
  assert.equal(formatMs(999.96), '1.000 s');
  assert.equal(formatMs(9999.6), '10.00 s');
  assert.equal(formatMs(59_999), '1 min 00.0 s');
  assert.equal(formatMs(3_599_990), '1 h 00 min 00 s');
  assert.equal(formatMs(-1234), '-1.234 s');
});

test('formatBytes uses binary units with one decimal', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(312 * 1024 * 1024), '312.0 MiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.0 MiB');
  assert.equal(formatBytes(-2 * 1024 * 1024), '-2.0 MiB');
  assert.equal(formatBytes(2 * 1024 * 1024, { signed: true }), '+2.0 MiB');
  assert.equal(formatBytes(0, { signed: true }), '0 B');
});

test('formatPercent, formatRatio, formatCount, formatNumber and formatFactor', () => {
  assert.equal(formatPercent(99), '99.0%');
  assert.equal(formatPercent(250.26), '250.3%');
  assert.equal(formatPercent(0), '0.0%');
  assert.equal(formatRatio(0.4567), '45.7%');
  assert.equal(formatRatio(0.25, 0), '25%');
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(-1234), '-1,234');
  assert.equal(formatNumber(0.95), '0.95');
  assert.equal(formatNumber(1 / 3), '0.3333');
  assert.equal(formatNumber(120_000), '120,000');
  assert.equal(formatNumber(1234.56), '1,234.6');
  assert.equal(formatFactor(2.345), '2.35×');
});
