/**
 * Helpers for UI tests that drive the real VS Code workbench page (code-server in Chromium).
 * A UI script is a module whose default export is `(page, ctx) => Promise<void>`; the runner
 * (scripts/vscode/run-tests.mjs --ui SCRIPT) calls it once the workbench has loaded.
 *
 * Selectors are VS Code's own DOM classes of 1.100; they are not API, so they all live here,
 * in one place to fix when the pinned VS Code version moves.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

/** What the runner hands a UI script besides the page. */
export interface UiContext {
  /** http://127.0.0.1:PORT of the code-server instance. */
  baseUrl: string;
  /** The folder the workbench has open. */
  workspace: string;
  /** extensionDevelopmentPath. */
  extensionPath: string;
  userDataDir: string;
  screenshotDir: string;
  /** Whether the runner opened the workspace trusted (--trust) or in Restricted Mode. */
  trusted: boolean;
  log(message: string): void;
}

export type UiScript = (page: Page, ctx: UiContext) => Promise<void>;

/** Long enough for a cold extension activation on a loaded CI machine. */
export const DEFAULT_TIMEOUT_MS = 20_000;

type TextMatch = string | RegExp;

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');

/** Waits until the workbench has its status bar, i.e. the layout is up. */
export async function waitForWorkbench(page: Page, timeout = DEFAULT_TIMEOUT_MS): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
}

/** Opens the command palette with F1 and returns its input box (prefilled with '>'). */
export async function openCommandPalette(
  page: Page,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Locator> {
  await waitForWorkbench(page, timeout);
  const input = quickInput(page).locator('input.input');
  // Keys typed while a webview (a panel, a Markdown preview) has focus stay in its iframe:
  // give the focus back to the workbench first, by clicking the side bar's title.
  const sideTitle = page.locator('.part.sidebar .composite.title').first();
  if (await sideTitle.isVisible()) await sideTitle.click();
  // F1 reaches the workbench's keybinding service, unlike Ctrl+Shift+P which the browser may
  // claim for itself.
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout });
  return input;
}

/** The palette row whose label is exactly `label` (e.g. 'Workflow Profiler: Ping'). */
function paletteRow(page: Page, label: string): Locator {
  return quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact(label) }) });
}

/** Runs a command through the palette by its full label, as a user would. */
export async function runCommand(
  page: Page,
  label: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const input = await openCommandPalette(page, timeout);
  await input.fill(`>${label}`);
  const row = paletteRow(page, label).first();
  await row.waitFor({ state: 'visible', timeout });
  // Clicking the exact row, not Enter on the first one: the palette ranks recently used
  // commands first, so the first row depends on history.
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden', timeout });
}

/**
 * Whether the palette offers a command (its `when` clause holds). There is no "done filtering"
 * marker to wait for (a near miss lists "similar commands" instead of "No matching commands"),
 * so it waits until the rows stop changing.
 */
export async function paletteHasCommand(
  page: Page,
  label: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<boolean> {
  const input = await openCommandPalette(page, timeout);
  await input.fill(`>${label}`);
  const rows = quickInput(page).locator('.monaco-list-row .label-name');
  const none = quickInput(page).getByText(/No matching commands/i);
  await rows.first().or(none).first().waitFor({ state: 'visible', timeout });
  const labels = await settled(() => rows.allInnerTexts(), timeout);
  await page.keyboard.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden', timeout });
  return labels.some((l) => l.trim() === label);
}

/** Polls `read` until two reads 300 ms apart agree. */
async function settled(read: () => Promise<string[]>, timeout: number): Promise<string[]> {
  const deadline = Date.now() + timeout;
  let last = JSON.stringify(await read());
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await read();
    if (JSON.stringify(now) === last || Date.now() > deadline) return now;
    last = JSON.stringify(now);
  }
}

/** Waits for a notification toast containing `text`; returns it (e.g. to click its buttons). */
export async function waitForNotification(
  page: Page,
  text: TextMatch,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Locator> {
  const toast = page
    .locator('.notifications-toasts .notification-toast', { hasText: text })
    .first();
  await toast.waitFor({ state: 'visible', timeout });
  return toast;
}

/** Waits for a status bar item containing `text` (its visible label, codicons excluded). */
export async function waitForStatusBarItem(
  page: Page,
  text: TextMatch,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Locator> {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout });
  return item;
}

