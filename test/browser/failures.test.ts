/// <reference lib="dom" />
/**
 * A failed node explains itself in the dashboard: a run (through the CLI's `run` and
 * `dashboard`) whose short node writes a line to stderr and exits 3. The header names the node
 * and the line; its bar in the timeline, a sliver beside a long node, is labelled with the line,
 * and its tooltip carries it.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';
import {
  launchBrowser,
  openStandalone,
  pointOnPage,
  requireBundles,
  RESULTS_DIR,
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

const LINE = 'boom: the widget table is missing';

const WORKFLOW = `name: failing
runtime: local
nodes:
  slow:
    type: shell
    run: sleep 1.5
  broken:
    type: shell
    needs: slow
    run: |
      echo "${LINE}" >&2
      exit 3
`;

/** Every text the chart's renderer holds (labels, and the tooltip while it shows). */
function drawnTexts(page: Page, chartId: string): Promise<string[]> {
  return page.evaluate((id) => {
    interface El {
      style?: { text?: unknown };
      childrenRef?: () => El[];
      getTextContent?: () => El | undefined;
    }
    const charts = (
      window as unknown as {
        __wpCharts: Record<string, { getZr(): { storage: { getRoots(): El[] } } }>;
      }
    ).__wpCharts;
    const out: string[] = [];
    const visit = (el: El): void => {
      if (typeof el.style?.text === 'string') out.push(el.style.text);
      for (const c of el.childrenRef?.() ?? []) visit(c);
      const t = el.getTextContent?.();
      if (t) visit(t);
    };
    for (const r of charts[id]?.getZr().storage.getRoots() ?? []) visit(r);
    return out;
  }, chartId);
}

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], 'console errors');
  assert.deepEqual(w.violations, [], 'CSP violations');
  assert.deepEqual(w.requests, [], 'network requests');
}

test(
  'the dashboard names a failed node and its first error line in the header and timeline',
  { timeout: 120_000 },
  async () => {
    const dir = tempWorkspace({ 'failing.workflow.yaml': WORKFLOW });
    const ran = await runCli(['run', 'failing.workflow.yaml', '--store', 'runs', '--json'], {
      cwd: dir,
    });
    assert.equal(ran.code, 1, ran.stderr);
    const { runId } = JSON.parse(ran.stdout) as { runId: string };
    const file = path.join(dir, 'dashboard.html');
    const made = await runCli(['dashboard', runId, '--store', 'runs', '-o', file], { cwd: dir });
    assert.equal(made.code, 0, made.stderr);
    const run = JSON.parse(
      fs.readFileSync(path.join(dir, 'runs', runId, 'run.json'), 'utf8'),
    ) as RunRecord;
    const broken = run.tasks.find((t) => t.nodeId === 'broken');
    assert.ok(broken && broken.startMs !== null && broken.durationMs !== null);

    const o = await openStandalone(fs.readFileSync(file, 'utf8'), { browser });
    try {
      const page = o.page;
      // The header names the failed node and why.
      const header = (await page.textContent('header')) ?? '';
      assert.ok(header.includes(`broken failed: ${LINE}`), header);

      // The bar is a sliver (a few ms of 1.5 s): the label beside it says why.
      assert.ok(broken.durationMs < 100, `broken took ${broken.durationMs} ms`);
      const labels = await drawnTexts(page, 'timeline');
      assert.ok(labels.includes(`✗ ${LINE}`), JSON.stringify(labels));

      await page.locator('#sec-timeline').screenshot({
        path: path.join(
          path.dirname(await screenshot(page, 'dashboard-failed')),
          'dashboard-failed-timeline.png',
        ),
      });

      // Its tooltip carries the line too.
      const yData = await page.evaluate(
        () =>
          (
            window as unknown as {
              __wpCharts: Record<string, { getOption(): { yAxis: { data: string[] }[] } }>;
            }
          ).__wpCharts['timeline']?.getOption().yAxis[0]?.data ?? [],
      );
      const p = await pointOnPage(page, 'timeline', { xAxisIndex: 0, yAxisIndex: 0 }, [
        broken.startMs + broken.durationMs / 2,
        yData.indexOf('broken'),
      ]);
      await page.mouse.move(p.x, p.y);
      await page.waitForTimeout(250);
      const withTooltip = await drawnTexts(page, 'timeline');
      assert.ok(
        withTooltip.some((t) => t.includes(`error: ${LINE}`)),
        JSON.stringify(withTooltip),
      );
      await page.locator('#sec-timeline').screenshot({
        path: path.join(RESULTS_DIR, 'dashboard-failed-tooltip.png'),
      });
      assertClean(o.watch);
    } finally {
      await o.close();
    }
  },
);
