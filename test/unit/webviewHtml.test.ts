import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  escapeHtml,
  inlineScript,
  jsonForScript,
  standaloneCompareHtml,
  standaloneDashboardHtml,
  standaloneThemeCss,
  webviewHtml,
} from '../../src/report/webviewHtml';
import { parseArgs } from '../../src/cli/args';
import { COMMAND_HELP } from '../../src/cli/help';
import { sidesSnapshot } from '../helpers/syntheticRun';
import { customTrendPoints, planOf } from '../../src/report/panelSnapshots';
import { HOSTILE_NAMES, hostileEtl, SCRIPT_END, snapshotOf, XSS } from '../helpers/chartFixtures';
import { makeRun, ran } from '../helpers/makeRun';

test('panel HTML: the strict CSP, an escaped title, the app root and a nonced script', () => {
  const html = webviewHtml({
    kind: 'dashboard',
    title: `run <b>"x"</b> & ${XSS}`,
    nonce: 'abc123',
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.css',
  });
  const src = 'https://file+.vscode-resource.vscode-cdn.net';
  assert.ok(
    html.includes(
      `content="default-src 'none'; img-src ${src} data:; style-src ${src} 'nonce-abc123'; script-src 'nonce-abc123'; font-src ${src};"`.replace(
        /'/g,
        '&#39;',
      ),
    ),
    html,
  );
  assert.match(
    html,
    /<title>run &#60;b&#62;&#34;x&#34;&#60;\/b&#62; &#38; &#60;img src=x onerror=alert\(1\)&#62;<\/title>/,
  );
  assert.match(html, /<div id="app"><\/div>/);
  assert.match(
    html,
    /<script nonce="abc123" src="https:\/\/file\+\.vscode-resource[^"]*\/dashboard\.js"><\/script>/,
  );
  assert.match(html, /<link rel="stylesheet" href="[^"]*dashboard\.css" nonce="abc123">/);
  assert.doesNotMatch(html, /<img/);
  const noStyle = webviewHtml({
    kind: 'compare',
    title: 't',
    nonce: 'n',
    cspSource: 's',
    scriptUri: 'u',
  });
  assert.doesNotMatch(noStyle, /<link/);
});

test('JSON in a script element cannot close it, whatever the node names', () => {
  const json = jsonForScript({ names: HOSTILE_NAMES, c: '<!-- & \u2028' });
  assert.doesNotMatch(json, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(json), { names: HOSTILE_NAMES, c: '<!-- & \u2028' });
  assert.equal(inlineScript('a="</script>";b="<!--"'), 'a="<\\/script>";b="<\\!--"');
  assert.equal(escapeHtml(`<a href="x">'&`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
});

test('standalone dashboard: one file, scripts by nonce, the snapshot embedded safely', () => {
  const { run, samples } = hostileEtl();
  const snapshot = snapshotOf(run, samples, { customHistory: customTrendPoints([run]) });
  const html = standaloneDashboardHtml(snapshot, {
    js: 'console.log("</script>")',
    css: 'body{color:red}</style>',
  });
  const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(html)?.[1];
  assert.ok(nonce && nonce.length >= 16);
  assert.match(
    html,
    new RegExp(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src data:;">`,
    ),
  );
  // Exactly two script elements and one style element, each closed once.
  assert.equal(html.match(/<script/g)?.length, 2);
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.equal(html.match(/<\/style>/g)?.length, 1);
  assert.ok(!html.includes(SCRIPT_END));
  const json = /<script type="application\/json" id="wp-snapshot">([^<]*)<\/script>/.exec(
    html,
  )?.[1];
  assert.ok(json, 'snapshot element');
  const back = JSON.parse(json) as typeof snapshot;
  assert.deepEqual(
    back.run.tasks.map((t) => t.nodeId),
    run.tasks.map((t) => t.nodeId),
  );
  assert.ok(back.run.tasks.some((t) => t.nodeId === XSS));
  // Theme fallbacks for light and dark.
  assert.match(html, /--vscode-charts-red: #e51400;/);
  assert.match(html, /@media \(prefers-color-scheme: dark\)[\s\S]*--vscode-charts-red: #f14c4c;/);
  assert.match(
    html,
    /<title>nightly-etl · run 20250101-120000-000-abcd · Workflow Profiler<\/title>/,
  );
});

test('standalone compare page and the theme fallbacks cover every variable the panels read', () => {
  const a = makeRun([ran('x', 0, 10)], { id: 'a', startedAt: '2025-01-01T00:00:00.000Z' });
  const b = makeRun([ran('x', 0, 20)], { id: 'b', startedAt: '2025-01-02T00:00:00.000Z' });
  const html = standaloneCompareHtml(sidesSnapshot([a], [b]), { js: '' });
  assert.match(html, /data-panel="compare"/);
  assert.match(html, /2 runs compared/);
  const css = standaloneThemeCss();
  for (const v of [
    'editor-background',
    'editor-foreground',
    'descriptionForeground',
    'charts-lines',
    'charts-blue',
    'charts-green',
    'charts-purple',
    'charts-yellow',
    'charts-orange',
    'button-background',
    'dropdown-background',
    'editorHoverWidget-background',
    'focusBorder',
  ]) {
    assert.equal(css.match(new RegExp(`--vscode-${v}:`, 'g'))?.length, 2, v);
  }
  assert.deepEqual(planOf(a), [{ nodeId: 'x', type: 'shell', needs: [], parentId: null }]);
});

test('the dashboard command takes a run and -o; its help documents both', () => {
  const a = parseArgs(['dashboard', '2025', '-o', 'x.html', '--store', 's']);
  assert.equal(a.command, 'dashboard');
  assert.equal(a.target, '2025');
  assert.equal(a.output, 'x.html');
  assert.equal(a.store, 's');
  assert.throws(() => parseArgs(['dashboard']), /dashboard needs a RUN id/);
  assert.match(COMMAND_HELP.dashboard, /^Usage: workflow-profiler dashboard RUN/);
  assert.match(COMMAND_HELP.dashboard, /- writes the HTML to stdout/);
  assert.match(COMMAND_HELP.dashboard, /default: dashboard\.html in the run's folder/);
});
