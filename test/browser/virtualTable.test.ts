/// <reference lib="dom" />
/**
 * The dashboard of a 2,000-node run in Chromium: "Show all" keeps only the rows in view in the
 * page and still shows the right rows scrolled, sorted and at both ends, with the table's size
 * and each row's place for screen readers; the arrow keys walk the rows past the drawn window;
 * the resources-over-time chart, reduced to its pixels, still draws a single-sample spike.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DashboardSnapshot } from '../../src/protocol/dashboard';
import { buildDashboardModel, sortRows } from '../../src/report/charts/dashboardModel';
import { planOf } from '../../src/report/panelSnapshots';
import { standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { syntheticRun } from '../helpers/syntheticRun';
import {
  assetsFor,
  launchBrowser,
  openStandalone,
  requireBundles,
  screenshot,
  type OpenedPage,
} from './harness';

const NODES = 2000;
const ROW_PX = 26;
/** A memory spike far above every synthetic sample, in one sample of one node. */
const SPIKE_BYTES = 64 * 2 ** 30;

let browser: Browser;
let snapshot: DashboardSnapshot;
let o: OpenedPage;

before(async () => {
  requireBundles();
  browser = await launchBrowser();
  const { run, samples } = syntheticRun(NODES, 20_000, 1);
  // One sample in the middle of the run becomes a spike: one sample among 20,000.
  const mid = samples[Math.floor(samples.length / 2)];
  assert.ok(mid);
  mid.rssBytes = SPIKE_BYTES;
  snapshot = { run, samples, plan: planOf(run), live: false, customHistory: [], sentAt: 0 };
  o = await openStandalone(standaloneDashboardHtml(snapshot, assetsFor('dashboard')), {
    browser,
    timeoutMs: 60_000,
  });
});
after(async () => {
  await o?.close();
  await browser?.close();
});

/** The drawn data rows: their aria-rowindex and node id, in page order. */
async function drawnRows(page: Page): Promise<{ index: number; node: string }[]> {
  return page.$$eval('#sec-resources .wp-vrows tbody tr:not(.wp-vspacer)', (trs) =>
    trs.map((tr) => ({
      index: Number(tr.getAttribute('aria-rowindex')),
      node: tr.querySelector('td')?.textContent ?? '',
    })),
  );
}

