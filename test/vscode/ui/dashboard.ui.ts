/**
 * The panels in the real workbench, on a copy of examples/: profile the example workflow, watch
 * its dashboard live, wait for every chart, check that each chart's canvas has drawn pixels, open
 * the report beside it and read its rendered text, run again and open the compare panel on the two runs, then reload the
 * window and see the panels come back (serializers). Screenshots go to test-results/.
 *
 *   node scripts/vscode/run-tests.mjs --workspace examples --ui out/vscode-test/test/vscode/ui/dashboard.ui.js
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { parse } from 'yaml';
import {
  findMarkdownPreview,
  findWebviewFrame,
  runCommand,
  screenshot,
  waitForNotification,
  waitForCommand,
  waitForWorkbench,
  type UiContext,
} from './workbench';

const RUN_TIMEOUT_MS = 60_000;
/** The example workflow the palette's Profile Workflow picks (the only one in examples/). */
const WORKFLOW = 'nightly-etl';
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

/** The run id the dashboard's header shows (`run 20261203-131218-214-2acb0b · started …`). */
async function shownRunId(frame: Frame): Promise<string> {
  const text = await frame.locator('body').innerText();
  const id = /\brun (\d{8}-[\w-]+)/.exec(text)?.[1];
  assert.ok(id, `no run id in the dashboard's text: ${text.slice(0, 300)}`);
  return id;
}

/** Every node id of the example workflow, from the file the test profiles. */
function exampleNodeIds(ctx: UiContext): string[] {
  const file = path.join(ctx.workspace, `${WORKFLOW}.workflow.yaml`);
  const def = parse(fs.readFileSync(file, 'utf8')) as { nodes?: Record<string, unknown> };
  const ids = Object.keys(def.nodes ?? {});
  assert.ok(ids.length > 0, `no nodes in ${file}`);
  return ids;
}

/** The rendered report names the run and the workflow, and has a row for every node. */
async function assertReportText(report: Frame, ctx: UiContext, runId: string): Promise<void> {
  const text = await report.locator('.markdown-body').innerText();
  ctx.log(`report preview: ${text.length} characters, begins "${text.slice(0, 60)}"`);
  assert.ok(text.includes(`Run ${runId}`), `the report names run ${runId}`);
  const missing = exampleNodeIds(ctx).filter((id) => !text.includes(id));
  assert.deepEqual(missing, [], `nodes missing from the rendered report`);
  // Rendered, not only in the DOM: the heading has a size on screen.
  const heading = report.locator('.markdown-body h1').first();
  assert.equal((await heading.innerText()).trim(), `Performance report: ${WORKFLOW}`);
  const box = await heading.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the report heading is laid out');
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

  // 2. The report beside it, from the dashboard's own button: its rendered text, not only its
  // tab, which appears seconds before the preview has drawn anything.
  const runId = await shownRunId(frame);
  await frame
    .getByRole('button', { name: /report/i })
    .first()
    .click();
  await page
    .locator('.tab', { hasText: /Preview report\.md/ })
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
  const t0 = Date.now();
  const report = await findMarkdownPreview(page, `Performance report: ${WORKFLOW}`, 30_000);
  ctx.log(`report preview rendered ${Date.now() - t0} ms after its tab appeared`);
  await assertReportText(report, ctx, runId);
  // The run's notification would cover the report's tables in the picture.
  await runCommand(page, 'Notifications: Clear All Notifications');
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
