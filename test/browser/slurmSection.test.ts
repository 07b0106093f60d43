/// <reference lib="dom" />
/**
 * The dashboard's "Requested against used (Slurm)" section in Chromium: a run of Slurm jobs
 * shows each job's host, efficiencies and flags; a run without any shows a note instead.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { standaloneDashboardHtml } from '../../src/report/webviewHtml';
import { emptyTaskRun, type TaskRun } from '../../src/model/run';
import { snapshotOf } from '../helpers/chartFixtures';
import { makeRun, MiB } from '../helpers/makeRun';
import { assetsFor, launchBrowser, openStandalone, requireBundles, screenshot } from './harness';

let browser: Browser;
before(async () => {
  requireBundles();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function slurmTask(nodeId: string, jobId: string): TaskRun {
  return emptyTaskRun(nodeId, 'shell', {
    status: 'completed',
    startMs: 100,
    endMs: 1100,
    durationMs: 1000,
    cpuTimeMs: 950,
    peakRssBytes: 300 * MiB,
    slurmQueueMs: 640,
    slurm: {
      jobId,
      host: 'node-7',
      requested: { cpus: 1, memoryBytes: 2048 * MiB, timeLimitMs: 60_000 },
      submittedAt: '2025-01-01T12:00:00.000Z',
      submittedAtMs: 0,
      state: 'COMPLETED',
      slurmReason: null,
    },
  });
}

async function sectionText(run: ReturnType<typeof makeRun>): Promise<string> {
  const html = standaloneDashboardHtml(snapshotOf(run), assetsFor('dashboard'));
  const o = await openStandalone(html, { browser });
  try {
    assert.deepEqual(o.watch.errors, [], 'console errors');
    const text = await o.page.evaluate(() => {
      const heading = Array.from(document.querySelectorAll('h2')).find((e) =>
        (e.textContent ?? '').includes('Requested against used'),
      );
      return heading?.closest('section')?.innerText ?? '';
    });
    if (run.tasks.some((t) => t.slurm)) await screenshot(o.page, 'dashboard-slurm');
    return text;
  } finally {
    await o.close();
  }
}

test('a Slurm run: job, host, queue, efficiencies and the over-requested memory flag', async () => {
  const text = await sectionText(
    makeRun([slurmTask('hold', '41'), slurmTask('burn', '42')], { runtime: 'slurm' }),
  );
  assert.match(text, /hold\s+41\s+node-7\s+640(\.0)? ms\s+95 %\s+15 %\s+2 %/);
  assert.match(text, /memory over-requested: peak is 15 % of the request/);
  assert.doesNotMatch(text, /No node ran as a Slurm job/);
});

test('a run without Slurm jobs says so instead of an empty table', async () => {
  const text = await sectionText(makeRun([emptyTaskRun('a', 'shell', { status: 'completed' })]));
  assert.match(text, /No node ran as a Slurm job/);
});
