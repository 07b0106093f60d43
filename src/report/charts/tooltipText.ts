/**
 * Tooltip text for one node attempt, shared by every dashboard chart so a node reads the same
 * everywhere: status, timing to the exact millisecond, CPU, memory, I/O. Escaped for rich text.
 */
import type { TaskRun } from '../../model/run';
import { formatBytes, formatCount, formatMs, formatPercent, NA } from '../../model/format';
import type { NodeRow } from './dashboardModel';
import { exactMs } from './units';
import { tooltipLines } from './text';
import { errorHeadline } from '../../model/taskError';
import { plainLine, taskError } from '../../model/failures';

export function nodeTitle(row: NodeRow): string {
  return `${row.nodeId}  (${row.type})`;
}

export function attemptText(t: TaskRun): string {
  const of =
    t.attempts > 1 || t.attempt > 1
      ? ` · attempt ${t.attempt} of ${Math.max(t.attempts, t.attempt)}`
      : '';
  return `${t.status}${of}`;
}

/** Every measured fact of one attempt, `n/a` where not measured. */
export function attemptRows(t: TaskRun, nowMs?: number): [string, string][] {
  const rows: [string, string][] = [['status', attemptText(t)]];
  // Why it failed comes first: the tooltip may be cut short in a low chart.
  const error = taskError(t);
  if (error) rows.push(['error', plainLine(errorHeadline(error))]);
  if (t.readyAtMs !== null) rows.push(['ready at', exactMs(t.readyAtMs)]);
  if (t.waitMs !== null) rows.push(['queued for a slot', exactMs(t.waitMs)]);
  if (t.startMs !== null) rows.push(['started at', exactMs(t.startMs)]);
  if (t.endMs !== null) rows.push(['ended at', exactMs(t.endMs)]);
  if (t.status === 'running' && t.startMs !== null && nowMs !== undefined) {
    rows.push(['running for', exactMs(Math.max(0, nowMs - t.startMs))]);
  } else {
    rows.push(['duration', exactMs(t.durationMs)]);
  }
  rows.push([
    'CPU',
    t.cpuPercent === null && t.cpuTimeMs === null
      ? NA
      : `${formatPercent(t.cpuPercent)} of one core (${formatMs(t.cpuTimeMs)} CPU time)`,
  ]);
  rows.push([
    'memory',
    `peak ${formatBytes(t.peakRssBytes)} · change ${formatBytes(t.memoryDeltaBytes, { signed: true })}`,
  ]);
  rows.push([
    'I/O',
    `read ${formatBytes(t.ioReadBytes)} in ${formatCount(t.ioReadOps)} calls · wrote ${formatBytes(t.ioWriteBytes)} in ${formatCount(t.ioWriteOps)} calls`,
  ]);
  rows.push([
    'threads · context switches',
    `${formatCount(t.peakThreads)} · ${formatCount(t.contextSwitches)}`,
  ]);
  if (t.http) {
    const h = t.http;
    rows.push([
      'HTTP',
      `${h.status ?? NA} · ${formatBytes(h.bytes)} · DNS ${formatMs(h.dnsMs)}, connect ${formatMs(h.connectMs)}, first byte ${formatMs(h.firstByteMs)}, download ${formatMs(h.downloadMs)}`,
    ]);
  }
  if (t.exitCode !== null && t.exitCode !== 0) rows.push(['exit code', String(t.exitCode)]);
  if (t.signal) rows.push(['signal', t.signal]);
  if (t.reason) rows.push(['reason', t.reason]);
  return rows;
}

export function nodeTooltip(row: NodeRow, t: TaskRun | null, nowMs?: number): string {
  const rows: [string, string][] = t ? attemptRows(t, nowMs) : [['status', row.status]];
  if (row.attempts.length > 1 && row.totalDurationMs !== null) {
    rows.push([`all ${row.attempts.length} attempts`, exactMs(row.totalDurationMs)]);
  }
  // The node's queue time, as the node table and the report give it (every attempt's).
  if (row.attempts.length > 1 && row.metrics.waitMs !== null) {
    rows.push([`queued, all ${row.attempts.length} attempts`, exactMs(row.metrics.waitMs)]);
  }
  if (row.onCriticalPath) rows.push(['critical path', 'yes: this node set the wall time']);
  if (row.tags.length > 0) rows.push(['tags', row.tags.join(', ')]);
  return tooltipLines(nodeTitle(row), rows);
}