/**
 * Trusts the open folder the way a user does (Manage Workspace Trust, then Trust), for tests
 * that start in Restricted Mode (--no-trust) and check what changes once trust is granted.
 */
export async function grantWorkspaceTrust(page: Page, timeout = DEFAULT_TIMEOUT_MS): Promise<void> {
  await runCommand(page, 'Workspaces: Manage Workspace Trust', timeout);
  const editor = page.locator('.workspace-trust-editor');
  await editor
    .locator('.workspace-trust-buttons .monaco-button', { hasText: exact('Trust') })
    .first()
    .click({ timeout });
  await page
    .locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' })
    .waitFor({ state: 'hidden', timeout });
}

/** Opens a view container from the activity bar by its title (e.g. 'Workflow Profiler'). */
export async function openViewContainer(
  page: Page,
  title: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const item = page
    .locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`)
    .first();
  await item.click({ timeout });
  await page
    .locator('.part.sidebar .composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') })
    .waitFor({ state: 'visible', timeout });
}

/** Waits for a tree or list row in any view (side bar or panel) containing `text`. */
export async function waitForTreeItem(
  page: Page,
  text: TextMatch,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Locator> {
  const row = page.locator('.pane-body .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  return row;
}

/**
 * Finds the frame holding a webview's HTML. Each webview is an iframe (index.html?id=…) whose
 * own inner iframe (fake.html?id=…) holds the extension's document; `selector`, if given, must
 * match inside it, which tells webviews apart and waits for the content to render.
 */
export async function findWebviewFrame(
  page: Page,
  selector?: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('fake.html?id=')) continue;
      if (
        !selector ||
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    if (Date.now() > deadline) {
      const urls = page.frames().map((f) => f.url());
      throw new Error(
        `no webview frame${selector ? ` with ${selector}` : ''} after ${timeout} ms; frames: ${urls.join(', ')}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/**
 * The frame of a Markdown preview (the built-in markdown-language-features extension) once its
 * rendered text includes `text`. The preview's tab appears seconds before its content: the first
 * preview activates that extension, then its webview loads and renders, about 5 s on a busy
 * 2-core machine, so a screenshot taken on the tab title alone shows an empty editor.
 */
export async function findMarkdownPreview(
  page: Page,
  text: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<Frame> {
  const started = Date.now();
  // The preview's rendered Markdown lives in `.markdown-body` of its webview document.
  const frame = await findWebviewFrame(page, '.markdown-body', timeout);
  await frame.waitForFunction(
    (wanted) => document.querySelector<HTMLElement>('.markdown-body')?.innerText.includes(wanted),
    text,
    { timeout: Math.max(1000, timeout - (Date.now() - started)) },
  );
  return frame;
}

/** Screenshot of the whole window into the run's screenshot folder; returns the file path. */
export async function screenshot(
  page: Page,
  ctx: Pick<UiContext, 'screenshotDir'>,
  name: string,
): Promise<string> {
  fs.mkdirSync(ctx.screenshotDir, { recursive: true });
  const file = path.join(ctx.screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Finished animations (a toast sliding in), so the same state gives the same picture.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

function exact(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until the palette offers a command: right after the workbench loads, the extension's
 * contributions may not be registered yet.
 */
export async function waitForCommand(page: Page, label: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await paletteHasCommand(page, label))) {
    if (Date.now() > deadline) throw new Error(`the palette never offered "${label}"`);
    await page.waitForTimeout(500);
  }
}

/** Opens a workspace file through Quick Open (the palette without its `>`), as a user would. */
export async function openFile(
  page: Page,
  fileName: string,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const input = await openCommandPalette(page, timeout);
  await input.fill(fileName);
  const row = quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact(fileName) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden', timeout });
  await page.locator('.tab', { hasText: fileName }).first().waitFor({ state: 'visible', timeout });
}

/** The editor's CodeLens lines, once one matching `text` is drawn; returns every line's text. */
export async function waitForCodeLens(
  page: Page,
  text: TextMatch,
  timeout = DEFAULT_TIMEOUT_MS,
): Promise<string[]> {
  const lenses = page.locator('.monaco-editor .codelens-decoration');
  await lenses.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  return (await lenses.allInnerTexts()).map((t) => t.trim());
}
