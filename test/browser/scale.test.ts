/// <reference lib="dom" />
/**
 * Scale: the dashboard of a synthetic run of 2,000 nodes and 20,000 samples, and a comparison
 * of 20 runs of 2,000 nodes, in Chromium. Render times are printed, not asserted (the benchmark
 * reports them); the dashboard bundle's gzipped size is a target and is asserted.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { planOf } from '../../src/report/panelSnapshots';
import { standaloneCompareHtml, standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { syntheticComparison, syntheticRun } from '../helpers/syntheticRun';
import {
  assetsFor,
  bundleSizes,
  chartInk,
  launchBrowser,
  openStandalone,
  requireBundles,
  screenshot,
  timeShowAll,
} from './harness';

/** Gzipped size the dashboard bundle must stay under. */
const DASHBOARD_GZIP_LIMIT = 350 * 1024;

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

test('webview bundle sizes: the dashboard stays under 350 KB gzipped', () => {
  const sizes = bundleSizes();
  for (const s of sizes) console.log(`${s.file}: ${kib(s.bytes)} raw, ${kib(s.gzipBytes)} gzipped`);
  const dashboard = sizes
    .filter((s) => s.file.startsWith('dashboard.'))
    .reduce((t, s) => t + s.gzipBytes, 0);
  console.log(`dashboard total: ${kib(dashboard)} gzipped`);
  assert.ok(dashboard < DASHBOARD_GZIP_LIMIT, `dashboard bundle is ${kib(dashboard)} gzipped`);
});

test(
  '2,000 nodes and 20,000 samples: every chart draws; render time printed',
  { timeout: 120_000 },
  async () => {
    const { run, samples } = syntheticRun(2000, 20_000, 1);
    assert.equal(samples.length, 20_000);
    const html = standaloneDashboardHtml(
      { run, samples, plan: planOf(run), live: false, customHistory: [], sentAt: Date.now() },
      assetsFor('dashboard'),
    );
    const o = await openStandalone(html, { browser, timeoutMs: 60_000 });
    try {
      assert.deepEqual(o.rendered.charts, [
        'timeline',
        'resources',
        'radar',
        'io',
        'heatmap',
        'overTime',
      ]);
      const ink = await chartInk(o.page);
      for (const id of o.rendered.charts) assert.ok((ink[id] ?? 0) > 1500, `${id}: ${ink[id]}`);
      assert.deepEqual(o.watch.errors, []);
      assert.deepEqual(o.watch.violations, []);
      const phases = Object.entries(o.rendered.phases ?? {})
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ');
      console.log(
        `2,000 nodes × 20,000 samples (${(html.length / 1024 / 1024).toFixed(1)} MiB page): rendered in ${o.rendered.ms.toFixed(0)} ms ` +
          `(snapshot parsed to every chart drawn), page ready in ${o.loadMs} ms from navigation`,
      );
      console.log(`phases (ms): ${phases}`);
      console.log(
        `first screen (${o.firstScreen?.charts.join(', ')}) drawn in ${o.firstScreen?.ms.toFixed(0)} ms`,
      );
      await screenshot(o.page, 'dashboard-2000-nodes');
      // The table draws a page of rows and offers the rest, drawn as the rows in view (the
      // rows shown when scrolled: virtualTable.test.ts).
      const rows = await o.page.locator('#sec-resources tbody tr').count();
      assert.ok(rows <= 100, `${rows} rows drawn`);
      const ms = await timeShowAll(o.page, 'resources');
      const drawn = await o.page.locator('#sec-resources tbody tr:not(.wp-vspacer)').count();
      console.log(`"Show all": ${drawn} rows in the page, drawn in ${ms.toFixed(0)} ms`);
      assert.ok(drawn <= 100, `${drawn} rows in the page`);
      assert.equal(
        await o.page.getAttribute('#sec-resources table', 'aria-rowcount'),
        String(new Set(run.tasks.map((t) => t.nodeId)).size + 1),
      );
    } finally {
      await o.close();
    }
  },
);

test(
  'a comparison of 20 runs of 2,000 nodes draws; render time printed',
  { timeout: 60_000 },
  async () => {
    const { snapshot } = syntheticComparison(20, 2000);
    const o = await openStandalone(standaloneCompareHtml(snapshot, assetsFor('compare')), {
      browser,
    });
    try {
      assert.deepEqual(o.rendered.charts, ['deltas', 'sideBySide', 'trend']);
      assert.deepEqual(o.watch.errors, []);
      console.log(
        `compare, 20 runs × 2,000 nodes: rendered in ${o.rendered.ms.toFixed(0)} ms, page ready in ${o.loadMs} ms`,
      );
    } finally {
      await o.close();
    }
  },
);
