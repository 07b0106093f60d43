/**
 * The HTML around the webview bundles: for a VS Code panel (scripts and styles from the
 * extension's dist/webview through webview URIs, under a nonce-based CSP) and as one
 * self-contained file for a browser (the CLI's `dashboard` command): script, styles and the
 * run's snapshot inlined, the same CSP in a meta tag, fallback values for the VS Code theme
 * variables the panels use, in light and dark.
 */
import { randomBytes } from 'node:crypto';
import type { CompareSnapshot } from '../protocol/compare';
import type { DashboardSnapshot } from '../protocol/dashboard';
import { FALLBACK_THEMES, type ChartTheme } from './charts/theme';

export interface WebviewHtmlOptions {
  kind: 'dashboard' | 'compare';
  title: string;
  nonce: string;
  cspSource: string;
  scriptUri: string;
  styleUri?: string;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  const csp =
    `default-src 'none'; img-src ${o.cspSource} data:; style-src ${o.cspSource} 'nonce-${o.nonce}'; ` +
    `script-src 'nonce-${o.nonce}'; font-src ${o.cspSource};`;
  const style = o.styleUri
    ? `\n<link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${escapeHtml(o.nonce)}">`
    : '';
  return `${documentStart(escapeHtml(csp))}
<title>${escapeHtml(o.title)}</title>${style}
</head>
<body data-panel="${o.kind}">
<div id="app"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** One self-contained dashboard page: opens from disk in any browser, with no network. */
export function standaloneDashboardHtml(
  snapshot: DashboardSnapshot,
  assets: { js: string; css?: string },
): string {
  const run = snapshot.run;
  return standaloneHtml(
    'dashboard',
    `${run.workflow.name} · run ${run.id} · Workflow Profiler`,
    snapshot,
    assets,
  );
}

/** The compare page as one self-contained file (tests, sharing a comparison). */
export function standaloneCompareHtml(
  snapshot: CompareSnapshot,
  assets: { js: string; css?: string },
): string {
  return standaloneHtml(
    'compare',
    `${snapshot.workflowName} · ${snapshot.runs.length} runs compared · Workflow Profiler`,
    snapshot,
    assets,
  );
}

function standaloneHtml(
  kind: 'dashboard' | 'compare',
  title: string,
  snapshot: unknown,
  assets: { js: string; css?: string },
): string {
  const nonce = randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src data:;`;
  return `${documentStart(csp)}
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
${inlineStyle(standaloneThemeCss())}
${inlineStyle(assets.css ?? '')}
</style>
</head>
<body data-panel="${kind}">
<div id="app"></div>
<script type="application/json" id="wp-snapshot">${jsonForScript(snapshot)}</script>
<script nonce="${nonce}">
${inlineScript(assets.js)}
</script>
</body>
</html>
`;
}

/**
 * Both pages' opening, up to the viewport: `csp` goes into its attribute as given (the panel's
 * is escaped, the standalone page's holds only its own nonce).
 */
function documentStart(csp: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside a <script> element: `<`, `>` and `&` become \u escapes (still the same
 * JSON), so a node named `</script><script>…` cannot end the element, nor `<!--` change how the
 * parser reads it. U+2028/U+2029 are escaped for old JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A bundle inlined in <script>: a closing tag or comment opener in a string cannot escape. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** VS Code's default Light Modern and Dark Modern values of every variable the panels read. */
function themeVars(t: ChartTheme, ui: Record<string, string>): Record<string, string> {
  return {
    '--vscode-font-family': t.fontFamily,
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': t.monoFontFamily,
    '--vscode-foreground': t.foreground,
    '--vscode-editor-foreground': t.foreground,
    '--vscode-editor-background': t.background,
    '--vscode-descriptionForeground': t.muted,
    '--vscode-focusBorder': t.focus,
    '--vscode-editorHoverWidget-background': t.tooltipBackground,
    '--vscode-editorHoverWidget-foreground': t.tooltipForeground,
    '--vscode-editorHoverWidget-border': t.tooltipBorder,
    '--vscode-charts-foreground': t.foreground,
    '--vscode-charts-lines': t.lines,
    '--vscode-charts-red': t.red,
    '--vscode-charts-blue': t.blue,
    '--vscode-charts-yellow': t.yellow,
    '--vscode-charts-orange': t.orange,
    '--vscode-charts-green': t.green,
    '--vscode-charts-purple': t.purple,
    ...ui,
  };
}

const LIGHT_UI: Record<string, string> = {
  '--vscode-widget-border': '#e5e5e5',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textLink-activeForeground': '#005fb8',
};

const DARK_UI: Record<string, string> = {
  '--vscode-widget-border': '#313131',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textLink-activeForeground': '#4daafc',
};

/** Fallbacks for a browser: light by default, dark when the system prefers it. */
export function standaloneThemeCss(): string {
  const block = (vars: Record<string, string>): string =>
    Object.entries(vars)
      .map(([k, v]) => `  ${k}: ${v};`)
      .join('\n');
  return `:root {\n${block(themeVars(FALLBACK_THEMES.light, LIGHT_UI))}\n}\n@media (prefers-color-scheme: dark) {\n:root {\n${block(themeVars(FALLBACK_THEMES.dark, DARK_UI))}\n}\n}`;
}