/** Scrolls the table's box to `top` and waits for the frame that redraws the rows. */
async function scrollTo(page: Page, top: number): Promise<void> {
  await page.$eval('#sec-resources .wp-vrows', (box, y) => (box.scrollTop = y), top);
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

/** The node ids of the rows visible inside the box (not merely drawn), top to bottom. */
async function visibleNodes(page: Page): Promise<string[]> {
  return page.$eval('#sec-resources .wp-vrows', (box) => {
    const b = box.getBoundingClientRect();
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    return Array.from(box.querySelectorAll('tbody tr:not(.wp-vspacer)'))
      .filter((tr) => {
        const r = tr.getBoundingClientRect();
        return r.top >= b.top + head - 1 && r.bottom <= b.bottom + 1;
      })
      .map((tr) => tr.querySelector('td')?.textContent ?? '');
  });
}

function expectedOrder(key: 'durationMs' | 'nodeId', descending: boolean): string[] {
  const m = buildDashboardModel(snapshot, Date.now());
  return sortRows(m.rows, key, descending).map((r) => r.nodeId);
}

test('"Show all" draws a window of rows; scrolled, sorted and at both ends they are the right ones', async () => {
  const { page } = o;
  await page.click('#sec-resources .wp-more button');
  const box = page.locator('#sec-resources .wp-vrows');
  await box.waitFor();
  assert.equal(
    await page.getAttribute('#sec-resources table', 'aria-rowcount'),
    String(NODES + 1),
    'the whole table’s size, header row included',
  );
  const byDuration = expectedOrder('durationMs', true);
  const top = await drawnRows(page);
  assert.ok(top.length >= 20 && top.length <= 60, `${top.length} rows in the page`);
  assert.deepEqual(
    top.map((r) => r.node),
    byDuration.slice(0, top.length),
  );
  assert.deepEqual(
    top.map((r) => r.index),
    top.map((_, i) => i + 2),
  );
  assert.equal((await visibleNodes(page))[0], byDuration[0]);

  // The middle: the row at 1,000 is in view at its place.
  await scrollTo(page, 1000 * ROW_PX);
  const mid = await drawnRows(page);
  const at = mid.find((r) => r.node === byDuration[1000]);
  assert.ok(at, 'row 1,000 is drawn');
  assert.equal(at.index, 1002);
  for (const r of mid) assert.equal(r.node, byDuration[r.index - 2]);
  assert.equal((await visibleNodes(page))[0], byDuration[1000]);

  // The end: the last row is drawn, in view, and nothing after it.
  await scrollTo(page, NODES * ROW_PX);
  const end = await drawnRows(page);
  assert.equal(end[end.length - 1]?.index, NODES + 1);
  assert.equal(end[end.length - 1]?.node, byDuration[NODES - 1]);
  const seen = await visibleNodes(page);
  assert.equal(seen[seen.length - 1], byDuration[NODES - 1]);
  await screenshot(page, 'dashboard-2000-show-all-end');

  // Sorting by node id: still every row, still virtualised, back at the top in the new order.
  await page.click('#sec-resources th button:text-is("Node")');
  await page.locator('#sec-resources th[aria-sort="ascending"]').waitFor();
  const byId = expectedOrder('nodeId', false);
  const sorted = await drawnRows(page);
  assert.ok(sorted.length <= 60, `${sorted.length} rows in the page after sorting`);
  assert.deepEqual(
    sorted.map((r) => r.node),
    byId.slice(0, sorted.length),
  );
  await scrollTo(page, NODES * ROW_PX);
  const sortedEnd = await drawnRows(page);
  assert.equal(sortedEnd[sortedEnd.length - 1]?.node, byId[NODES - 1]);
  await scrollTo(page, 0);
  await screenshot(page, 'dashboard-2000-show-all-sorted');
});

test('the arrow keys walk the rows past the drawn window, the focus following', async () => {
  const { page } = o;
  const byId = expectedOrder('nodeId', false);
  await scrollTo(page, 0);
  await page.focus('#sec-resources .wp-vrows tbody tr[aria-rowindex="2"] button');
  for (let i = 0; i < 45; i++) await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  assert.equal(focused, byId[45]);
  // The focused row was scrolled to: it overlaps the box's visible area.
  const shown = await page.evaluate(() => {
    const row = document.activeElement?.closest('tr')?.getBoundingClientRect();
    const box = document.querySelector('#sec-resources .wp-vrows')?.getBoundingClientRect();
    return row && box
      ? `${row.top.toFixed(0)}–${row.bottom.toFixed(0)} in ${box.top.toFixed(0)}–${box.bottom.toFixed(0)}`
      : null;
  });
  const [rt, rb, bt, bb] = (shown?.match(/-?\d+/g) ?? []).map(Number);
  assert.ok(
    rb !== undefined && bb !== undefined && rt! < bb && rb > bt!,
    `focused row at ${shown}`,
  );
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''), byId[44]);
});

test('resources over time, reduced to its pixels, still draws a one-sample memory spike', async () => {
  const peak = await o.page.evaluate(() => {
    const charts = (
      window as unknown as {
        __wpCharts: Record<string, { getOption(): { series: { data: [number, number][] }[] } }>;
      }
    ).__wpCharts;
    const chart = charts['overTime'];
    if (!chart) throw new Error('no overTime chart');
    let most = 0;
    let points = 0;
    for (const s of chart.getOption().series) {
      for (const p of s.data ?? []) {
        points++;
        if (Array.isArray(p) && typeof p[1] === 'number') most = Math.max(most, p[1]);
      }
    }
    return { most, points };
  });
  // Reduced: far fewer points drawn than the 20,000 samples (and their sums) it comes from.
  assert.ok(peak.points < 20_000, `${peak.points} points drawn`);
  assert.ok(peak.most >= SPIKE_BYTES, `highest point drawn ${peak.most}`);
});
