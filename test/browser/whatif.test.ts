/// <reference lib="dom" />
/**
 * The dashboard's "What if" section in Chromium. In the standalone HTML (no host to ask): moving
 * the slots slider with the keyboard redraws the predicted timeline, and the predicted wall time
 * shown is the simulator's for that slot count; speeding up a critical-path node shortens it; a
 * suggestion's "Show" replays its predicted saving. In the VS Code webview: the scenario is kept
 * as UI state and comes back on reload, and a live run says when the prediction will come.
 * Screenshots in light and dark, wide and 600 px, land in test-results/browser/.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunRecord } from '../../src/model/run';
import { formatMs } from '../../src/model/format';
import { standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { whatIfInputOf } from '../../src/report/panelSnapshots';
import { finaliseRun } from '../../src/report/whatif/finalise';
import { whatIf } from '../../src/report/whatif/whatIf';
import { snapshotOf } from '../helpers/chartFixtures';
import { makeRun, MiB, ran } from '../helpers/makeRun';
import {
  assetsFor,
  chartInk,
  launchBrowser,
  openStandalone,
  openWebview,
  requireBundles,
  RESULTS_DIR,
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

/**
 * Recorded with one slot: `fetch`, then three independent branches of two nodes each, then
 * `publish`. The DAG is 3 wide, so more slots pay; `train` is the longest branch.
 */
function recordedRun(): RunRecord {
  const mem = (n: number): { peakRssBytes: number; cpuPercent: number } => ({
    peakRssBytes: n * MiB,
    cpuPercent: 30,
  });
  const tasks = [
    ran('fetch', 0, 400, mem(20)),
    ran('train', 400, 1200, { needs: ['fetch'], ...mem(300) }),
    ran('score', 1600, 300, { needs: ['train'], readyAtMs: 1600, ...mem(60) }),
    ran('resize', 1900, 500, { needs: ['fetch'], readyAtMs: 400, waitMs: 1500, ...mem(120) }),
    ran('thumbs', 2400, 300, { needs: ['resize'], readyAtMs: 2400, ...mem(40) }),
    ran('lint', 2700, 600, { needs: ['fetch'], readyAtMs: 400, waitMs: 2300, ...mem(80) }),
    ran('publish', 3300, 200, {
      needs: ['score', 'thumbs', 'lint'],
      readyAtMs: 3300,
      ...mem(30),
    }),
  ];
  const run = makeRun(tasks, { maxParallel: 1, wallMs: 3500, cores: 4 });
  finaliseRun(run);
  return run;
}

function snapshotWithWhatIf(run: RunRecord) {
  return snapshotOf(run, [], { whatIf: whatIfInputOf(run) });
}

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], 'console errors');
  assert.deepEqual(w.violations, [], 'CSP violations');
  assert.deepEqual(w.dialogs, [], 'dialogs');
  assert.deepEqual(w.requests, [], 'network requests');
}

interface Shown {
  slots: number;
  wallMs: number;
  wallText: string;
  path: string;
  bars: number[][];
}

/** What the section shows once it has drawn `slots` (the figures carry the exact prediction). */
async function shown(page: Page, slots: number): Promise<Shown> {
  await page.waitForSelector(`#sec-whatIf .wp-whatif-figures[data-slots="${slots}"]`);
  // The chart redraws in the next frame after the figures: wait for its option to follow.
  await page.waitForFunction((want) => {
    const c = (window as unknown as { __wpCharts: Record<string, { getOption(): unknown }> })
      .__wpCharts['whatIf'];
    const o = c?.getOption() as { series?: { data?: number[][] }[] } | undefined;
    const fig = document.querySelector<HTMLElement>('#sec-whatIf .wp-whatif-figures');
    const wall = Number(fig?.dataset['predictedWallMs']);
    const ends = (o?.series?.[1]?.data ?? []).map((d) => d[2] ?? 0);
    return fig?.dataset['slots'] === String(want) && Math.abs(Math.max(...ends) - wall) < 1;
  }, slots);
  return page.evaluate(() => {
    const fig = document.querySelector<HTMLElement>('#sec-whatIf .wp-whatif-figures');
    const c = (window as unknown as { __wpCharts: Record<string, { getOption(): unknown }> })
      .__wpCharts['whatIf'];
    const o = c?.getOption() as { series: { data: number[][] }[] };
    return {
      slots: Number(fig?.dataset['slots']),
      wallMs: Number(fig?.dataset['predictedWallMs']),
      wallText: fig?.querySelector('dd')?.textContent ?? '',
      path: document.querySelector('#sec-whatIf .wp-whatif-path')?.textContent ?? '',
      bars: o.series[1]?.data ?? [],
    };
  });
}

