/// <reference lib="dom" />
/**
 * The compare page in Chromium: standalone (light and dark screenshots) and as a panel with a
 * fake VS Code API (ready → snapshot → rendered, choosers ask for other sides, run points open
 * dashboards), on a series-against-series payload with every verdict.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { CompareSnapshot } from '../../src/protocol/compare';
import { standaloneCompareHtml } from '../../src/report/webviewHtml';
import { RICH, XSS } from '../helpers/chartFixtures';
import { comparison } from '../helpers/compareFixture';
import {
  assetsFor,
  chartInk,
  launchBrowser,
  pixelAt,
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

const verdictOf = (s: CompareSnapshot, v: string): string[] =>
  s.stats.nodes.filter((n) => n.metrics.durationMs?.verdict === v).map((n) => n.nodeId);

test(
  'the compare page draws verdict badges, error bars and an undecided row, in light and dark',
  { timeout: 60_000 },
  async () => {
    const snapshot = comparison();
    const regressed = verdictOf(snapshot, 'regressed');
    const improved = verdictOf(snapshot, 'improved');
    assert.equal(regressed.length, 1, `regressed: ${regressed.join()}`);
    assert.equal(improved.length, 1, `improved: ${improved.join()}`);
    assert.ok(verdictOf(snapshot, 'insufficient').length >= 1);
    const html = standaloneCompareHtml(snapshot, assetsFor('compare'));
    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await openStandalone(html, { browser, colorScheme });
      try {
        assert.deepEqual(o.rendered.charts, ['deltas', 'sideBySide', 'trend']);
        const ink = await chartInk(o.page);
        for (const id of o.rendered.charts) assert.ok((ink[id] ?? 0) > 1500, `${id}: ${ink[id]}`);
        const text = await o.page.evaluate(() => document.body.innerText);
        assert.ok(text.includes(XSS) && text.includes(RICH));
        assert.match(text, /Verdict: regressed: /);
        assert.match(text, /run 1 more time to decide/);
        assert.match(
          text,
          /series-20250101-020000-000-aaaa: 5 measured runs; 1 warm-up run left out/,
        );
        assert.match(text, /Benjamini–Hochberg/);
        // Badges: one per node × metric in the table, and the flagged ones in the header.
        const badges = await o.page.evaluate(() =>
          Array.from(document.querySelectorAll('.wp-table .wp-verdict')).map((b) => b.className),
        );
        assert.equal(badges.length, snapshot.stats.nodes.length * snapshot.stats.metrics.length);
        for (const v of ['regressed', 'improved', 'unchanged', 'insufficient'])
          assert.ok(
            badges.some((c) => c.includes(`verdict-${v}`)),
            v,
          );
        const badgeColor = (v: string) =>
          o.page.evaluate(
            (v) =>
              getComputedStyle(document.querySelector(`.wp-table .verdict-${v}`) as Element).color,
            v,
          );
        assert.notEqual(await badgeColor('regressed'), await badgeColor('improved'));
        // The error bar of the regressed node is drawn: its interval's ends hold ink.
        const row = snapshot.stats.nodes.find((n) => n.nodeId === regressed[0]);
        const d = row?.metrics.durationMs;
        assert.ok(d?.low != null && d.high != null);
        const ranked = 0; // regressed first
        const mid = ((d.low + d.high) / 2) * 100;
        const px = await pixelAt(o.page, 'deltas', { seriesIndex: 1 }, [mid, ranked]);
        assert.ok(px[3] > 0, `whisker ink at ${mid}%: ${px.join()}`);
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
  'as a panel: ready, snapshot, state keeps the sides, choosers offer series, errors keep the page',
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
        baseline: snapshot.baseline.spec,
        candidate: snapshot.candidate.spec,
      });
      // Choosing a metric is UI state.
      await w.page.selectOption('#sec-deltas select', 'peakRssBytes');
      assert.equal(((await w.state()) as { metric?: string }).metric, 'peakRssBytes');
      // The choosers offer the series (with their run counts) and the single runs.
      const options = await w.page.evaluate(() =>
        Array.from(document.querySelectorAll('select[aria-label="Baseline"] option')).map(
          (o) => o.textContent ?? '',
        ),
      );
      assert.ok(
        options.some((o) =>
          /^series series-20250106-020000-000-bbbb · 5 runs \(\+1 warm-up\)/.test(o),
        ),
        options.join('\n'),
      );
      assert.ok(options.some((o) => o.startsWith('run ')));
      await w.page.selectOption('select[aria-label="Candidate"]', snapshot.choices[2]?.spec ?? '');
      assert.deepEqual((await w.posted()).at(-1), {
        type: 'choose',
        baseline: snapshot.baseline.spec,
        candidate: snapshot.choices[2]?.spec,
      });
      // The host could not compare them: the page says so and keeps what it showed.
      await w.send({ type: 'error', message: `Cannot compare: no runs of series ${XSS}` });
      await w.page.waitForFunction(() => document.querySelector('[role="alert"]')?.textContent);
      assert.equal(
        await w.page.evaluate(() => document.querySelector('[role="alert"]')?.textContent),
        `Cannot compare: no runs of series ${XSS}`,
      );
      assert.equal(
        await w.page.evaluate(
          () =>
            (document.querySelector('select[aria-label="Candidate"]') as HTMLSelectElement).value,
        ),
        snapshot.candidate.spec,
      );
      await w.page.click('button:has-text("Open Report")');
      assert.deepEqual((await w.posted()).at(-1), { type: 'openReport' });
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
