/**
 * The panels in a real browser: the dashboard of a 2,000-node run with 20,000 samples and the
 * compare panel of 20 runs of 500 nodes, opened as the standalone pages the CLI writes (the same
 * bundles as the editor's webviews) in the system's Chromium, through the browser tests' harness.
 * Each is timed beside the same page with a one-node run, measured in the same browser.
 */
import { planOf } from '../../src/report/panelSnapshots';
import { standaloneCompareHtml, standaloneDashboardHtml } from '../../src/report/webviewHtml';
import {
  assetsFor,
  launchBrowser,
  openStandalone,
  requireBundles,
  requireChromium,
  timeShowAll,
} from '../../test/browser/harness';
import { syntheticComparison, syntheticRun } from '../../test/helpers/syntheticRun';
import { fig, median, ratio } from '../lib/stats';
import { CaseNotRun, defineCase, type Row } from '../lib/types';

interface P {
  [key: string]: number;
  nodes: number;
  samples: number;
  compareRuns: number;
  compareNodes: number;
  repeats: number;
}

/** What the ratio column compares with: the same page with a one-node run. */
const AGAINST = '1-node page';

/** Targets on the median render, per panel: under `ms`, and at most `ratio` × its 1-node page. */
const TARGETS = {
  dashboard: { ms: 1000, ratio: 1.8 },
  compare: { ms: 1500, ratio: null },
} as const;

/** Target for the dashboard's "Show all" node table: click to the table drawn. */
const SHOW_ALL_TARGET_MS = 200;

/** One page load as the page and the harness measured it. */
interface Load {
  /** The first screen drawn (the dashboard), or every chart drawn (a page that draws all at once). */
  renderMs: number;
  /** Every chart drawn. */
  allMs: number;
  /** Navigation to the render above. */
  readyMs: number;
  charts: string[];
  phases: Record<string, number>;
  /** Click on the node table's "Show all" to the table drawn; null where the page has none. */
  showAllMs: number | null;
}

interface PageSpec {
  key: string;
  html: string;
  /** Time the node table's "Show all" after the render. */
  showAll: boolean;
}

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

async function load(browser: Browser, spec: PageSpec): Promise<Load> {
  const o = await openStandalone(spec.html, { browser, timeoutMs: 120_000 });
  try {
    const problems = [...o.watch.errors, ...o.watch.violations, ...o.watch.requests];
    if (problems.length > 0)
      throw new Error(`${spec.key}: the page reported problems: ${problems.join('; ')}`);
    if (o.rendered.charts.length === 0) throw new Error(`${spec.key}: no chart was drawn`);
    const showAllMs = spec.showAll ? await timeShowAll(o.page, 'resources') : null;
    const first = o.firstScreen ?? o.rendered;
    return {
      showAllMs,
      renderMs: first.ms,
      allMs: o.rendered.ms,
      // The harness polls for every chart drawn; the page's own clock says how much earlier the
      // first screen was.
      readyMs: o.loadMs - (o.rendered.ms - first.ms),
      charts: first.charts,
      phases: first.phases ?? {},
    };
  } finally {
    await o.close();
  }
}

const mib = (s: string): string => `${(Buffer.byteLength(s) / 2 ** 20).toFixed(1)} MiB`;