/** Waits until the predicted wall time shown is no longer `before` (the same slots redrawn). */
async function wallChanged(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (b) =>
      Number(
        document.querySelector<HTMLElement>('#sec-whatIf .wp-whatif-figures')?.dataset[
          'predictedWallMs'
        ],
      ) !== b,
    before,
  );
}

test(
  'standalone: the slots slider and a speed-up redraw the predicted timeline with the simulator’s figures',
  { timeout: 90_000 },
  async () => {
    const run = recordedRun();
    const html = standaloneDashboardHtml(snapshotWithWhatIf(run), assetsFor('dashboard'));
    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await openStandalone(html, { browser, colorScheme });
      try {
        const page = o.page;
        assert.ok(o.rendered.charts.includes('whatIf'), o.rendered.charts.join());
        const ink = await chartInk(page);
        assert.ok((ink['whatIf'] ?? 0) > 1500, `whatIf drew ${ink['whatIf']} pixels`);

        const recorded = await shown(page, 1);
        assert.equal(recorded.wallMs, whatIf(run).wallMs, 'as recorded: the replay');
        assert.equal(recorded.wallText, formatMs(whatIf(run).wallMs));

        // The keyboard moves the slider, as a person without a mouse would.
        await page.focus('#wp-whatif-slots');
        await page.keyboard.press('ArrowRight');
        const two = await shown(page, 2);
        assert.equal(two.wallMs, whatIf(run, { slots: 2 }).wallMs);
        assert.notDeepEqual(two.bars, recorded.bars, 'the predicted timeline was redrawn');
        await page.keyboard.press('ArrowRight');
        const three = await shown(page, 3);
        const sim3 = whatIf(run, { slots: 3 });
        assert.equal(three.wallMs, sim3.wallMs);
        // Two slots already reach the critical path's length; the third only moves `lint`.
        assert.ok(three.wallMs <= two.wallMs && two.wallMs < recorded.wallMs);
        assert.notDeepEqual(three.bars, two.bars, 'redrawn for 3 slots');
        assert.equal(
          three.path.replace(/\s+/g, ' '),
          `Predicted critical path: ${sim3.criticalPath.join(' → ')}`,
        );
        // Each drawn bar is where the simulator put its node.
        const ids = await page.evaluate(() => {
          const c = (window as unknown as { __wpCharts: Record<string, { getOption(): unknown }> })
            .__wpCharts['whatIf'];
          return (c?.getOption() as { yAxis: { data: string[] }[] }).yAxis[0]?.data ?? [];
        });
        for (const [row, start, end] of three.bars) {
          const sim = sim3.nodes.find((n) => n.nodeId === ids[row as number]);
          assert.deepEqual([start, end], [sim?.startMs, sim?.endMs], `${ids[row as number]}`);
        }

        // Speeding up the critical path's longest node shortens the prediction.
        assert.ok(sim3.criticalPath.includes('train'));
        await page.selectOption('#wp-whatif-node', 'train');
        await page.selectOption('#wp-whatif-factor', '2');
        await wallChanged(page, three.wallMs);
        const faster = await shown(page, 3);
        const simFaster = whatIf(run, { slots: 3, speedup: new Map([['train', 2]]) });
        assert.equal(faster.wallMs, simFaster.wallMs);
        assert.ok(faster.wallMs < three.wallMs, `${faster.wallMs} < ${three.wallMs}`);
        assert.match(
          (await page.textContent('#sec-whatIf .wp-whatif-speedups')) ?? '',
          /train: 2× faster/,
        );
        await screenshot(page, `dashboard-whatif-${colorScheme}`);
        await page.locator('#sec-whatIf').screenshot({
          path: path.join(RESULTS_DIR, `dashboard-whatif-section-${colorScheme}.png`),
        });

        // A suggestion shows the report's predicted saving; "Show" replays exactly it.
        const queueing = o.page.locator('.wp-whatif-advice li', { hasText: 'maxParallel=' });
        const text = (await queueing.textContent()) ?? '';
        const saving = /Predicted saving ([\d.]+ m?s)/.exec(text)?.[1];
        assert.ok(saving, text);
        await queueing.getByRole('button', { name: 'Show' }).click();
        await wallChanged(page, faster.wallMs);
        const advised = await shown(page, 3);
        assert.equal(formatMs((run.wallMs ?? 0) - advised.wallMs), saving);
        assert.equal(
          await page.textContent('#sec-whatIf .wp-whatif-speedups'),
          '',
          'the suggestion is slots alone',
        );

        // Reset goes back to the run as recorded.
        await page.click('text=Reset to recorded');
        assert.equal((await shown(page, 1)).wallMs, recorded.wallMs);
        assertClean(o.watch);
      } finally {
        await o.close();
      }
    }
  },
);

