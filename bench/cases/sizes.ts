/**
 * What the extension ships, as `npm run build` leaves it in dist/: raw and gzipped sizes. The
 * webview bundles (dist/webview/*.js) are reported when they exist and "not built" otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fig } from '../lib/stats';
import { defineCase, type Row } from '../lib/types';

function sizeRow(label: string, file: string, gzipOnly = false): Row {
  if (!fs.existsSync(file)) {
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
  const data = fs.readFileSync(file);
  const gz = gzipSync(data).length;
  return {
    measure: gzipOnly ? `${label} (gzip)` : label,
    ours: fig(gzipOnly ? gz : data.length, 'B'),
    baseline: gzipOnly ? null : { label: 'gzip', figure: fig(gz, 'B') },
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note: gzipOnly
      ? `raw ${(data.length / 1024).toFixed(1)} KiB`
      : 'baseline column: the same file gzipped',
  };
}

export default defineCase({
  name: 'sizes',
  title: 'Bundle sizes',
  description:
    'Sizes of what ships, as `npm run build` leaves it (not minified, source maps beside): ' +
    'dist/extension.js raw and gzipped (Node’s zlib, default level), every dist/webview/*.js ' +
    'gzipped, or "not built" when there is none; the CLI, runner and reaper for reference.',
  needs: [],
  params: { quick: {}, full: {} },
  run(ctx) {
    const dist = ctx.distDir;
    const rows: Row[] = [sizeRow('dist/extension.js', path.join(dist, 'extension.js'))];
    const webviewDir = path.join(dist, 'webview');
    const bundles = fs.existsSync(webviewDir)
      ? fs
          .readdirSync(webviewDir)
          .filter((f) => f.endsWith('.js'))
          .sort()
      : [];
    if (bundles.length === 0)
      rows.push(sizeRow('dist/webview/*.js', path.join(webviewDir, '*.js')));
    for (const b of bundles)
      rows.push(sizeRow(`dist/webview/${b}`, path.join(webviewDir, b), true));
    rows.push(
      sizeRow('dist/cli.js', path.join(dist, 'cli.js')),
      sizeRow('dist/runner.js', path.join(dist, 'runner.js')),
      sizeRow('dist/wp-reaper', path.join(dist, 'wp-reaper')),
    );
    return Promise.resolve(rows);
  },
});
