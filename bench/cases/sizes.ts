/**
 * What the extension ships, as `npm run build` leaves it in dist/: every file gzipped beside its
 * raw size, the webview bundles (dist/webview/*.js and *.css) "not built" when there are none,
 * and the dashboard's total against its target.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fig, ratio } from '../lib/stats';
import { defineCase, type Row } from '../lib/types';

/** The dashboard bundle (its script and styles), gzipped, must stay under this. */
const DASHBOARD_GZIP_LIMIT = 350 * 1024;

const SIZE_NOTE =
  'Ours: the file gzipped (Node’s zlib, default level), what a packaged .vsix or an HTTP ' +
  'transfer roughly costs; baseline column: the same file raw, as built';

const gzipSize = (file: string): number => gzipSync(fs.readFileSync(file)).length;

function notBuilt(label: string): Row {
  return {
    measure: label,
    ours: fig(null, 'B'),
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note: 'not built',
  };
}

function sizeRow(label: string, file: string): Row {
  if (!fs.existsSync(file)) return notBuilt(label);
  const raw = fs.statSync(file).size;
  const gz = gzipSize(file);
  return {
    measure: `${label} (gzip)`,
    ours: fig(gz, 'B'),
    baseline: { label: 'raw', figure: fig(raw, 'B') },
    truth: null,
    compare: ratio(gz, raw, 'raw'),
    baselineCompare: null,
    target: null,
    note: SIZE_NOTE,
  };
}

/** A panel's script and styles together, gzipped, beside the whole ECharts library gzipped. */
function panelTotal(webviewDir: string, echartsMin: string | null, panel: string): Row {
  const files = [`${panel}.js`, `${panel}.css`]
    .map((f) => path.join(webviewDir, f))
    .filter((f) => fs.existsSync(f));
  const label = `${panel} panel: dist/webview/${panel}.js + .css (gzip)`;
  if (!files.some((f) => f.endsWith('.js'))) return notBuilt(label);
  const gz = files.reduce((t, f) => t + gzipSize(f), 0);
  const echarts = echartsMin ? gzipSize(echartsMin) : null;
  const isDashboard = panel === 'dashboard';
  return {
    measure: label,
    ours: fig(gz, 'B'),
    baseline:
      echarts === null
        ? null
        : { label: 'ECharts’ full echarts.min.js, gzip', figure: fig(echarts, 'B') },
    truth: null,
    compare: ratio(gz, echarts, 'full ECharts'),
    baselineCompare: null,
    target: isDashboard ? { text: '< 350 KB', met: gz < DASHBOARD_GZIP_LIMIT } : null,
    note:
      'everything the panel loads besides its snapshot (each bundle carries the parts of ECharts ' +
      'it uses), each file gzipped on its own and summed. Baseline: the prebuilt full ECharts ' +
      'library from node_modules/echarts/dist, gzipped the same way. The target is 350 × 1024 B, ' +
      'as test/browser/scale.test.ts reads it',
  };
}

export default defineCase({
  name: 'sizes',
  title: 'Bundle sizes',
  description:
    'Sizes of what ships, as `npm run build` leaves it (the webview and extension bundles ' +
    'minified, source maps beside): each file gzipped (Node’s zlib, default level) beside its ' +
    'raw size: dist/extension.js (what the extension host loads on activation) and ' +
    'dist/extensionServices.js (loaded on the first use of a contribution), every ' +
    'dist/webview/*.js and *.css, or "not built" when there is none, and the CLI (its launcher ' +
    'and its bundle), runner and ' +
    'reaper for reference. Each panel’s script and styles together, gzipped, beside the prebuilt ' +
    'full ECharts library gzipped. Target: the dashboard panel under 350 KB gzipped.',
  needs: [],
  params: { quick: {}, full: {} },
  run(ctx) {
    const dist = ctx.distDir;
    const rows: Row[] = ['extension.js', 'extensionServices.js'].map((f) =>
      sizeRow(`dist/${f}`, path.join(dist, f)),
    );
    const webviewDir = path.join(dist, 'webview');
    const assets = fs.existsSync(webviewDir)
      ? fs
          .readdirSync(webviewDir)
          .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
          .sort()
      : [];
    if (!assets.some((f) => f.endsWith('.js'))) rows.push(notBuilt('dist/webview/*.js'));
    for (const f of assets) rows.push(sizeRow(`dist/webview/${f}`, path.join(webviewDir, f)));
    const echartsMin = path.join(ctx.repoRoot, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
    const echarts = fs.existsSync(echartsMin) ? echartsMin : null;
    rows.push(
      panelTotal(webviewDir, echarts, 'dashboard'),
      panelTotal(webviewDir, echarts, 'compare'),
      sizeRow('dist/cli.js', path.join(dist, 'cli.js')),
      sizeRow('dist/cli-main.js', path.join(dist, 'cli-main.js')),
      sizeRow('dist/runner.js', path.join(dist, 'runner.js')),
      sizeRow('dist/wp-reaper', path.join(dist, 'wp-reaper')),
    );
    return Promise.resolve(rows);
  },
});
