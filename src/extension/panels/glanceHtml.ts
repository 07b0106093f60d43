/**
 * The "Run at a Glance" view: the host computes a small model of a run (pure, glanceModel) and
 * posts it; the view's page (glanceHtml) draws it. The page is loaded once: updates are
 * messages, not a new document every second. Every string from a workflow or a run reaches the
 * page only as data and is set with textContent, never parsed as HTML; the only active parts are
 * command links the view allows, built here.
 */
import { finalTaskByNode } from '../../report/analysis';
import { formatBytes, formatMs, formatPercent } from '../../model/format';
import type { RunRecord } from '../../model/run';
import { COMMANDS, type CommandId } from '../commandIds';

const TOP_NODES = 6;

export interface GlanceLive {
  done: number;
  total: number;
  elapsedMs: number;
  running: string[];
}

export interface GlanceNodeRow {
  nodeId: string;
  duration: string;
  detail: string;
  durationMs: number;
}

export interface GlanceModel {
  name: string;
  /** A RunStatus, or `running` while live: the page uses it as a CSS class from a fixed set. */
  status: string;
  /** Wall time and start, e.g. `· 1.24 s · 1/2/2026, 12:00:00`. */
  meta: string;
  /** Live: `2 of 5 nodes done, 3 left`; finished: the task counts. */
  summary: string;
  progress: { done: number; total: number } | null;
  /** Live: `running: a, b`; empty when nothing runs or the run is over. */
  running: string;
  slowest: GlanceNodeRow[];
  longestMs: number;
  actions: { label: string; href: string }[];
}

export type HostToGlance = { type: 'glance'; model: GlanceModel | null };
export type GlanceToHost = { type: 'ready' };

/** The commands the page may link to: also the view's enableCommandUris. */
export const GLANCE_COMMANDS: readonly CommandId[] = [
  COMMANDS.openDashboard,
  COMMANDS.openReport,
  COMMANDS.cancel,
];

function commandHref(command: CommandId, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Pure: what the view shows of a run (live or finished), or null for the empty state. */
export function glanceModel(run: RunRecord | null, live: GlanceLive | null): GlanceModel | null {
  if (!run) return null;
  const finals = [...finalTaskByNode(run).values()];
  const slowest = finals
    .filter((t) => t.durationMs !== null)
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .slice(0, TOP_NODES);
  const status = live ? 'running' : run.status;
  const wall = live ? live.elapsedMs : run.wallMs;
  let summary: string;
  if (live) {
    summary = `${live.done} of ${live.total || '?'} nodes done, ${Math.max(0, live.total - live.done)} left`;
  } else {
    const counts = new Map<string, number>();
    for (const t of finals) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
    summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  }
  return {
    name: run.workflow.name,
    status,
    meta: `· ${formatMs(wall)} · ${new Date(run.startedAt).toLocaleString()}`,
    summary,
    progress: live ? { done: live.done, total: Math.max(1, live.total) } : null,
    running: live && live.running.length > 0 ? `running: ${live.running.join(', ')}` : '',
    slowest: slowest.map((t) => ({
      nodeId: t.nodeId,
      duration: formatMs(t.durationMs),
      durationMs: t.durationMs ?? 0,
      detail: [
        t.peakRssBytes !== null ? formatBytes(t.peakRssBytes) : null,
        t.cpuPercent !== null ? `${formatPercent(t.cpuPercent, 0)} CPU` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    })),
    longestMs: Math.max(1, slowest[0]?.durationMs ?? 0),
    actions: [
      { label: 'Dashboard', href: commandHref(COMMANDS.openDashboard, [run.id]) },
      live
        ? { label: 'Cancel', href: commandHref(COMMANDS.cancel, [run.workflow.file]) }
        : { label: 'Report', href: commandHref(COMMANDS.openReport, [run.id]) },
    ],
  };
}

/**
 * The page's script: plain ES2020 for the webview. Builds the DOM with createElement and
 * textContent only; a status outside the known set gets no class, a link outside the allowed
 * commands is not drawn.
 */
const SCRIPT = `
const vscode = acquireVsCodeApi();
const STATUSES = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];
const ALLOWED = ${JSON.stringify(GLANCE_COMMANDS.map((c) => `command:${c}?`))};
const root = document.getElementById('root');
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function draw(m) {
  if (!m) {
    root.replaceChildren(el('p', 'muted', 'Select a run in the Runs view, or run a workflow, to see it here.'));
    return;
  }
  const parts = [el('h2', '', m.name)];
  const line = el('div');
  const status = el('span', 'status', m.status);
  if (STATUSES.includes(m.status)) status.classList.add(m.status);
  line.append(status, ' ', el('span', 'muted', m.meta));
  parts.push(line, el('div', 'muted', m.summary));
  if (m.progress) {
    const p = el('progress');
    p.max = m.progress.total;
    p.value = m.progress.done;
    parts.push(p);
  }
  if (m.running) parts.push(el('div', 'muted', m.running));
  if (m.slowest.length > 0) {
    const body = el('tbody');
    for (const r of m.slowest) {
      const tr = el('tr');
      tr.title = r.detail;
      const bar = el('td', 'bar');
      const p = el('progress');
      p.max = m.longestMs;
      p.value = r.durationMs;
      bar.append(p);
      tr.append(el('td', 'node', r.nodeId), el('td', 'num', r.duration), bar);
      body.append(tr);
    }
    const table = el('table');
    table.append(body);
    parts.push(table);
  }
  const actions = el('div', 'actions');
  for (const a of m.actions) {
    if (!ALLOWED.some((prefix) => a.href.startsWith(prefix))) continue;
    const link = el('a', 'button', a.label);
    link.href = a.href;
    actions.append(link);
  }
  parts.push(actions);
  root.replaceChildren(...parts);
}
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'glance') draw(e.data.model);
});
vscode.postMessage({ type: 'ready' });
`;

/** Pure: the view's page, loaded once; it draws whatever model the host posts. */
export function glanceHtml(cspNonce: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${cspNonce}'; script-src 'nonce-${cspNonce}';`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${cspNonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 4px 8px; }
h2 { font-size: 1.05em; margin: 4px 0; overflow-wrap: anywhere; }
.muted { color: var(--vscode-descriptionForeground); }
.status { font-weight: 600; }
.status.completed { color: var(--vscode-charts-green); }
.status.failed, .status.interrupted { color: var(--vscode-charts-red); }
.status.cancelled { color: var(--vscode-charts-orange); }
.status.running { color: var(--vscode-charts-blue); }
progress { width: 100%; height: 6px; accent-color: var(--vscode-progressBar-background); }
table { width: 100%; border-collapse: collapse; margin-top: 6px; }
td { padding: 2px 0; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; padding-left: 6px; }
td.bar { width: 35%; padding-left: 6px; }
td.bar progress { height: 4px; }
.node { overflow-wrap: anywhere; }
.actions { margin-top: 10px; display: flex; gap: 6px; flex-wrap: wrap; }
a.button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); padding: 2px 8px; border-radius: 2px; text-decoration: none; }
a.button:hover { background: var(--vscode-button-secondaryHoverBackground); }
</style></head><body><div id="root"><p class="muted">Select a run in the Runs view, or run a workflow, to see it here.</p></div>
<script nonce="${cspNonce}">${SCRIPT}</script>
</body></html>`;
}
