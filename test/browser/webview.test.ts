/// <reference lib="dom" />
/**
 * The dashboard as VS Code serves it (webviewHtml, nonce CSP) with a fake acquireVsCodeApi: it
 * says `ready`, draws the snapshot, follows a live run's updates (bars grow, new nodes appear,
 * the status line counts), reports clicks as revealNode, keeps UI state, and redraws when the
 * theme changes to high contrast.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DashboardSnapshot } from '../../src/protocol/dashboard';
import { emptyTaskRun } from '../../src/model/run';
import { makeRun, MiB, ran, samplesOf } from '../helpers/makeRun';
import {
  launchBrowser,
  openWebview,
  pixelAt,
  pointOnPage,
  requireBundles,
  screenshot,
  waitRendered,
} from './harness';

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

type Charts = Record<
  string,
  { getOption(): Record<string, { data?: string[]; axisLabel?: { color?: unknown } }[]> }
>;

const yCategories = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const c = (window as unknown as { __wpCharts: Charts }).__wpCharts;
    return c['timeline']?.getOption()['yAxis']?.[0]?.data ?? [];
  });

function liveSnapshot(): DashboardSnapshot {
  const startedAt = new Date(Date.now() - 2000).toISOString();
  const run = makeRun(
    [
      ran('extract', 0, 600, {
        cpuPercent: 40,
        cpuTimeMs: 240,
        peakRssBytes: 30 * MiB,
        custom: { rows: 10 },
      }),
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
      ...samplesOf('transform', 700, 1500, 80 * MiB, 95),
    ],
    plan: [
      { nodeId: 'extract', type: 'shell', needs: [], parentId: null },
      { nodeId: 'transform', type: 'python', needs: ['extract'], parentId: null },
      { nodeId: 'archive', type: 'workflow', needs: ['transform'], parentId: null },
      { nodeId: 'load', type: 'node', needs: ['archive'], parentId: null },
    ],
    live: true,
    customHistory: [],
    sentAt: Date.now(),
  };
}

test(
  'a live run: ready, snapshot, updates add nodes and count, clicks reveal, theme redraws',
  { timeout: 60_000 },
  async () => {
    const w = await openWebview('dashboard', { browser });
    const page = w.page;
    try {
      await page.waitForFunction(() =>
        (window as unknown as { __hostPosted: { type: string }[] }).__hostPosted.some(
          (m) => m.type === 'ready',
        ),
      );
      const snap = liveSnapshot();
      await w.send({ type: 'snapshot', snapshot: snap });
      const rendered = await waitRendered(page);
      assert.ok(rendered.charts.includes('timeline'));
      assert.match(
        (await page.textContent('.wp-status')) ?? '',
        /^running · 1 of 4 nodes done · 1 running · 3 left · \d/,
      );
      assert.deepEqual(await yCategories(page), ['extract', 'transform', 'archive', 'load']);
      assert.deepEqual(await w.state(), { runId: snap.run.id });

      // The running bar grows with the clock between updates.
      const barEnd = (): Promise<number> =>
        page.evaluate(() => {
          const c = (
            window as unknown as {
              __wpCharts: Record<string, { getOption(): { series: { data: number[][] }[] } }>;
            }
          ).__wpCharts;
          const bars = c['timeline']?.getOption().series[2]?.data ?? [];
          return Math.max(...bars.filter((d) => d[0] === 1).map((d) => d[2] ?? 0));
        });
      const first = await barEnd();
      await page.waitForTimeout(700);
      assert.ok((await barEnd()) > first, 'the running bar grew');

      // An update: transform finishes, the nested workflow starts with a node the plan did not list.
      const now = Date.now();
      await w.send({
        type: 'update',
        update: {
          runId: snap.run.id,
          status: 'running',
          wallMs: null,
          endedAt: null,
          tasks: [
            ran('transform', 610, 1200, {
              type: 'python',
              needs: ['extract'],
              cpuPercent: 97,
              cpuTimeMs: 1164,
              peakRssBytes: 80 * MiB,
            }),
            emptyTaskRun('archive', 'workflow', {
              status: 'running',
              readyAtMs: 1810,
              startMs: 1811,
              waitMs: 1,
            }),
            emptyTaskRun('archive/pack', 'shell', {
              status: 'running',
              readyAtMs: 1812,
              startMs: 1812,
              waitMs: 0,
              parentId: 'archive',
            }),
          ],
          samples: samplesOf('archive/pack', 1850, 1950, 12 * MiB, 90),
          sentAt: now,
        },
      });
      await page.waitForFunction(() =>
        /2 of 5 nodes done/.test(document.querySelector('.wp-status')?.textContent ?? ''),
      );
      assert.match(
        (await page.textContent('.wp-status')) ?? '',
        /running · 2 of 5 nodes done · 2 running · 3 left/,
      );
      assert.ok((await yCategories(page)).includes('archive/pack'), 'the new node has a row');
      // transform drew n/a while running; now it has bars (ECharts must not keep the old element).
      await page.waitForTimeout(400);
      const bar = await pixelAt(page, 'resources', { xAxisIndex: 0, yAxisIndex: 0 }, [
        300,
        'transform',
      ]);
      assert.ok(
        bar[3] > 0 && bar[2] > bar[0],
        `transform's duration bar is drawn in blue: ${bar.join(',')}`,
      );
      assert.ok((await page.evaluate(() => document.body.innerText)).includes('archive/pack'));

      // Clicking a bar reveals its node.
      const p = await pointOnPage(page, 'timeline', { xAxisIndex: 0, yAxisIndex: 0 }, [300, 0]);
      await page.mouse.click(p.x, p.y);
      assert.deepEqual((await w.posted()).at(-1), { type: 'revealNode', nodeId: 'extract' });
      // And so does a row of the node table.
      await page.click('#sec-resources .wp-table .wp-link >> text=transform');
      assert.deepEqual((await w.posted()).at(-1), { type: 'revealNode', nodeId: 'transform' });
      // Sorting is UI state.
      await page.selectOption('#sec-resources select', 'cpuPercent');
      assert.equal(((await w.state()) as { sortBy?: string }).sortBy, 'cpuPercent');
      // focusNode from the host scrolls to the row.
      await w.send({ type: 'focusNode', nodeId: 'load' });

      // The theme changes to high contrast: VS Code flips the body class and the variables.
      await page.evaluate(() => {
        const root = document.documentElement.style;
        const vars: Record<string, string> = {
          '--vscode-editor-background': '#000000',
          '--vscode-editor-foreground': '#ffffff',
          '--vscode-foreground': '#ffffff',
          '--vscode-descriptionForeground': '#ffffff',
          '--vscode-charts-lines': '#ffffff',
          '--vscode-contrastBorder': '#6fc3df',
          '--vscode-charts-green': '#89d185',
          '--vscode-charts-blue': '#3794ff',
          '--vscode-widget-border': '#6fc3df',
        };
        for (const [k, v] of Object.entries(vars)) root.setProperty(k, v);
        document.body.classList.add('vscode-high-contrast');
        document.body.setAttribute('data-vscode-theme-kind', 'vscode-high-contrast');
      });
      await page.waitForFunction(() => {
        const c = (window as unknown as { __wpCharts: Charts }).__wpCharts;
        return c['timeline']?.getOption()['xAxis']?.[0]?.axisLabel?.color === '#ffffff';
      });
      await screenshot(page, 'dashboard-webview-high-contrast');

      // The run ends: a final update, then the host's last snapshot.
      await w.send({
        type: 'update',
        update: {
          runId: snap.run.id,
          status: 'completed',
          wallMs: 2500,
          endedAt: new Date().toISOString(),
          tasks: [
            ran('archive/pack', 1812, 300, { parentId: 'archive' }),
            ran('archive', 1811, 400, { type: 'workflow' }),
            ran('load', 2220, 250, { type: 'node', needs: ['archive'] }),
          ],
          samples: [],
          sentAt: Date.now(),
        },
      });
      await page.waitForFunction(() =>
        /^completed · 5 of 5 nodes done/.test(
          document.querySelector('.wp-status')?.textContent ?? '',
        ),
      );
      assert.deepEqual(w.watch.errors, []);
      assert.deepEqual(w.watch.violations, []);
      assert.deepEqual(w.watch.requests, []);
      assert.deepEqual(w.watch.dialogs, []);
    } finally {
      await w.close();
    }
  },
);

test(
  'a restored panel keeps its UI state: the sort and zoom it had',
  { timeout: 30_000 },
  async () => {
    const snap = liveSnapshot();
    snap.live = false;
    const w = await openWebview('dashboard', {
      browser,
      state: {
        runId: snap.run.id,
        sortBy: 'peakRssBytes',
        sortDescending: false,
        zoom: [10, 60],
        radarBy: 'tag',
      },
    });
    try {
      await w.send({ type: 'snapshot', snapshot: snap });
      await waitRendered(w.page);
      assert.equal(await w.page.inputValue('#sec-resources select'), 'peakRssBytes');
      assert.equal(await w.page.inputValue('#sec-radar select'), 'tag');
      const zoom = await w.page.evaluate(() => {
        const c = (
          window as unknown as {
            __wpCharts: Record<
              string,
              { getOption(): { dataZoom: { start: number; end: number }[] } }
            >;
          }
        ).__wpCharts;
        const z = c['timeline']?.getOption().dataZoom[0];
        return [z?.start, z?.end];
      });
      assert.deepEqual(zoom, [10, 60]);
      assert.deepEqual(w.watch.errors, []);
    } finally {
      await w.close();
    }
  },
);
