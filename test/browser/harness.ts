/// <reference lib="dom" />
/**
 * Drives the webviews in a real Chromium (playwright-core, the system's browser): standalone
 * pages served from a fake origin, webview pages with a fake `acquireVsCodeApi`, and what a test
 * or the benchmark needs to judge them (the `rendered` signal, pixels drawn per chart, console
 * errors, CSP violations, dialogs, network attempts, screenshots, bundle sizes).
 *
 * The benchmark imports the compiled form, out/test/browser/harness.js.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../src/report/webviewHtml';
import { distDir, repoRoot } from '../helpers/paths';

/** Names the system's Chromium goes by on PATH (Debian's package installs `chromium`). */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];
export const RESULTS_DIR = path.join(repoRoot, 'test-results', 'browser');
export const WEBVIEW_DIR = path.join(distDir, 'webview');
/** Pages are served from this origin by request interception: nothing touches the network. */
export const ORIGIN = 'https://webview.test';

/** The browser, or an error saying what to install (never a skipped test). */
export function requireChromium(): string {
  const fromEnv = process.env['WP_CHROMIUM'];
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    throw new Error(`WP_CHROMIUM is ${fromEnv}, which does not exist`);
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    for (const name of CHROMIUM_NAMES) {
      const file = path.join(dir, name);
      if (dir !== '' && fs.existsSync(file)) return file;
    }
  }
  throw new Error(
    'Chromium was not found on PATH: the webview tests need a real browser. Install the Debian ' +
      'package `chromium` (apt-get install chromium), or set WP_CHROMIUM to a Chromium binary.',
  );
}

export function requireBundles(): void {
  for (const f of ['dashboard.js', 'compare.js']) {
    if (!fs.existsSync(path.join(WEBVIEW_DIR, f))) {
      throw new Error(`${path.join(WEBVIEW_DIR, f)} is missing: run \`npm run build\` first`);
    }
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    args: ['--no-sandbox', '--disable-gpu'],
  });
}

/** What a page did that a test may forbid. */
export interface PageWatch {
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** securitypolicyviolation events: directive and what was blocked. */
  violations: string[];
  /** alert/confirm/prompt dialogs (dismissed). */
  dialogs: string[];
  /** Requests outside the served pages and bundles (aborted). */
  requests: string[];
}

export interface Rendered {
  ms: number;
  charts: string[];
  runId?: string;
  phases?: Record<string, number>;
}

export interface OpenOptions {
  /** Reuse a browser (the caller closes it); else one is launched and closed with the page. */
  browser?: Browser;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  timeoutMs?: number;
  /** A script run before the page's own (e.g. to hold back its idle callbacks). */
  initScript?: string;
  /**
   * What openStandalone waits for: every chart drawn (the default), or only the dashboard's
   * first screen (then `rendered` is that signal too).
   */
  waitFor?: 'every chart' | 'first screen';
}

export interface OpenedPage {
  browser: Browser;
  page: Page;
  watch: PageWatch;
  /** The page's own measure: snapshot received (or script start) to every chart drawn. */
  rendered: Rendered;
  /**
   * Snapshot received to the first screen drawn (the charts in view, the page interactive);
   * null for a page that draws every chart at once (the compare panel).
   */
  firstScreen: Rendered | null;
  /** Navigation start to the rendered signal, as a user waits for it. */
  loadMs: number;
  close(): Promise<void>;
}

const WATCH_SCRIPT = `
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__wpViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sample || '') + ')');
  });
`;

async function preparePage(
  opts: OpenOptions,
  files: Record<string, { body: string | Buffer; type: string }>,
): Promise<{ browser: Browser; page: Page; watch: PageWatch; own: boolean }> {
  const own = !opts.browser;
  const browser = opts.browser ?? (await launchBrowser());
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const watch: PageWatch = { errors: [], violations: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(m.text());
  });
  page.on('pageerror', (e) => watch.errors.push(`${e.name}: ${e.message}`));
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.exposeBinding('__wpViolation', (_source, v: string) => {
    watch.violations.push(v);
  });
  await page.addInitScript(WATCH_SCRIPT);
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    if (file) return route.fulfill({ status: 200, contentType: file.type, body: file.body });
    watch.requests.push(route.request().url());
    return route.abort();
  });
  return { browser, page, watch, own };
}

