/// <reference lib="dom" />
/**
 * The dashboard draws its first screen first: the charts below it wait until scrolled near (or
 * the browser is idle). Here the page's idle callbacks are held back, so only scrolling can draw
 * them: a chart scrolled into view draws at once, and the page's "every chart drawn" signal
 * comes once the last one has, even when a redraw (here a width change) came in between.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { planOf } from '../../src/report/panelSnapshots';
import { standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { syntheticRun } from '../helpers/syntheticRun';
import {
  assetsFor,
  chartInk,
  launchBrowser,
  openStandalone,
  requireBundles,
  waitRendered,
} from './harness';

/** Idle callbacks queue up and never run: only the IntersectionObserver can draw a chart. */
const HOLD_IDLE = `window.requestIdleCallback = () => 0;`;

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Whether ECharts has drawn into the chart's box (it adds its canvas on the first draw). */
const hasCanvas = (page: Page, id: string): Promise<boolean> =>
  page.evaluate((c) => document.querySelector(`[data-chart="${c}"] canvas`) !== null, id);

test(
  '2,000 nodes: the charts below the first screen draw when scrolled into view',
  { timeout: 120_000 },
  async () => {
    const { run, samples } = syntheticRun(2000, 20_000, 1);
    const html = standaloneDashboardHtml(
      { run, samples, plan: planOf(run), live: false, customHistory: [], sentAt: Date.now() },
      assetsFor('dashboard'),
    );
    const o = await openStandalone(html, {
      browser,
      timeoutMs: 60_000,
      initScript: HOLD_IDLE,
      waitFor: 'first screen',
    });
    try {
      const first = o.rendered.charts;
      assert.ok(first.includes('timeline'), `first screen: ${first.join(', ')}`);
      assert.ok(!first.includes('heatmap'), `first screen: ${first.join(', ')}`);
      assert.equal(await hasCanvas(o.page, 'heatmap'), false, 'heatmap drawn before scrolled to');
      assert.equal(
        await o.page.evaluate(() => (window as { __wpRendered?: unknown }).__wpRendered),
        undefined,
        'every chart reported drawn before they were',
      );

      await o.page.evaluate(() => document.getElementById('sec-heatmap')?.scrollIntoView());
      await o.page.waitForFunction(() => document.querySelector('[data-chart="heatmap"] canvas'), {
        timeout: 10_000,
      });
      assert.equal(await hasCanvas(o.page, 'overTime'), true, 'the chart just below is near');

      // A width change redraws the page (the charts in view at once, the rest lazily again):
      // the signal the first render owes still comes once every chart is drawn.
      await o.page.setViewportSize({ width: 1100, height: 900 });
      await o.page.waitForTimeout(400);
      // The charts jumped over (above the heatmap) were never in view: scroll back through.
      await o.page.evaluate(() => window.scrollTo(0, 0));
      for (let y = 0; y < 40; y++) {
        const more = await o.page.evaluate(() => {
          window.scrollBy(0, window.innerHeight / 2);
          return window.scrollY + window.innerHeight < document.body.scrollHeight;
        });
        await o.page.waitForTimeout(50);
        if (!more) break;
      }
      const all = await waitRendered(o.page, 30_000);
      assert.deepEqual(all.charts, ['timeline', 'resources', 'radar', 'io', 'heatmap', 'overTime']);
      const ink = await chartInk(o.page);
      for (const id of all.charts) assert.ok((ink[id] ?? 0) > 1500, `${id}: ${ink[id]}`);
      assert.deepEqual(o.watch.errors, []);
    } finally {
      await o.close();
    }
  },
);
