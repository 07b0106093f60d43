/// <reference lib="dom" />
/**
 * The compare page in Chromium: standalone (light and dark screenshots) and as a panel with a
 * fake VS Code API (ready → snapshot → rendered, run points open dashboards).
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { compareSnapshot } from '../../src/report/compareSnapshot';
import { standaloneCompareHtml } from '../../src/report/webviewHtml';
import { RICH, XSS } from '../helpers/chartFixtures';
import { syntheticComparison } from '../helpers/syntheticRun';
import {
  assetsFor,
  chartInk,
  launchBrowser,
  openStandalone,
  openWebview,
  pointOnPage,
  requireBundles,
  screenshot,
  waitRendered,
  type PageWatch,
} from './harness';

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], 'console errors');
  assert.deepEqual(w.violations, [], 'CSP violations');
  assert.deepEqual(w.dialogs, [], 'dialogs');
  assert.deepEqual(w.requests, [], 'network requests');
}

/** Six runs of a 30-node workflow, two nodes renamed to hostile names. */
function comparison(): ReturnType<typeof compareSnapshot> {
  const { runs } = syntheticComparison(6, 30);
  const ids = [...new Set(runs[0]?.tasks.map((t) => t.nodeId))];
  const rename = new Map([
    [ids[3] as string, XSS],
    [ids[4] as string, RICH],
  ]);
  for (const r of runs) for (const t of r.tasks) t.nodeId = rename.get(t.nodeId) ?? t.nodeId;
  return compareSnapshot(runs);
}

test(
  'the compare page draws its charts in light and dark, names as text',
  { timeout: 60_000 },
  async () => {
    const snapshot = comparison();
    const html = standaloneCompareHtml(snapshot, assetsFor('compare'));
    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await openStandalone(html, { browser, colorScheme });
      try {
        assert.deepEqual(o.rendered.charts, ['deltas', 'sideBySide', 'trend']);
        const ink = await chartInk(o.page);
        for (const id of o.rendered.charts) assert.ok((ink[id] ?? 0) > 1500, `${id}: ${ink[id]}`);
        const text = await o.page.evaluate(() => document.body.innerText);
        assert.ok(text.includes(XSS) && text.includes(RICH));
        assert.match(text, /Regressions/);
        assert.ok(snapshot.comparison.regressions.length > 0);
        assert.equal(await o.page.evaluate(() => document.querySelectorAll('img').length), 0);
        for (const id of o.rendered.charts) {
          const box = await o.page.locator(`.wp-chart[data-chart="${id}"]`).boundingBox();
          if (box) await o.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3);
        }
        assertClean(o.watch);
        await screenshot(o.page, `compare-${colorScheme}`);
        console.log(`compare page (${colorScheme}): rendered in ${o.rendered.ms.toFixed(0)} ms`);
      } finally {
        await o.close();
      }
    }
  },
);

test(
  'as a panel: ready, then the snapshot draws, state keeps the run ids, runs open dashboards',
  { timeout: 60_000 },
  async () => {
    const snapshot = comparison();
    const w = await openWebview('compare', { browser });
    try {
      await w.page.waitForFunction(() =>
        (window as unknown as { __hostPosted: { type: string }[] }).__hostPosted.some(
          (m) => m.type === 'ready',
        ),
      );
      await w.send({ type: 'snapshot', snapshot });
      const rendered = await waitRendered(w.page);
      assert.deepEqual(rendered.charts, ['deltas', 'sideBySide', 'trend']);
      const posted = await w.posted();
      assert.equal(posted[0]?.type, 'ready');
      assert.ok(posted.some((m) => m.type === 'rendered'));
      assert.deepEqual(await w.state(), {
        runIds: snapshot.runs.map((r) => r.id),
      });
      // Choosing a metric is UI state.
      await w.page.selectOption('#sec-deltas select', 'peakRssBytes');
      assert.equal(((await w.state()) as { metric?: string }).metric, 'peakRssBytes');
      const last = snapshot.runs.length - 1;
      const p = await pointOnPage(w.page, 'trend', { seriesIndex: 0 }, [
        last,
        snapshot.runs[last]?.wallMs ?? 0,
      ]);
      await w.page.mouse.click(p.x, p.y);
      const after = await w.posted();
      assert.deepEqual(after.at(-1), { type: 'openDashboard', runId: snapshot.runs[last]?.id });
      assertClean(w.watch);
    } finally {
      await w.close();
    }
  },
);