/** The three largest phases of the median load, e.g. "draw:timeline 310, model 120 ms". */
function topPhases(loads: Load[]): string {
  const sorted = [...loads].sort((a, b) => a.renderMs - b.renderMs);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] as Load;
  const top = Object.entries(mid.phases)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`);
  return top.length > 0 ? `; largest phases of the median load: ${top.join(', ')} ms` : '';
}

function rowsFor(
  label: string,
  target: { ms: number; ratio: number | null },
  ours: { spec: PageSpec; loads: Load[] },
  base: { spec: PageSpec; loads: Load[]; label: string; prose: string },
  repeats: number,
  /** The page draws its first screen first: render is that, and every chart drawn a row of its own. */
  lazy: boolean,
): Row[] {
  const r = (l: Load[]): number[] => l.map((x) => x.renderMs);
  const all = (l: Load[]): number[] => l.map((x) => x.allMs);
  const ready = (l: Load[]): number[] => l.map((x) => x.readyMs);
  const renderMed = median(r(ours.loads));
  const baseRenderMed = median(r(base.loads));
  const what = lazy
    ? `first screen: the page’s own measure (window.__wpFirstScreen.ms), snapshot parsed → the ` +
      `charts in view at 1280 × 900 drawn (${ours.loads[0]?.charts.join(', ')}) and the tables ` +
      `filled, the page interactive; the charts below are drawn when scrolled near or when the ` +
      `browser is idle (every chart drawn: its own row)`
    : `rendered: the page’s own measure (window.__wpRendered.ms), snapshot parsed → every chart ` +
      `drawn (${ours.loads[0]?.charts.join(', ')})`;
  const renderNote =
    `${what}, in Chromium at 1280 × 900, ${repeats} loads ` +
    `of each page interleaved with the baseline’s, after one unmeasured load of each; the page ` +
    `is ${mib(ours.spec.html)} with the snapshot inlined${topPhases(ours.loads)}. Baseline: the ` +
    `same page and bundle with ${base.prose} (${mib(base.spec.html)}; draws ` +
    `${base.loads[0]?.charts.join(', ')}${lazy ? ' in its first screen' : ''}): the fixed cost ` +
    `of the bundle and ECharts`;
  const detail = {
    ours: ours.loads,
    baseline: base.loads,
  };
  const times = renderMed / baseRenderMed;
  const targetText =
    `< ${(target.ms / 1000).toFixed(1)} s` +
    (target.ratio === null ? '' : ` and ≤ ${target.ratio} × ${AGAINST}`);
  return [
    {
      measure: `${label} · render, median of ${repeats}`,
      ours: fig(renderMed, 'ms'),
      baseline: { label: base.label, figure: fig(baseRenderMed, 'ms') },
      truth: null,
      compare: ratio(renderMed, baseRenderMed, AGAINST),
      baselineCompare: null,
      target: {
        text: targetText,
        met: renderMed < target.ms && (target.ratio === null || times <= target.ratio),
      },
      note: renderNote,
      detail,
    },
    {
      measure: `${label} · render, worst of ${repeats}`,
      ours: fig(Math.max(...r(ours.loads)), 'ms'),
      baseline: { label: base.label, figure: fig(Math.max(...r(base.loads)), 'ms') },
      truth: null,
      compare: ratio(Math.max(...r(ours.loads)), Math.max(...r(base.loads)), AGAINST),
      baselineCompare: null,
      target: null,
      note: renderNote,
    },
    ...(lazy
      ? [
          {
            measure: `${label} · every chart drawn, median of ${repeats}`,
            ours: fig(median(all(ours.loads)), 'ms'),
            baseline: { label: base.label, figure: fig(median(all(base.loads)), 'ms') },
            truth: null,
            compare: ratio(median(all(ours.loads)), median(all(base.loads)), AGAINST),
            baselineCompare: null,
            target: null,
            note:
              `the page’s own measure (window.__wpRendered.ms, what the editor’s “rendered” ` +
              `message and the browser tests wait for): snapshot parsed → every chart drawn, ` +
              `the charts below the first screen drawn one per idle slot of the browser with ` +
              `no scrolling; worst ${Math.max(...all(ours.loads)).toFixed(0)} ms. Not judged: ` +
              `the target is on the first screen (it was on this figure before the charts below ` +
              `it were drawn lazily)`,
          },
        ]
      : []),
    {
      measure: `${label} · page ready (navigation → ${lazy ? 'first screen' : 'rendered'}), median of ${repeats}`,
      ours: fig(median(ready(ours.loads)), 'ms'),
      baseline: { label: base.label, figure: fig(median(ready(base.loads)), 'ms') },
      truth: null,
      compare: ratio(median(ready(ours.loads)), median(ready(base.loads)), AGAINST),
      baselineCompare: null,
      target: null,
      note:
        `what a user waits for: page.goto() to the ${lazy ? 'first screen' : 'rendered signal'} ` +
        `(the rendered signal polled every 20 ms${lazy ? ', less the page’s own time from the first screen to it' : ''}), so it ` +
        `adds parsing the HTML, the inlined snapshot and the bundle to the render; worst ` +
        `${Math.max(...ready(ours.loads)).toFixed(0)} ms (baseline ` +
        `${Math.max(...ready(base.loads)).toFixed(0)} ms). Not judged: the target is on the render`,
    },
  ];
}

/** The node table's "Show all", timed on each load of the big dashboard. */
function showAllRow(label: string, nodes: number, loads: Load[], repeats: number): Row {
  const ms = loads.map((l) => l.showAllMs).filter((v): v is number => v !== null);
  if (ms.length === 0) throw new Error('"Show all" was not timed');
  const med = median(ms);
  return {
    measure: `${label} · "Show all" node table, ${nodes.toLocaleString('en-US')} rows, median of ${repeats}`,
    ours: fig(med, 'ms'),
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: { text: '< 200 ms', met: med < SHOW_ALL_TARGET_MS },
    note:
      `in the page: the button's click() to the next frame after the table is drawn (a ` +
      `requestAnimationFrame, then a task after its paint), after each measured load of the ` +
      `dashboard; worst ${Math.max(...ms).toFixed(0)} ms. The table is virtualised: the rows in ` +
      `view (and a few either side) are in the page, spacers stand for the rest. No baseline: ` +
      `the target is absolute (drawing every row took 1.3–1.7 s when the issue was filed)`,
  };
}

