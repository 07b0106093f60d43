/// <reference lib="dom" />
/**
 * The standalone dashboard in Chromium: a recorded run of the bundled example (through the CLI's
 * `run` and `dashboard`), and a run whose node names are hostile. Every chart must draw, with no
 * console error, no CSP violation, no network request and no dialog; screenshots in light and
 * dark land in test-results/browser/.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { customTrendPoints, whatIfInputOf } from '../../src/report/panelSnapshots';
import { repoRoot } from '../helpers/paths';
import { exampleDashboard } from '../helpers/exampleDashboard';
import { hostileEtl, RICH, SCRIPT_END, snapshotOf, XSS } from '../helpers/chartFixtures';
import {
  DASHBOARD_CHARTS,
  assetsFor,
  chartInk,
  launchBrowser,
  openStandalone,
  pointOnPage,
  requireBundles,
  screenshot,
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

const ALL_CHARTS = DASHBOARD_CHARTS;

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], 'console errors');
  assert.deepEqual(w.violations, [], 'CSP violations');
  assert.deepEqual(w.dialogs, [], 'dialogs');
  assert.deepEqual(w.requests, [], 'network requests');
}

/**
 * The README's picture of the dashboard: the example's first screen, always 1280 × 900. Written
 * into media/ only with WORKFLOW_PROFILER_UPDATE_MEDIA=1: a plain `npm test` must neither dirty
 * the tree nor make the packages it just built older than their sources.
 */
export const README_DASHBOARD =
  process.env.WORKFLOW_PROFILER_UPDATE_MEDIA === '1'
    ? path.join(repoRoot, 'media', 'dashboard.png')
    : path.join(repoRoot, 'test-results', 'browser', 'readme-dashboard.png');

async function readmeShot(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  // The viewport, not the full page: the page's height follows the run, the README's image not.
  await page.screenshot({ path: README_DASHBOARD, fullPage: false, animations: 'disabled' });
  const png = fs.readFileSync(README_DASHBOARD);
  // IHDR: width and height, big-endian, at bytes 16 and 20.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1280, 900]);
}

async function assertInk(page: Parameters<typeof chartInk>[0], charts: string[]): Promise<void> {
  const ink = await chartInk(page);
  for (const id of charts)
    assert.ok((ink[id] ?? 0) > 1500, `chart ${id} drew ${ink[id] ?? 0} pixels`);
}

test(
  'the dashboard of a recorded run of the example draws every chart, light and dark',
  { timeout: 180_000 },
  async () => {
    const { runId, html } = await exampleDashboard();

    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await openStandalone(html, { browser, colorScheme });
      try {
        // Every chart draws (the custom metrics' trends start at this first run).
        assert.deepEqual(o.rendered.charts, ALL_CHARTS);
        assert.equal(o.rendered.runId, runId);
        await assertInk(o.page, ALL_CHARTS);
        const status = await o.page.textContent('.wp-status');
        assert.match(status ?? '', /^completed · 12 of 12 nodes done · 1 skipped · wall \d/);
        assertClean(o.watch);
        await screenshot(o.page, `dashboard-example-${colorScheme}`);
        if (colorScheme === 'light') await readmeShot(o.page);
        console.log(
          `example dashboard (${colorScheme}): rendered in ${o.rendered.ms.toFixed(0)} ms, page ready in ${o.loadMs} ms`,
        );
      } finally {
        await o.close();
      }
    }
  },
);

test(
  'hostile node names show as text in every chart, table and tooltip, and run nothing',
  { timeout: 60_000 },
  async () => {
    const { run, samples } = hostileEtl();
    // Three earlier runs' custom metrics, so the trend chart draws too.
    const earlier = [1, 2, 3].map((i) => {
      const r = structuredClone(run);
      r.id = `2024122${i}-120000-000-abcd`;
      r.startedAt = `2024-12-2${i}T12:00:00.000Z`;
      for (const t of r.tasks)
        for (const k of Object.keys(t.custom)) t.custom[k] = (t.custom[k] ?? 0) * (0.7 + i * 0.1);
      return r;
    });
    const html = standaloneDashboardHtml(
      snapshotOf(run, samples, {
        customHistory: customTrendPoints([...earlier, run]),
        whatIf: whatIfInputOf(run),
      }),
      assetsFor('dashboard'),
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await openStandalone(html, { browser, colorScheme });
      try {
        assert.deepEqual(o.rendered.charts, ALL_CHARTS);
        await assertInk(o.page, ALL_CHARTS);
        const page = o.page;
        const text = await page.evaluate(() => document.body.innerText);
        for (const name of [XSS, RICH, SCRIPT_END])
          assert.ok(text.includes(name), `${name} is shown as text`);
        assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
        assert.equal(
          await page.evaluate(() => document.scripts.length),
          2,
          'only the snapshot and the bundle',
        );
        const yData = await page.evaluate(() => {
          const c = (
            window as unknown as {
              __wpCharts: Record<string, { getOption(): { yAxis: { data: string[] }[] } }>;
            }
          ).__wpCharts;
          return c['timeline']?.getOption().yAxis[0]?.data ?? [];
        });
        assert.ok(yData.includes(XSS) && yData.includes(RICH) && yData.includes(SCRIPT_END));

        // Hover the hostile node's bar (its tooltip draws its name) and click it.
        const row = yData.indexOf(XSS);
        const task = run.tasks.find((t) => t.nodeId === XSS);
        const mid = (task?.startMs ?? 0) + (task?.durationMs ?? 0) / 2;
        const p = await pointOnPage(page, 'timeline', { xAxisIndex: 0, yAxisIndex: 0 }, [mid, row]);
        await page.mouse.move(p.x, p.y);
        await page.waitForTimeout(250);
        if (colorScheme === 'dark') {
          await page.locator('#sec-timeline').screenshot({
            path: path.join(
              repoRoot,
              'test-results',
              'browser',
              'dashboard-hostile-tooltip-dark.png',
            ),
          });
        }
        await page.mouse.click(p.x, p.y);
        const posted = await page.evaluate(
          () => (window as unknown as { __wpPosted: unknown[] }).__wpPosted,
        );
        assert.deepEqual(posted.at(-1), { type: 'revealNode', nodeId: XSS });
        // Hover every chart once, then make sure nothing ran.
        for (const id of ALL_CHARTS) {
          const box = await page.locator(`.wp-chart[data-chart="${id}"]`).boundingBox();
          if (box) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
        }
        await page.waitForTimeout(150);
        assertClean(o.watch);
        await screenshot(page, `dashboard-hostile-${colorScheme}`);
      } finally {
        await o.close();
      }
    }
  },
);
