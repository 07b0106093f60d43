/// <reference lib="dom" />
/**
 * Every chart readable from 600 px up (a panel beside an editor is about 700 px): the dashboard
 * of a recorded run of the bundled example, the dashboard of a larger synthetic run, and the
 * compare page, each at 600, 900 and 1400 px. No two labels of a chart overlap, none is cut by
 * the chart's edge or a clip, none breaks mid-word, and no table cell overflows; the screenshots
 * (narrow-<page>-<width>.png in test-results/browser/) are for a person to look at.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { customTrendPoints, whatIfInputOf } from '../../src/report/panelSnapshots';
import { standaloneCompareHtml, standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { snapshotOf } from '../helpers/chartFixtures';
import { exampleDashboard } from '../helpers/exampleDashboard';
import { comparison } from '../helpers/compareFixture';
import { syntheticRun } from '../helpers/syntheticRun';
import {
  DASHBOARD_CHARTS,
  assetsFor,
  launchBrowser,
  openStandalone,
  requireBundles,
  RESULTS_DIR,
  screenshot,
} from './harness';
import { describeProblems, layoutProblems } from './labelLayout';

const WIDTHS = [600, 900, 1400] as const;

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** 120 nodes (failures, retries, skips, long names) with samples, earlier runs and a what-if. */
function syntheticDashboard(): string {
  const { run, samples } = syntheticRun(120, 6000, 7);
  const earlier = [1, 2, 3].map((i) => {
    const r = structuredClone(run);
    r.id = `2024122${i}-120000-000-abcd`;
    r.startedAt = `2024-12-2${i}T12:00:00.000Z`;
    return r;
  });
  return standaloneDashboardHtml(
    snapshotOf(run, samples, {
      customHistory: customTrendPoints([...earlier, run]),
      whatIf: whatIfInputOf(run),
    }),
    assetsFor('dashboard'),
  );
}

/** Opens `html` at each width, saves a screenshot, and fails with every layout problem found. */
async function checkWidths(name: string, html: string, charts: readonly string[]): Promise<void> {
  const failures: string[] = [];
  for (const width of WIDTHS) {
    const o = await openStandalone(html, {
      browser,
      viewport: { width, height: 900 },
      timeoutMs: 60_000,
    });
    try {
      assert.deepEqual(o.rendered.charts, charts, `${name} at ${width} px: charts drawn`);
      await screenshot(o.page, `narrow-${name}-${width}`);
      // Each chart on its own as well: a full page 600 px wide is too tall to judge at a glance.
      for (const id of charts) {
        await o.page.locator(`.wp-slot:has(.wp-chart[data-chart="${id}"])`).screenshot({
          path: path.join(RESULTS_DIR, `narrow-${name}-${width}-${id}.png`),
        });
      }
      const p = await layoutProblems(o.page);
      for (const id of charts)
        assert.ok((p.labelCounts[id] ?? 0) > 0, `${name} at ${width} px: ${id} drew no labels`);
      const text = describeProblems(p);
      if (text !== '') failures.push(`${name} at ${width} px:\n${text}`);
      assert.deepEqual(o.watch.errors, [], 'console errors');
    } finally {
      await o.close();
    }
  }
  assert.equal(failures.join('\n\n'), '', 'labels overlap, are cut off or break mid-word');
}

test(
  'the example dashboard at 600, 900 and 1400 px: no label overlaps, is cut or breaks mid-word',
  { timeout: 180_000 },
  async () => {
    await checkWidths('dashboard-example', (await exampleDashboard()).html, DASHBOARD_CHARTS);
  },
);

test(
  'a 120-node dashboard at 600, 900 and 1400 px: no label overlaps, is cut or breaks mid-word',
  { timeout: 180_000 },
  async () => {
    await checkWidths('dashboard-synthetic', syntheticDashboard(), DASHBOARD_CHARTS);
  },
);

test(
  'the compare page at 600, 900 and 1400 px: no label overlaps, is cut or breaks mid-word',
  { timeout: 120_000 },
  async () => {
    await checkWidths('compare', standaloneCompareHtml(comparison(), assetsFor('compare')), [
      'deltas',
      'sideBySide',
      'trend',
    ]);
  },
);