export default defineCase<P>({
  name: 'render',
  title: 'Dashboard and compare panels in Chromium',
  description:
    'The dashboard of a synthetic 2,000-node run with 20,000 samples and the compare panel of ' +
    '20 runs of 500 nodes (test/helpers/syntheticRun.ts, fixed seeds), each opened as the ' +
    'standalone page the CLI writes (the built dist/webview bundles and the snapshot inlined) ' +
    'in the system’s Chromium through the browser tests’ harness (test/browser/harness.ts). ' +
    'Render is the page’s own measure: for the dashboard, snapshot parsed → its first screen ' +
    'drawn (the charts in view; those below draw when scrolled near or when the browser is ' +
    'idle, and every chart drawn is reported on its own row), for the compare panel → every ' +
    'chart drawn; page ready is navigation → that signal. Baseline, in the same browser and interleaved: the same page ' +
    'with a one-node run (for compare: two runs of one node), the fixed cost of loading the ' +
    'bundle and ECharts. Median and worst of several loads. Targets, on the median: the ' +
    'dashboard under 1.0 s and at most 1.8 × its 1-node page, the compare panel under 1.5 s; ' +
    'the dashboard’s "Show all" node table (2,000 rows, only those in view in the page) drawn ' +
    'under 200 ms from the click.',
  needs: [],
  params: {
    quick: { nodes: 2000, samples: 20_000, compareRuns: 20, compareNodes: 500, repeats: 3 },
    full: { nodes: 2000, samples: 20_000, compareRuns: 20, compareNodes: 500, repeats: 7 },
  },
  async run(ctx, p) {
    try {
      requireChromium();
    } catch (err) {
      throw new CaseNotRun(err instanceof Error ? err.message : String(err));
    }
    requireBundles();
    const dashAssets = assetsFor('dashboard');
    const compareAssets = assetsFor('compare');
    const dashboard = (nodes: number, samples: number): PageSpec => {
      const { run, samples: s } = syntheticRun(nodes, samples, 1);
      if (s.length !== samples) throw new Error(`syntheticRun made ${s.length} samples`);
      return {
        key: `dashboard-${nodes}`,
        showAll: nodes > 1,
        html: standaloneDashboardHtml(
          { run, samples: s, plan: planOf(run), live: false, customHistory: [], sentAt: 0 },
          dashAssets,
        ),
      };
    };
    const compare = (runs: number, nodes: number): PageSpec => ({
      key: `compare-${runs}x${nodes}`,
      showAll: false,
      html: standaloneCompareHtml(syntheticComparison(runs, nodes).snapshot, compareAssets),
    });

    ctx.log('generating the pages');
    const pages = {
      dash: dashboard(p.nodes, p.samples),
      dashBase: dashboard(1, 10),
      cmp: compare(p.compareRuns, p.compareNodes),
      cmpBase: compare(2, 1),
    };
    const loads: Record<keyof typeof pages, Load[]> = {
      dash: [],
      dashBase: [],
      cmp: [],
      cmpBase: [],
    };

    const browser = await launchBrowser();
    try {
      // Chromium's first load of a bundle compiles it cold; neither side should pay that alone.
      await load(browser, pages.dashBase);
      await load(browser, pages.cmpBase);
      for (let i = 0; i < p.repeats; i++) {
        ctx.log(`loads ${i + 1} of ${p.repeats}`);
        const pairs: [keyof typeof pages, keyof typeof pages][] = [
          ['dash', 'dashBase'],
          ['cmp', 'cmpBase'],
        ];
        for (const [a, b] of pairs) {
          // Alternating which goes first.
          for (const k of i % 2 === 0 ? [a, b] : [b, a])
            loads[k].push(await load(browser, pages[k]));
        }
      }
    } finally {
      await browser.close();
    }

    const dashLabel = `dashboard, ${p.nodes.toLocaleString('en-US')} nodes × ${p.samples.toLocaleString('en-US')} samples`;
    return [
      ...rowsFor(
        dashLabel,
        TARGETS.dashboard,
        { spec: pages.dash, loads: loads.dash },
        {
          spec: pages.dashBase,
          loads: loads.dashBase,
          label: '1-node run',
          prose: 'a 1-node run of 10 samples',
        },
        p.repeats,
        true,
      ),
      showAllRow(dashLabel, p.nodes, loads.dash, p.repeats),
      ...rowsFor(
        `compare, ${p.compareRuns} runs × ${p.compareNodes} nodes`,
        TARGETS.compare,
        { spec: pages.cmp, loads: loads.cmp },
        {
          spec: pages.cmpBase,
          loads: loads.cmpBase,
          label: '2 runs × 1 node',
          prose: 'two runs of one node',
        },
        p.repeats,
        false,
      ),
    ];
  },
});
