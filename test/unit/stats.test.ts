/**
 * The statistics of `compare`: known inputs give known medians, spreads, adjusted p-values and
 * outliers; bootstrap intervals contain the truth; the verdict rules, few runs included.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  iqr,
  mad,
  median,
  quantileSorted,
  relativeSpread,
} from '../../src/report/stats/descriptive';
import { hashSeed, mulberry32 } from '../../src/report/stats/prng';
import { bootstrapMedianRatio } from '../../src/report/stats/bootstrap';
import { benjaminiHochberg } from '../../src/report/stats/multipleTesting';
import { modifiedZScores, outlierIndices } from '../../src/report/stats/outliers';
import { decide, type VerdictInput } from '../../src/report/stats/verdict';

const close = (a: number | null, b: number, eps = 1e-9): void =>
  assert.ok(a !== null && Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

test('medians, quantiles, MAD and IQR of known samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
  close(quantileSorted([1, 2, 3, 4, 5], 0.25), 2);
  close(quantileSorted([1, 2, 3, 4], 0.9), 3.7);
  // |x − 3| = 2 1 0 1 97 → median 1
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
  assert.equal(iqr([1, 2, 3, 4, 5]), 2);
  assert.equal(relativeSpread([10, 10]), null, 'no spread from two runs');
  close(relativeSpread([9, 10, 11]), 0.14826);
  const input = [3, 1, 2];
  median(input);
  assert.deepEqual(input, [3, 1, 2], 'inputs are not sorted in place');
});

test('the generator is seeded: same seed, same stream; seeds by key do not depend on order', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 5 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, mulberry32(43)));
  assert.equal(hashSeed('build\u0000durationMs'), hashSeed('build\u0000durationMs'));
  assert.notEqual(hashSeed('a'), hashSeed('b'));
});

/** Log-normal-ish noise around `centre`, seeded. */
function noisy(centre: number, n: number, rel: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    // Sum of uniforms: near-normal, bounded.
    const z = (rnd() + rnd() + rnd() + rnd() - 2) * Math.sqrt(3);
    return centre * Math.exp(rel * z);
  });
}

test('bootstrap: identical samples give no change and p = 1; separated ones the smallest p', () => {
  const same = bootstrapMedianRatio([5, 6, 7], [5, 6, 7], {
    iterations: 999,
    seed: 1,
    level: 0.95,
  });
  assert.equal(same.change, 0);
  assert.ok(same.p > 0.5, `p ${same.p}`);
  const constant = bootstrapMedianRatio([4, 4, 4], [4, 4, 4], {
    iterations: 999,
    seed: 1,
    level: 0.95,
  });
  assert.deepEqual([constant.low, constant.high, constant.p], [0, 0, 1]);
  const apart = bootstrapMedianRatio([100, 101, 102, 99, 100], [130, 131, 129, 130, 132], {
    iterations: 999,
    seed: 1,
    level: 0.95,
  });
  close(apart.change, 0.3);
  assert.equal(apart.p, 2 / 1000);
  assert.ok(apart.low !== null && apart.low > 0.25 && apart.high !== null && apart.high < 0.35);
  const again = bootstrapMedianRatio([100, 101, 102, 99, 100], [130, 131, 129, 130, 132], {
    iterations: 999,
    seed: 1,
    level: 0.95,
  });
  assert.deepEqual(again, apart, 'seeded: the same interval every time');
});

test('bootstrap intervals of the median ratio contain the true change in most draws', () => {
  let covered = 0;
  const trials = 40;
  for (let k = 0; k < trials; k++) {
    const base = noisy(200, 15, 0.05, 1000 + k);
    const cand = noisy(260, 15, 0.05, 5000 + k);
    const r = bootstrapMedianRatio(base, cand, { iterations: 1000, seed: k, level: 0.95 });
    if (r.low !== null && r.high !== null && r.low <= 0.3 && 0.3 <= r.high) covered++;
  }
  // Percentile intervals of a median run a little narrow at n = 15; 85 % leaves room for that.
  assert.ok(covered >= trials * 0.85, `covered ${covered}/${trials}`);
});

test('Benjamini–Hochberg adjusted values match the textbook (R p.adjust "BH")', () => {
  const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
  [0.02, 0.04, 0.04, 0.02].forEach((want, i) => close(adj[i] ?? null, want));
  const withNull = benjaminiHochberg([0.01, null, 0.02]);
  assert.equal(withNull[1], null, 'untested stays untested');
  close(withNull[0] ?? null, 0.02);
  close(withNull[2] ?? null, 0.02);
  assert.deepEqual(benjaminiHochberg([0.9, 0.8]), [0.9, 0.9]);
  assert.deepEqual(benjaminiHochberg([]), []);
});

test('outliers by modified z-score, with the mean-deviation fallback when MAD is 0', () => {
  assert.deepEqual(outlierIndices([10, 10.1, 9.9, 10.2, 9.8, 30]), [5]);
  assert.deepEqual(outlierIndices([10, 10.1, 9.9, 10.2, 9.8, 10.3]), []);
  assert.deepEqual(outlierIndices([5, 5, 5, 5, 9]), [4]);
  assert.deepEqual(outlierIndices([5, 5, 5]), []);
  close(modifiedZScores([1, 2, 3, 4, 100])[4] ?? null, 0.6745 * 97);
});

const base: VerdictInput = {
  nBaseline: 5,
  nCandidate: 5,
  baselineMedian: 200,
  candidateMedian: 260,
  change: 0.3,
  pAdjusted: 0.002,
  noiseBand: 0.03,
  absFloor: 20,
  kind: 'time',
  better: 'lower',
  alpha: 0.05,
  minRuns: 3,
};

test('a verdict needs significance and a change outside the noise band', () => {
  assert.equal(decide(base).verdict, 'regressed');
  assert.equal(decide({ ...base, candidateMedian: 140, change: -0.3 }).verdict, 'improved');
  assert.equal(decide({ ...base, pAdjusted: 0.2 }).verdict, 'unchanged');
  assert.equal(decide({ ...base, noiseBand: 0.4 }).verdict, 'unchanged');
  // +10 % of 100 ms is 10 ms: under the metric's 20 ms floor.
  assert.equal(
    decide({ ...base, baselineMedian: 100, candidateMedian: 110, change: 0.1 }).verdict,
    'unchanged',
  );
  assert.equal(decide({ ...base, better: 'higher' }).verdict, 'improved');
});

test('fewer than 3 runs a side: insufficient, unless far beyond noise (> 50 % and > 1 s)', () => {
  const one = { ...base, nBaseline: 1, nCandidate: 1, pAdjusted: null };
  const small = decide(one);
  assert.equal(small.verdict, 'insufficient');
  assert.match(small.note ?? '', /fewer than 3/);
  const far = decide({ ...one, baselineMedian: 1000, candidateMedian: 2500, change: 1.5 });
  assert.equal(far.verdict, 'regressed');
  assert.match(far.note ?? '', /far outside/);
  // +200 % but only 110 ms (a 50 ms sleep under load): not far enough for times.
  assert.equal(
    decide({ ...one, baselineMedian: 55, candidateMedian: 165, change: 2 }).verdict,
    'insufficient',
  );
  // +40 % and 4 s: large, but not beyond 50 %.
  assert.equal(
    decide({ ...one, baselineMedian: 10_000, candidateMedian: 14_000, change: 0.4 }).verdict,
    'insufficient',
  );
  assert.equal(decide({ ...base, nCandidate: 2 }).verdict, 'insufficient');
});