export async function waitRendered(page: Page, timeoutMs = 30_000): Promise<Rendered> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __wpRendered?: unknown }).__wpRendered,
    null,
    { timeout: timeoutMs, polling: 20 },
  );
  return (await handle.jsonValue()) as Rendered;
}

/** Waits for the dashboard's first screen: the charts in view drawn (window.__wpFirstScreen). */
export async function waitFirstScreen(page: Page, timeoutMs = 30_000): Promise<Rendered> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __wpFirstScreen?: unknown }).__wpFirstScreen,
    null,
    { timeout: timeoutMs, polling: 20 },
  );
  return (await handle.jsonValue()) as Rendered;
}

/** Opens a standalone page (from standaloneDashboardHtml or standaloneCompareHtml) and waits for it. */
export async function openStandalone(html: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const { browser, page, watch, own } = await preparePage(opts, {
    '/index.html': { body: html, type: 'text/html; charset=utf-8' },
  });
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/index.html`);
  const rendered =
    opts.waitFor === 'first screen'
      ? await waitFirstScreen(page, opts.timeoutMs)
      : await waitRendered(page, opts.timeoutMs);
  const loadMs = Date.now() - t0;
  const firstScreen = (await page.evaluate(
    () => (window as unknown as { __wpFirstScreen?: unknown }).__wpFirstScreen ?? null,
  )) as Rendered | null;
  return {
    browser,
    page,
    watch,
    rendered,
    firstScreen,
    loadMs,
    close: async () => {
      await page.context().close();
      if (own) await browser.close();
    },
  };
}

export interface WebviewOptions extends OpenOptions {
  /** What getState() returns at load (a restored panel). */
  state?: unknown;
}

export interface OpenedWebview {
  browser: Browser;
  page: Page;
  watch: PageWatch;
  /** Messages the page posted to the host so far. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** The last setState. */
  state(): Promise<unknown>;
  /** Delivers a host message, as VS Code does (a window message event). */
  send(message: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * The panel HTML exactly as the extension serves it (webviewHtml, CSP and nonce included), with
 * a fake acquireVsCodeApi recording what the page posts.
 */
export async function openWebview(
  kind: 'dashboard' | 'compare',
  opts: WebviewOptions = {},
): Promise<OpenedWebview> {
  requireBundles();
  const nonce = 'N0nce' + Math.random().toString(36).slice(2);
  const css = path.join(WEBVIEW_DIR, `${kind}.css`);
  const html = webviewHtml({
    kind,
    title: `Workflow ${kind}`,
    nonce,
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/webview/${kind}.js`,
    styleUri: fs.existsSync(css) ? `${ORIGIN}/webview/${kind}.css` : undefined,
  });
  const files: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': { body: html, type: 'text/html; charset=utf-8' },
    [`/webview/${kind}.js`]: {
      body: fs.readFileSync(path.join(WEBVIEW_DIR, `${kind}.js`)),
      type: 'text/javascript',
    },
  };
  if (fs.existsSync(css))
    files[`/webview/${kind}.css`] = { body: fs.readFileSync(css), type: 'text/css' };
  const { browser, page, watch, own } = await preparePage(opts, files);
  await page.addInitScript((initial: unknown) => {
    const w = window as unknown as Record<string, unknown>;
    const posted: unknown[] = [];
    let state = initial;
    w['__hostPosted'] = posted;
    w['acquireVsCodeApi'] = () => ({
      postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s: unknown) => {
        state = s;
        w['__hostState'] = s;
      },
    });
  }, opts.state ?? null);
  await page.goto(`${ORIGIN}/index.html`);
  return {
    browser,
    page,
    watch,
    posted: () =>
      page.evaluate(() =>
        (window as unknown as { __hostPosted: { type: string }[] }).__hostPosted.slice(),
      ),
    state: () =>
      page.evaluate(() => (window as unknown as { __hostState?: unknown }).__hostState ?? null),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    close: async () => {
      await page.context().close();
      if (own) await browser.close();
    },
  };
}

