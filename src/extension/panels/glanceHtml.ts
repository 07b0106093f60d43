/**
 * The HTML of the "Run at a Glance" view: pure, static, no script. Every string from a workflow
 * or a run is escaped; the only active parts are command links the view allows.
 */
import { finalTaskByNode } from '../../report/analysis';
import { formatBytes, formatMs, formatPercent } from '../../model/format';
import type { RunRecord } from '../../model/run';
import { escapeHtml } from '../../report/webviewHtml';

export { escapeHtml };

const TOP_NODES = 6;

export interface GlanceLive {
  done: number;
  total: number;
  elapsedMs: number;
  running: string[];
}

function commandLink(command: string, args: unknown[], label: string): string {
  const href = `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
  return `<a class="button" href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

/** Pure: the view's HTML for a run (live or finished), or the empty state. */
export function glanceHtml(
  run: RunRecord | null,
  live: GlanceLive | null,
  cspNonce: string,
): string {
  const csp = `default-src 'none'; style-src 'nonce-${cspNonce}';`;
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
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
</style></head><body>`;
  if (!run) {
    return `${head}<p class="muted">Select a run in the Runs view, or run a workflow, to see it here.</p></body></html>`;
  }
  const finals = [...finalTaskByNode(run).values()];
  const slowest = finals
    .filter((t) => t.durationMs !== null)
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .slice(0, TOP_NODES);
  const longest = slowest[0]?.durationMs ?? 0;
  const status = live ? 'running' : run.status;
  const wall = live ? live.elapsedMs : run.wallMs;
  const parts: string[] = [head];
  parts.push(`<h2>${escapeHtml(run.workflow.name)}</h2>`);
  parts.push(
    `<div><span class="status ${escapeHtml(status)}">${escapeHtml(status)}</span> ` +
      `<span class="muted">· ${escapeHtml(formatMs(wall))} · ${escapeHtml(new Date(run.startedAt).toLocaleString())}</span></div>`,
  );
  if (live) {
    parts.push(
      `<div class="muted">${live.done} of ${live.total || '?'} nodes done, ${Math.max(0, live.total - live.done)} left</div>`,
      `<progress value="${live.done}" max="${Math.max(1, live.total)}"></progress>`,
    );
    if (live.running.length > 0)
      parts.push(`<div class="muted">running: ${live.running.map(escapeHtml).join(', ')}</div>`);
  } else {
    const counts = new Map<string, number>();
    for (const t of finals) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
    parts.push(
      `<div class="muted">${[...counts].map(([s, n]) => `${n} ${escapeHtml(s)}`).join(', ')}</div>`,
    );
  }
  if (slowest.length > 0) {
    parts.push('<table><tbody>');
    for (const t of slowest) {
      const detail = [
        t.peakRssBytes !== null ? formatBytes(t.peakRssBytes) : null,
        t.cpuPercent !== null ? `${formatPercent(t.cpuPercent, 0)} CPU` : null,
      ]
        .filter(Boolean)
        .join(' · ');
      parts.push(
        `<tr title="${escapeHtml(detail)}"><td class="node">${escapeHtml(t.nodeId)}</td>` +
          `<td class="num">${escapeHtml(formatMs(t.durationMs))}</td>` +
          `<td class="bar"><progress value="${t.durationMs ?? 0}" max="${Math.max(1, longest)}"></progress></td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push('<div class="actions">');
  parts.push(commandLink('workflowProfiler.openDashboard', [run.id], 'Dashboard'));
  if (!live) parts.push(commandLink('workflowProfiler.openReport', [run.id], 'Report'));
  else parts.push(commandLink('workflowProfiler.cancel', [run.workflow.file], 'Cancel'));
  parts.push('</div></body></html>');
  return parts.join('\n');
}
