/**
 * The resolved colours and fonts every chart builder draws with. The webview reads them from
 * VS Code's `--vscode-*` CSS variables (webview/shared/theme.ts) and rebuilds the charts when the
 * theme changes; builders never touch the DOM, so tests pass a fallback theme. Which colour
 * means what (statuses, node types, metrics) is colors.ts's alone.
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ChartTheme {
  kind: ThemeKind;
  /** Editor text and background. */
  foreground: string;
  background: string;
  /** Secondary text (axis names, notes, n/a). */
  muted: string;
  /** Axis lines and grid (`--vscode-charts-lines`). */
  lines: string;
  /** Outlines; in high contrast the contrast border. */
  border: string;
  /** Focused or selected element. */
  focus: string;
  tooltipBackground: string;
  tooltipForeground: string;
  tooltipBorder: string;
  fontFamily: string;
  monoFontFamily: string;
  fontSize: number;
  red: string;
  blue: string;
  yellow: string;
  orange: string;
  green: string;
  purple: string;
}

/** VS Code's own default values, for the standalone HTML and for tests. */
export const FALLBACK_THEMES: Readonly<Record<ThemeKind, ChartTheme>> = {
  dark: {
    kind: 'dark',
    foreground: '#cccccc',
    background: '#1f1f1f',
    muted: '#9d9d9d',
    lines: 'rgba(204, 204, 204, 0.5)',
    border: '#3c3c3c',
    focus: '#0078d4',
    tooltipBackground: '#202020',
    tooltipForeground: '#cccccc',
    tooltipBorder: '#454545',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    monoFontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 12,
    red: '#f14c4c',
    blue: '#3794ff',
    yellow: '#cca700',
    orange: '#d18616',
    green: '#89d185',
    purple: '#b180d7',
  },
  light: {
    kind: 'light',
    foreground: '#3b3b3b',
    background: '#ffffff',
    muted: '#717171',
    lines: 'rgba(97, 97, 97, 0.5)',
    border: '#e5e5e5',
    focus: '#005fb8',
    tooltipBackground: '#f8f8f8',
    tooltipForeground: '#3b3b3b',
    tooltipBorder: '#c8c8c8',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    monoFontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 12,
    red: '#e51400',
    blue: '#1a85ff',
    yellow: '#bf8803',
    orange: '#d18616',
    green: '#388a34',
    purple: '#652d90',
  },
  'high-contrast': {
    kind: 'high-contrast',
    foreground: '#ffffff',
    background: '#000000',
    muted: '#ffffff',
    lines: '#ffffff',
    border: '#6fc3df',
    focus: '#f38518',
    tooltipBackground: '#0c141f',
    tooltipForeground: '#ffffff',
    tooltipBorder: '#6fc3df',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    monoFontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 12,
    red: '#f48771',
    blue: '#3794ff',
    yellow: '#ffd700',
    orange: '#d18616',
    green: '#89d185',
    purple: '#b180d7',
  },
  'high-contrast-light': {
    kind: 'high-contrast-light',
    foreground: '#292929',
    background: '#ffffff',
    muted: '#292929',
    lines: '#292929',
    border: '#0f4a85',
    focus: '#006bbd',
    tooltipBackground: '#ffffff',
    tooltipForeground: '#292929',
    tooltipBorder: '#0f4a85',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    monoFontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 12,
    red: '#b5200d',
    blue: '#0f4a85',
    yellow: '#895503',
    orange: '#b5200d',
    green: '#374e06',
    purple: '#652d90',
  },
};

export function isHighContrast(t: ChartTheme): boolean {
  return t.kind === 'high-contrast' || t.kind === 'high-contrast-light';
}

export function isDark(t: ChartTheme): boolean {
  return t.kind === 'dark' || t.kind === 'high-contrast';
}

// ---- Colour arithmetic on the CSS colour strings VS Code hands us (hex, rgb(), rgba()).

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export function parseColor(input: string): Rgba | null {
  const s = input.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s)?.[1];
  if (hex !== undefined) {
    const full =
      hex.length === 3 || hex.length === 4
        ? hex
            .split('')
            .map((c) => c + c)
            .join('')
        : hex;
    if (full.length !== 6 && full.length !== 8) return null;
    const n = (i: number): number => parseInt(full.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s)?.[1];
  if (fn !== undefined) {
    const parts = fn.split(/[\s,/]+/).filter((p) => p !== '');
    if (parts.length < 3) return null;
    const channel = (p: string): number =>
      p.endsWith('%') ? (parseFloat(p) / 100) * 255 : parseFloat(p);
    const alpha = parts[3];
    const a =
      alpha === undefined ? 1 : alpha.endsWith('%') ? parseFloat(alpha) / 100 : parseFloat(alpha);
    const [r, g, b] = parts.slice(0, 3).map(channel) as [number, number, number];
    if (![r, g, b, a].every(Number.isFinite)) return null;
    return { r, g, b, a };
  }
  return null;
}

export function toCss(c: Rgba): string {
  const ch = (v: number): number => Math.round(Math.min(255, Math.max(0, v)));
  return `rgba(${ch(c.r)}, ${ch(c.g)}, ${ch(c.b)}, ${Math.round(Math.min(1, Math.max(0, c.a)) * 1000) / 1000})`;
}

/** The colour with its alpha multiplied by `alpha`; unknown formats come back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const c = parseColor(color);
  return c ? toCss({ ...c, a: c.a * alpha }) : color;
}

/** `t` of the way from `a` to `b` (0..1), opaque. */
export function mix(a: string, b: string, t: number): string {
  const x = parseColor(a);
  const y = parseColor(b);
  if (!x || !y) return t < 0.5 ? a : b;
  const k = Math.min(1, Math.max(0, t));
  return toCss({
    r: x.r + (y.r - x.r) * k,
    g: x.g + (y.g - x.g) * k,
    b: x.b + (y.b - x.b) * k,
    a: 1,
  });
}

/** Relative luminance (WCAG), 0 black to 1 white. */
export function luminance(color: string): number | null {
  const c = parseColor(color);
  if (!c) return null;
  const lin = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** Black or white, whichever reads better on `fill` (labels inside bars). */
export function textOn(fill: string): string {
  const l = luminance(fill);
  if (l === null) return '#000000';
  // Contrast against black is (l + 0.05) / 0.05; against white 1.05 / (l + 0.05).
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}
