/// <reference lib="dom" />
/**
 * The live dashboard's header while a node runs (issue 11, item 6): the wall and CPU figures
 * include the running node's time and CPU so far, the critical path says "so far"; after the
 * final update the figures are the finished run's and "so far" is gone. Screenshots of both.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DashboardSnapshot } from '../../src/protocol/dashboard';
import { emptyTaskRun } from '../../src/model/run';
import { makeRun, MiB, ran, samplesOf } from '../helpers/makeRun';
import { launchBrowser, openWebview, requireBundles, screenshot, waitRendered } from './harness';

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** extract done (240 ms CPU); transform running for about 2.4 s at 90 % of a core. */
function runningSnapshot(): DashboardSnapshot {
  const startedAt = new Date(Date.now() - 3000).toISOString();
  const run = makeRun(
    [
      ran('extract', 0, 600, { cpuPercent: 40, cpuTimeMs: 240, peakRssBytes: 30 * MiB }),
      emptyTaskRun('transform', 'python', {
        status: 'running',
        readyAtMs: 600,
        startMs: 610,
        waitMs: 10,
        needs: ['extract'],
      }),
    ],
    { status: 'running', wallMs: null, endedAt: null, startedAt, profile: true },
  );
  return {
    run,
    samples: [
      ...samplesOf('extract', 0, 600, 30 * MiB, 40),
      ...samplesOf('transform', 700, 2900, 80 * MiB, 90),
    ],
    plan: [
      { nodeId: 'extract', type: 'shell', needs: [], parentId: null },
      { nodeId: 'transform', type: 'python', needs: ['extract'], parentId: null },
    ],
    live: true,
    customHistory: [],
    sentAt: Date.now(),
  };
}

/** The header's figures, label → value. */
function figures(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const f of Array.from(document.querySelectorAll('.wp-figure'))) {
      out[f.querySelector('dt')?.textContent ?? '?'] = f.querySelector('dd')?.textContent ?? '';
    }
    return out;
  });
}

/** `3.380 s` or `950.2 ms` (and `3.370 s · 100%`) in milliseconds. */
function ms(text: string | undefined): number {
  const m = /^(-?[\d.]+) (s|ms)/.exec(text ?? '');
  assert.ok(m, `a time: ${text}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

test(
  'while a node runs the header counts its time and CPU so far, then shows the final figures',
  { timeout: 60_000 },
  async () => {
    const w = await openWebview('dashboard', { browser, colorScheme: 'light' });
    const page = w.page;
    try {
      const snap = runningSnapshot();
      await w.send({ type: 'snapshot', snapshot: snap });
      await waitRendered(page);
      const live = await figures(page);
      // About 3 s since the start; transform alone has run for about 2.4 s of it.
      assert.ok(ms(live['Wall time']) >= 3000, `wall ${live['Wall time']}`);
      // extract's 240 ms + transform's samples so far (90 % over 2.29 s: about 2.06 s).
      assert.ok(ms(live['CPU time']) >= 2000, `CPU ${live['CPU time']} includes transform's`);
      assert.ok('Critical path so far' in live, `labels: ${Object.keys(live).join(', ')}`);
      assert.ok(!('Critical path' in live));
      assert.ok(
        ms(live['Critical path so far']) >= 600 + 2300,
        `critical path ${live['Critical path so far']} includes transform's time so far`,
      );
      const detail = await page.getAttribute('.wp-figure:last-child', 'title');
      assert.match(detail ?? '', /extract → transform/);
      // The clock moves on: the wall time and the running node's part grow between updates.
      await page.waitForTimeout(1200);
      const later = await figures(page);
      assert.ok(ms(later['Wall time']) > ms(live['Wall time']), 'the wall time grew');
      assert.ok(
        ms(later['Critical path so far']) > ms(live['Critical path so far']),
        'the critical path grew with the running node',
      );
      await screenshot(page, 'dashboard-live-header-running');

      // The final update: transform ended at 3.9 s with 3 s of CPU; the run at 4 s.
      await w.send({
        type: 'update',
        update: {
          runId: snap.run.id,
          status: 'completed',
          wallMs: 4000,
          endedAt: new Date().toISOString(),
          tasks: [
            ran('transform', 610, 3290, {
              type: 'python',
              needs: ['extract'],
              readyAtMs: 600,
              waitMs: 10,
              cpuPercent: 91.2,
              cpuTimeMs: 3000,
              peakRssBytes: 80 * MiB,
            }),
          ],
          samples: [],
          sentAt: Date.now(),
        },
      });
      await page.waitForFunction(
        () => document.querySelector('.wp-badge')?.textContent === 'completed',
      );
      await page.waitForFunction(() => !document.body.innerText.includes('so far'));
      const done = await figures(page);
      assert.equal(done['Wall time'], '4.000 s');
      assert.equal(done['CPU time'], '3.240 s');
      assert.equal(done['Critical path'], '3.890 s · 97%');
      assert.ok(!Object.keys(done).some((k) => k.includes('so far')));
      await screenshot(page, 'dashboard-live-header-final');
      assert.deepEqual(w.watch.errors, []);
      assert.deepEqual(w.watch.violations, []);
      assert.deepEqual(w.watch.requests, []);
    } finally {
      await w.close();
    }
  },
);
