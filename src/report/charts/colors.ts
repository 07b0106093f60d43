/**
 * THE colour of everything a chart, legend, table swatch or style sheet names: each status, each
 * node type, each metric series. Nothing is coloured by order of appearance, so shell is the same
 * colour in every run and every chart; and status colours (green completed, red failed, …) are
 * kept for statuses alone, so a CPU bar never reads as "failed".
 *
 * Statuses follow the theme's own `--vscode-charts-*` colours (ChartTheme). Node types and
 * metrics have a palette of their own per theme kind, of hues no status uses (teal, indigo,
 * magenta, sky, tan, rose, olive), checked in test/unit/charts-colors.test.ts to stay clear of
 * the status colours in light, dark and both high-contrast themes.
 */
import type { RunStatus, TaskStatus } from '../../model/run';
import { NODE_TYPES, type NodeType } from '../../workflow/types';
import { parseColor, withAlpha, type ChartTheme, type ThemeKind } from './theme';

/** Every status a view colours: a task's, and a run's own (`interrupted`). */
export type StatusKey = TaskStatus | RunStatus;
export const STATUS_KEYS: readonly StatusKey[] = [
  'completed',
  'failed',
  'cancelled',
  'interrupted',
  'running',
  'retried',
  'skipped',
  'pending',
];

/** The hues no status uses, per theme kind: node types and metric series draw from these. */
interface Categorical {
  teal: string;
  indigo: string;
  magenta: string;
  sky: string;
  tan: string;
  rose: string;
  olive: string;
}

const CATEGORICAL: Readonly<Record<ThemeKind, Categorical>> = {
  dark: {
    teal: '#4ec9b0',
    indigo: '#9d8cf5',
    magenta: '#e06cc1',
    sky: '#6fd8f0',
    tan: '#c8a27c',
    rose: '#f7a3bd',
    olive: '#b5b562',
  },
  light: {
    teal: '#0f8a7a',
    indigo: '#5b4fd6',
    magenta: '#b0288f',
    sky: '#0a93a8',
    tan: '#8a6238',
    rose: '#d6457a',
    olive: '#73801a',
  },
  'high-contrast': {
    teal: '#40e0c0',
    indigo: '#a99cff',
    magenta: '#ff6fe0',
    sky: '#8ff0ff',
    tan: '#e8c49c',
    rose: '#ffb0c8',
    olive: '#d8d870',
  },
  'high-contrast-light': {
    teal: '#006b5e',
    indigo: '#4b3bbf',
    magenta: '#a01c84',
    sky: '#006f80',
    tan: '#7a5230',
    rose: '#c2306a',
    olive: '#7d7d00',
  },
};

type Hue = keyof Categorical;
/** Hash order for custom types: every categorical hue, types' own first. */
const HUES: readonly Hue[] = ['teal', 'indigo', 'magenta', 'sky', 'tan', 'rose', 'olive'];

/** Each built-in node type's hue: fixed, whatever order the nodes of a run come in. */
const TYPE_HUE: Readonly<Record<NodeType, Hue>> = {
  shell: 'teal',
  python: 'indigo',
  node: 'magenta',
  http: 'sky',
  switch: 'tan',
  merge: 'rose',
  workflow: 'olive',
};

/** What each metric series is drawn in; none is a status colour. */
export type MetricSeries =
  | 'duration'
  | 'cpu'
  | 'memory'
  | 'memoryGrowth'
  | 'memoryRelease'
  | 'ioRead'
  | 'ioWrite'
  | 'heat'
  | 'custom'
  | 'customMark';

const METRIC_HUE: Readonly<Record<MetricSeries, Hue>> = {
  duration: 'teal',
  cpu: 'magenta',
  memory: 'indigo',
  memoryGrowth: 'rose',
  memoryRelease: 'sky',
  ioRead: 'sky',
  ioWrite: 'tan',
  heat: 'indigo',
  custom: 'teal',
  customMark: 'magenta',
};

function categorical(theme: ChartTheme): Categorical {
  return CATEGORICAL[theme.kind];
}

/** A status's colour: the theme's chart colours, the same in the timeline, legends and CSS. */
export function statusColor(theme: ChartTheme, s: StatusKey): string {
  switch (s) {
    case 'completed':
      return theme.green;
    case 'failed':
      return theme.red;
    case 'cancelled':
    case 'interrupted':
      return cancelledColor(theme);
    case 'running':
      return theme.blue;
    case 'retried':
      return theme.yellow;
    case 'skipped':
    case 'pending':
      return withAlpha(theme.muted, 0.55);
  }
}

/**
 * Orange, unless the theme made it red (VS Code's light high-contrast theme does): cancelled
 * must not read as failed, so it falls back to an orange of the theme's kind.
 */
function cancelledColor(theme: ChartTheme): string {
  if (colorDistance(theme.orange, theme.red) >= MIN_STATUS_DISTANCE) return theme.orange;
  return theme.kind === 'high-contrast-light' || theme.kind === 'light' ? '#e07000' : '#e8a33c';
}

/** A node type's colour: built-in types fixed, any other one from a hash of its name. */
export function nodeTypeColor(theme: ChartTheme, type: string): string {
  const c = categorical(theme);
  const own = (NODE_TYPES as readonly string[]).includes(type)
    ? TYPE_HUE[type as NodeType]
    : undefined;
  return c[own ?? HUES[hashName(type) % HUES.length] ?? 'teal'];
}

/** A group's colour in charts grouped by type or by tag (tags are hashed like custom types). */
export function groupColor(theme: ChartTheme, name: string): string {
  return nodeTypeColor(theme, name);
}

export function metricColor(theme: ChartTheme, m: MetricSeries): string {
  return categorical(theme)[METRIC_HUE[m]];
}

/**
 * Colours for one line per node (or run) where nothing else names the colour, in order: the
 * categorical hues only, so no line takes a status colour.
 */
export function seriesPalette(theme: ChartTheme): string[] {
  const c = categorical(theme);
  return HUES.map((h) => c[h]);
}

/** FNV-1a: stable across runs, machines and engines (no Math.random, no Map order). */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Two status colours closer than this (CIE76 ΔE) would be mistaken for each other. */
export const MIN_STATUS_DISTANCE = 20;

/** Perceptual distance of two colours (CIE76 ΔE on sRGB → Lab); Infinity if one is unreadable. */
export function colorDistance(a: string, b: string): number {
  const x = lab(a);
  const y = lab(b);
  if (!x || !y) return Infinity;
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
}

function lab(color: string): [number, number, number] | null {
  const c = parseColor(color);
  if (!c) return null;
  const lin = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [lin(c.r), lin(c.g), lin(c.b)];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/**
 * The colours as CSS custom properties, so the style sheets' status and type swatches use the
 * very same mapping as the charts (set on the page's body when the theme changes).
 */
export function colorVariables(theme: ChartTheme): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of STATUS_KEYS) out[`--wp-status-${s}`] = statusColor(theme, s);
  for (const t of NODE_TYPES) out[`--wp-type-${t}`] = nodeTypeColor(theme, t);
  return out;
}
