/**
 * Resolves the chart theme from VS Code's CSS variables (set on <html> by the webview host, or
 * by the standalone page's fallbacks) and reports theme changes: VS Code flips the body's class
 * and `data-vscode-theme-kind`, a browser flips prefers-color-scheme.
 */
import { colorVariables } from '../../src/report/charts/colors';
import { FALLBACK_THEMES, type ChartTheme, type ThemeKind } from '../../src/report/charts/theme';

export function themeKind(): ThemeKind {
  const body = document.body;
  const cls = body.classList;
  const attr = body.getAttribute('data-vscode-theme-kind') ?? '';
  if (cls.contains('vscode-high-contrast-light') || attr === 'vscode-high-contrast-light')
    return 'high-contrast-light';
  if (cls.contains('vscode-high-contrast') || attr === 'vscode-high-contrast')
    return 'high-contrast';
  if (cls.contains('vscode-light') || attr === 'vscode-light') return 'light';
  if (cls.contains('vscode-dark') || attr === 'vscode-dark') return 'dark';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function readTheme(): ChartTheme {
  const kind = themeKind();
  const fb = FALLBACK_THEMES[kind];
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string =>
    css.getPropertyValue(name).trim() || fallback;
  const size = parseFloat(v('--vscode-font-size', `${fb.fontSize}px`));
  return {
    kind,
    foreground: v('--vscode-editor-foreground', v('--vscode-foreground', fb.foreground)),
    background: v('--vscode-editor-background', fb.background),
    muted: v('--vscode-descriptionForeground', fb.muted),
    lines: v('--vscode-charts-lines', fb.lines),
    border: v('--vscode-contrastBorder', v('--vscode-panel-border', fb.border)),
    focus: v('--vscode-focusBorder', fb.focus),
    tooltipBackground: v('--vscode-editorHoverWidget-background', fb.tooltipBackground),
    tooltipForeground: v('--vscode-editorHoverWidget-foreground', fb.tooltipForeground),
    tooltipBorder: v('--vscode-editorHoverWidget-border', fb.tooltipBorder),
    fontFamily: v('--vscode-font-family', fb.fontFamily),
    monoFontFamily: v('--vscode-editor-font-family', fb.monoFontFamily),
    fontSize: Number.isFinite(size) && size > 6 ? Math.round(size) - 1 : fb.fontSize,
    red: v('--vscode-charts-red', fb.red),
    blue: v('--vscode-charts-blue', fb.blue),
    yellow: v('--vscode-charts-yellow', fb.yellow),
    orange: v('--vscode-charts-orange', fb.orange),
    green: v('--vscode-charts-green', fb.green),
    purple: v('--vscode-charts-purple', fb.purple),
  };
}

/** Calls `changed` (coalesced to one call per frame) whenever the theme may have changed. */
export function watchTheme(changed: () => void): void {
  let pending = false;
  const fire = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      changed();
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind'],
  });
  // VS Code also rewrites the variables on <html style> when a theme's colours change.
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['style', 'class'],
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', fire);
}

/**
 * The colour mapping (src/report/charts/colors.ts) as CSS variables on the body, so status text
 * and swatches in the style sheets are the charts' colours. On the body, not <html>: watchTheme
 * listens to <html style>, and writing there would call it again.
 */
function applyColorVariables(theme: ChartTheme): void {
  for (const [name, value] of Object.entries(colorVariables(theme)))
    document.body.style.setProperty(name, value);
}

/** Hands the page the new theme whenever it may have changed, so it rebuilds its charts. */
export function followTheme(changed: (theme: ChartTheme) => void): void {
  applyColorVariables(readTheme());
  watchTheme(() => {
    const theme = readTheme();
    applyColorVariables(theme);
    changed(theme);
  });
}
