/**
 * The panels in the real workbench, on a copy of examples/: profile the example workflow, watch
 * its dashboard live, wait for every chart, check that each chart's canvas has drawn pixels, open
 * the report beside it, run again and open the compare panel on the two runs, then reload the
 * window and see the panels come back (serializers). Screenshots go to test-results/.
 *
 *   node scripts/vscode/run-tests.mjs --workspace examples --ui out/vscode-test/test/vscode/ui/dashboard.ui.js
 */
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import {
  findWebviewFrame,
  runCommand,
  screenshot,
  waitForNotification,
  waitForCommand,
  waitForWorkbench,
  type UiContext,
} from './workbench';

const RUN_TIMEOUT_MS = 60_000;
/** The panels' chart containers; `window.__wpRendered` is set once every chart has drawn. */
const CHART = '[data-chart]';

/** Per chart: how many sampled pixels differ from the canvas's top-left (background) pixel. */
async function drawnPixels(frame: Frame): Promise<Record<string, number>> {
  return frame.evaluate((selector) => {
    const out: Record<string, number> = {};
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const canvas = el.querySelector('canvas');
      const name = el.dataset.chart ?? '?';
      if (!canvas || canvas.width === 0 || canvas.height === 0) {
        out[name] = 0;
        continue;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) {
        out[name] = 0;
        continue;
      }
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const bg = [data[0], data[1], data[2], data[3]];
      let differing = 0;
      // Every 7th pixel is plenty to tell a drawn chart from an empty canvas.
      for (let i = 0; i < data.length; i += 4 * 7) {
        if (
          data[i] !== bg[0] ||
          data[i + 1] !== bg[1] ||
          data[i + 2] !== bg[2] ||
          data[i + 3] !== bg[3]
        )
          differing++;
      }
      out[name] = differing;
    }
    return out;
  }, CHART);
}

/** The webview frame with charts, once it says every chart has drawn. */
async function renderedFrame(page: Page, timeout = RUN_TIMEOUT_MS): Promise<Frame> {
  const frame = await findWebviewFrame(page, CHART, timeout);
  await frame.waitForFunction(() => window.__wpRendered !== undefined, undefined, { timeout });
  return frame;
}

declare global {
  interface Window {
    __wpRendered?: { ms: number; charts: string[] };
  }
}

async function assertChartsDrawn(frame: Frame, ctx: UiContext, what: string): Promise<void> {
  // The panel lists the charts it drew (a chart with nothing to show is hidden, not blank).
  const drawnCharts = await frame.evaluate(() => window.__wpRendered?.charts ?? []);
  const pixels = await drawnPixels(frame);
  ctx.log(`${what}: drew ${drawnCharts.join(', ')}; pixels ${JSON.stringify(pixels)}`);
  assert.ok(drawnCharts.length >= 7, `${what}: only ${drawnCharts.length} charts drew`);
  const blank = drawnCharts.filter((n) => (pixels[n] ?? 0) < 50);
  assert.deepEqual(blank, [], `${what}: charts said drawn but without pixels`);
}

export default async function dashboard(page: Page, ctx: UiContext): Promise<void> {
  assert.ok(ctx.trusted, 'this UI test runs in a trusted workspace');
  await waitForWorkbench(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await waitForCommand(page, 'Workflow Profiler: Profile Workflow');

  // 1. Profile: the dashboard opens at once and is live.
  await runCommand(page, 'Workflow Profiler: Profile Workflow');
  const live = await findWebviewFrame(page, CHART, RUN_TIMEOUT_MS);
  ctx.log(`live dashboard open (${await live.locator(CHART).count()} charts)`);
  await page.waitForTimeout(1500);
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'dashboard-live')}`);
  await waitForNotification(page, /nightly-etl completed in/, RUN_TIMEOUT_MS);

  await page.waitForTimeout(1500); // the final snapshot replaces the live one
  const frame = await renderedFrame(page);
  await assertChartsDrawn(frame, ctx, 'dashboard');
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'dashboard-completed')}`);
  for (const chart of await frame.locator(CHART).all()) {
    const name = await chart.getAttribute('data-chart');
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    ctx.log(`screenshot: ${await screenshot(page, ctx, `dashboard-chart-${name ?? 'x'}`)}`);
  }

  // 2. The report beside it, from the dashboard's own button.
  await frame
    .getByRole('button', { name: /report/i })
    .first()
    .click();
  await page
    .locator('.tab', { hasText: /Preview report\.md/ })
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
  await page.waitForTimeout(1000);
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'dashboard-with-report')}`);

  // 3. A second run, then the compare panel on both (from the workflow's CodeLens command).
  // The first run's notification must not be mistaken for the second's.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Workflow Profiler: Run Workflow');
  await waitForNotification(page, /nightly-etl completed in/, RUN_TIMEOUT_MS);
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Workflow Profiler: Compare Runs');
  const picks = page.locator('.quick-input-widget .monaco-list-row');
  await picks.first().waitFor({ state: 'visible', timeout: 20_000 });
  assert.ok((await picks.count()) >= 2, 'two runs to pick');
  // Both runs: the pick's "select all" box, then OK.
  const boxes = page.locator('.quick-input-widget').getByRole('checkbox');
  ctx.log(`the pick has ${await boxes.count()} checkboxes`);
  await boxes.first().click({ force: true });
  await page.locator('.quick-input-widget', { hasText: '2 Selected' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  const compare = await renderedFrame(page, 30_000);
  const comparePixels = await drawnPixels(compare);
  ctx.log(`compare: drawn pixels ${JSON.stringify(comparePixels)}`);
  assert.ok(
    Object.values(comparePixels).some((n) => n >= 50),
    'the compare charts drew',
  );
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'compare')}`);

  // 4. Reload: the compare panel comes back through its serializer and draws again.
  await runCommand(page, 'Developer: Reload Window');
  await waitForWorkbench(page, 60_000);
  const restored = await renderedFrame(page, 60_000);
  const restoredPixels = await drawnPixels(restored);
  assert.ok(
    Object.values(restoredPixels).some((n) => n >= 50),
    'the restored panel drew',
  );
  ctx.log('after a reload the panel is restored and draws again');
  ctx.log(`screenshot: ${await screenshot(page, ctx, 'compare-restored')}`);
}
