/**
 * The walkthrough as a person meets it, in an empty folder: the Workflows view offers "Create a
 * Sample Workflow" and the walkthrough; the walkthrough lists its steps with their Markdown
 * media; its first button writes and opens the sample and ticks the step; its Run button runs
 * the sample and ticks the run step only once the run completed. Screenshots in test-results/.
 *
 *   node scripts/vscode/run-tests.mjs --trust --ui out/vscode-test/test/vscode/ui/walkthrough.ui.js
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  findWebviewFrame,
  openViewContainer,
  screenshot,
  waitForNotification,
  waitForWorkbench,
  type UiContext,
} from './workbench';

const RUN_TIMEOUT_MS = 60_000;
const TITLES = [
  'Create a sample workflow',
  'Run it',
  'Profile it',
  'Open the dashboard',
  'Run it again and compare',
];

/** The walkthrough page's row of one step (VS Code 1.100's DOM: button.getting-started-step). */
function step(page: Page, id: string): Locator {
  return page.locator(
    `.gettingStartedContainer button.getting-started-step[data-step-id$="#${id}"]`,
  );
}

/** The editor tab of the walkthrough ("Walkthrough: Workflow Profiler" in 1.100). */
function walkthroughTab(page: Page): Locator {
  return page.locator('.tabs-container .tab', { hasText: /Walkthrough|Welcome/ }).first();
}

async function waitChecked(page: Page, id: string, timeout = 20_000): Promise<void> {
  await page
    .locator(
      `.gettingStartedContainer button.getting-started-step[data-step-id$="#${id}"][aria-checked="true"]`,
    )
    .waitFor({ state: 'attached', timeout });
}

async function checked(page: Page, id: string): Promise<boolean> {
  return (await step(page, id).getAttribute('aria-checked')) === 'true';
}

export default async function walkthrough(page: Page, ctx: UiContext): Promise<void> {
  await waitForWorkbench(page);
  await openViewContainer(page, 'Workflow Profiler');

  // The empty Workflows view: the sample's button and the walkthrough's link.
  const welcome = page.locator('.pane-body .welcome-view-content').first();
  const createButton = welcome.locator('.monaco-button', { hasText: 'Create a Sample Workflow' });
  await createButton.waitFor({ state: 'visible', timeout: 30_000 });
  const walkLink = welcome.locator('a', { hasText: 'Get Started walkthrough' });
  await walkLink.waitFor({ state: 'visible' });
  ctx.log(`empty Workflows view: ${await screenshot(page, ctx, 'workflows-view-empty')}`);

  // The link opens the walkthrough on its first step.
  await walkLink.click();
  const container = page.locator('.gettingStartedContainer');
  await container
    .locator('h2, .category-title', { hasText: 'Get started with Workflow Profiler' })
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
  for (const t of TITLES) {
    await container.locator('h3.step-title', { hasText: t }).first().waitFor({ state: 'attached' });
  }
  // Trusted: the trust step is hidden.
  assert.equal(await step(page, 'trust').count(), 0, 'no trust step in a trusted workspace');
  // The first step's Markdown media renders in its own webview.
  const media = await findWebviewFrame(page, 'h1', 20_000);
  const heading = await media.locator('h1').first().innerText();
  assert.match(heading, /A sample pipeline/);
  assert.equal(await checked(page, 'createSample'), false);
  ctx.log(`walkthrough: ${await screenshot(page, ctx, 'walkthrough')}`);

  // Its button writes the sample, opens it, and ticks the step.
  await step(page, 'createSample')
    .locator('.monaco-button', { hasText: 'Create a Sample Workflow' })
    .click();
  const sampleFile = path.join(ctx.workspace, 'sample-pipeline.workflow.yaml');
  await page
    .locator('.tabs-container .tab', { hasText: 'sample-pipeline.workflow.yaml' })
    .waitFor({ state: 'visible', timeout: 20_000 });
  assert.ok(fs.existsSync(sampleFile), 'the sample is on disk');
  ctx.log(`sample opened: ${await screenshot(page, ctx, 'walkthrough-sample-opened')}`);
  await walkthroughTab(page).click();
  await waitChecked(page, 'createSample');
  assert.equal(await checked(page, 'run'), false);

  // The run step's button runs the sample (the only workflow here); ticked when it completed.
  await step(page, 'run').click();
  await step(page, 'run').locator('.monaco-button', { hasText: 'Run Workflow' }).click();
  await waitForNotification(page, /sample-pipeline completed/, RUN_TIMEOUT_MS);
  await walkthroughTab(page).click();
  await waitChecked(page, 'run');
  assert.equal(await checked(page, 'profile'), false, 'a plain run is not a profile');
  ctx.log(`run step ticked: ${await screenshot(page, ctx, 'walkthrough-run-ticked')}`);
}