test('standalone at 600 px: the section stays readable', { timeout: 60_000 }, async () => {
  const run = recordedRun();
  const html = standaloneDashboardHtml(snapshotWithWhatIf(run), assetsFor('dashboard'));
  for (const colorScheme of ['light', 'dark'] as const) {
    const o = await openStandalone(html, {
      browser,
      colorScheme,
      viewport: { width: 600, height: 900 },
    });
    try {
      await o.page.focus('#wp-whatif-slots');
      await o.page.keyboard.press('End');
      await shown(o.page, 8);
      const overflow = await o.page.evaluate(() => {
        const s = document.getElementById('sec-whatIf');
        return s ? s.scrollWidth - s.clientWidth : -1;
      });
      assert.equal(overflow, 0, 'nothing sticks out of the section');
      await screenshot(o.page, `dashboard-whatif-600-${colorScheme}`);
      await o.page.locator('#sec-whatIf').screenshot({
        path: path.join(RESULTS_DIR, `dashboard-whatif-600-section-${colorScheme}.png`),
      });
      assertClean(o.watch);
    } finally {
      await o.close();
    }
  }
});

test(
  'webview: the scenario is UI state, restored on reload; a live run says when it comes',
  {
    timeout: 60_000,
  },
  async () => {
    const run = recordedRun();
    const w = await openWebview('dashboard', {
      browser,
      state: { runId: run.id, whatIfSlots: 2, whatIfSpeedup: { train: 0 } },
    });
    try {
      await w.send({ type: 'snapshot', snapshot: snapshotWithWhatIf(run) });
      await waitRendered(w.page);
      const restored = await shown(w.page, 2);
      const sim = whatIf(run, { slots: 2, speedup: new Map([['train', Infinity]]) });
      assert.equal(restored.wallMs, sim.wallMs, 'train taking no time, on 2 slots');
      await w.page.focus('#wp-whatif-slots');
      await w.page.keyboard.press('ArrowRight');
      await shown(w.page, 3);
      const state = (await w.state()) as Record<string, unknown>;
      assert.deepEqual(state, { runId: run.id, whatIfSlots: 3, whatIfSpeedup: { train: 0 } });

      const live = structuredClone(run);
      live.status = 'running';
      live.wallMs = null;
      await w.send({ type: 'snapshot', snapshot: { ...snapshotOf(live), live: true } });
      await w.page.waitForSelector('#sec-whatIf .wp-notes >> text=once the run has finished');
      assert.equal(await w.page.isVisible('#wp-whatif-slots'), false);
      assert.deepEqual(w.watch.errors, []);
      assert.deepEqual(w.watch.violations, []);
    } finally {
      await w.close();
    }
  },
);
