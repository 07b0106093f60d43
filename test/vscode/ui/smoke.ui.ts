/**
 * UI smoke test: drives the workbench like a user. Run with
 *   node scripts/vscode/run-tests.mjs --ui out/vscode-test/test/vscode/ui/smoke.ui.js [--no-trust]
 * It checks that the palette follows workspace trust (Run Workflow is `when: isWorkspaceTrusted`),
 * also after trust is granted in the UI, and that a command of the extension runs and shows its
 * notification.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  grantWorkspaceTrust,
  paletteHasCommand,
  runCommand,
  screenshot,
  waitForNotification,
  waitForStatusBarItem,
  waitForWorkbench,
  type UiContext,
} from './workbench';

export default async function smoke(page: Page, ctx: UiContext): Promise<void> {
  await waitForWorkbench(page);

  if (!ctx.trusted) {
    await waitForStatusBarItem(page, 'Restricted Mode');
    ctx.log('status bar shows Restricted Mode');
  }
  const offersRun = await paletteHasCommand(page, 'Workflow Profiler: Run Workflow');
  assert.equal(offersRun, ctx.trusted, `palette ${offersRun ? 'offers' : 'hides'} Run Workflow`);
  ctx.log(`palette ${offersRun ? 'offers' : 'hides'} "Workflow Profiler: Run Workflow"`);

  if (!ctx.trusted) {
    await grantWorkspaceTrust(page);
    assert.equal(await paletteHasCommand(page, 'Workflow Profiler: Run Workflow'), true);
    ctx.log('after granting trust the palette offers Run Workflow');
  }

  await runCommand(page, 'Workflow Profiler: Ping');
  const toast = await waitForNotification(page, /Workflow Profiler \S+ is active/);
  ctx.log(`notification: ${(await toast.innerText()).split('\n')[0]}`);
  ctx.log(
    `screenshot: ${await screenshot(page, ctx, `ui-smoke-${ctx.trusted ? 'trusted' : 'untrusted'}`)}`,
  );
}