/** Non-transparent pixels drawn in each visible chart's canvases (the background is transparent). */
export async function chartInk(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const box of Array.from(document.querySelectorAll<HTMLElement>('.wp-chart[data-chart]'))) {
      if (box.classList.contains('wp-hidden')) continue;
      let ink = 0;
      for (const c of Array.from(box.querySelectorAll('canvas'))) {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) continue;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) ink++;
      }
      out[box.dataset['chart'] ?? '?'] = ink;
    }
    return out;
  });
}

/**
 * Clicks a section's "Show all" button and measures, in the page, the click to the next frame
 * after the table is drawn (a requestAnimationFrame, then a task after that frame's paint).
 */
export async function timeShowAll(page: Page, sectionId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const button = document.querySelector<HTMLButtonElement>(`#sec-${id} .wp-more button`);
    if (!button) throw new Error(`no "Show all" button in #sec-${id}`);
    const t0 = performance.now();
    button.click();
    await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - t0;
  }, sectionId);
}

/** A full-page screenshot under test-results/browser/; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Where a data point of a chart is in the viewport, scrolled into view (for clicks and hovers). */
export async function pointOnPage(
  page: Page,
  chartId: string,
  finder: { xAxisIndex?: number; yAxisIndex?: number; seriesIndex?: number },
  value: (number | string)[],
): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ chartId, finder, value }) => {
      const charts = (
        window as unknown as {
          __wpCharts: Record<
            string,
            { convertToPixel(f: unknown, v: unknown): number[]; getDom(): HTMLElement }
          >;
        }
      ).__wpCharts;
      const chart = charts[chartId];
      if (!chart) throw new Error(`no chart ${chartId}`);
      // Into view first: the mouse only reaches what is in the viewport.
      chart.getDom().scrollIntoView({ block: 'center' });
      const [px, py] = chart.convertToPixel(finder, value) as [number, number];
      const r = chart.getDom().getBoundingClientRect();
      return { x: r.left + px, y: r.top + py };
    },
    { chartId, finder, value },
  );
}

/** The colour [r, g, b, a] a chart drew at a data point (its canvases composited top first). */
export async function pixelAt(
  page: Page,
  chartId: string,
  finder: { xAxisIndex?: number; yAxisIndex?: number; seriesIndex?: number },
  value: (number | string)[],
): Promise<[number, number, number, number]> {
  return page.evaluate(
    ({ chartId, finder, value }) => {
      const charts = (
        window as unknown as {
          __wpCharts: Record<
            string,
            { convertToPixel(f: unknown, v: unknown): number[]; getDom(): HTMLElement }
          >;
        }
      ).__wpCharts;
      const chart = charts[chartId];
      if (!chart) throw new Error(`no chart ${chartId}`);
      const [px, py] = chart.convertToPixel(finder, value) as [number, number];
      const canvases = Array.from(chart.getDom().querySelectorAll('canvas')).reverse();
      for (const c of canvases) {
        const ratio = c.width / c.getBoundingClientRect().width;
        const d = c
          .getContext('2d')
          ?.getImageData(Math.round(px * ratio), Math.round(py * ratio), 1, 1).data;
        if (d && (d[3] as number) > 0)
          return [d[0], d[1], d[2], d[3]] as [number, number, number, number];
      }
      return [0, 0, 0, 0] as [number, number, number, number];
    },
    { chartId, finder, value },
  );
}

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Sizes of the built webview assets, raw and gzipped (level 9). */
export function bundleSizes(): BundleSize[] {
  requireBundles();
  return fs
    .readdirSync(WEBVIEW_DIR)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .sort()
    .map((f) => {
      const body = fs.readFileSync(path.join(WEBVIEW_DIR, f));
      return { file: f, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    });
}

/** Reads a built asset for inlining into a standalone page. */
export function assetsFor(kind: 'dashboard' | 'compare'): { js: string; css?: string } {
  requireBundles();
  const css = path.join(WEBVIEW_DIR, `${kind}.css`);
  return {
    js: fs.readFileSync(path.join(WEBVIEW_DIR, `${kind}.js`), 'utf8'),
    css: fs.existsSync(css) ? fs.readFileSync(css, 'utf8') : undefined,
  };
}

/** Every chart the dashboard draws (the what-if one from the simulator's input the snapshot carries). */
export const DASHBOARD_CHARTS = [
  'timeline',
  'whatIf',
  'resources',
  'radar',
  'io',
  'heatmap',
  'overTime',
  'customTrend',
];
