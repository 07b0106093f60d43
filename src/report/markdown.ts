/**
 * The performance report (`report.md`): what the original's PerformanceVisualizer wrote, made
 * honest. Wall time is the wall time (the original reported the sum of durations as "total
 * time"), unmeasured values print `n/a` (never 0), every rule states its threshold, and the last
 * section says how each number was measured.
 *
 * Every string that comes from the workflow or the run (node ids, names, reasons, tags, custom
 * metric keys, file names) goes through escapeMarkdown: a node named `a|b` must not split a table
 * cell, and one named `<img src=x onerror=…>` must not become HTML in the Markdown preview.
 */
import { savingCoreHours, slurmEfficiency } from './charts/slurmEfficiency';
import { columnText, REPORT_TASK_COLUMNS } from './metricColumns';
import {
  LOWER_BOUND_MARK,
  lowerBoundsOf,
  type RunRecord,
  type Sample,
  type TaskRun,
} from '../model/run';
import { isTaskMetricKey, metricDef, type TaskMetricKey } from '../model/metrics';
import { inProcessLeafRuns } from './insights';
import {
  analyzeRun,
  IN_PROCESS_TYPES,
  type Insight,
  type InsightPart,
  type NodeInfo,
  type RunAnalysis,
  type CriticalPath,
} from './analysis';
import { maxOfAll } from './rules';
import { MACHINE_LINE_HELP, machineLine, machineOf } from '../model/machine';
import { memoryForecastFigure } from './charts/memoryForecast';
import { failedTasks, taskError } from '../model/failures';
import {
  formatBytes,
  formatCount,
  formatFactor,
  formatMs,
  formatNumber,
  formatRatio,
  NA,
} from '../model/format';

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for any inline Markdown context, table cells included.
 * - `& < >` become entities, so no HTML tag or entity can be formed;
 * - CommonMark/GFM punctuation (\ ` * _ { } [ ] ( ) # + - . ! |) and `~ $ :` (strikethrough, the
 *   preview's math, and the linkifier's `http:`/`www.` autolinks) get a backslash;
 * - line breaks, other control characters and bidirectional overrides become a space or vanish,
 *   so a value cannot end a table row or visually reorder the text around it.
 */
export function escapeMarkdown(text: string): string {
  return (
    String(text)
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
      // Control characters are what this strips, so the pattern must name them.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[&<>]|[\\`*_{}[\]()#+\-.!|~$:]/g, (c) => HTML_ENTITIES[c] ?? `\\${c}`)
  );
}

const e = escapeMarkdown;

/** Our own wording in a table cell: only the pipe can hurt there. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${sep.join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/**
 * Appends in place. `lines.push(...more)` passes one argument per line and throws a RangeError
 * past about 100k of them (a run with many tasks or custom metrics gets there).
 */
function append(lines: string[], ...chunks: (string | readonly string[])[]): void {
  for (const c of chunks) {
    if (typeof c === 'string') lines.push(c);
    else for (const l of c) lines.push(l);
  }
}

/** An identifier in prose: bold, escaped. */
function id(nodeId: string): string {
  return `**${e(nodeId)}**`;
}

function renderParts(parts: readonly InsightPart[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : 'node' in p ? id(p.node) : e(p.value)))
    .join('');
}

function pathText(nodeIds: readonly string[]): string {
  return nodeIds.map(e).join(' → ');
}

/** A node's name under its parent: `sub/extract` under `sub` reads `extract`. */
function shortName(n: Pick<NodeInfo, 'nodeId' | 'parentId'>): string {
  return n.parentId !== null && n.nodeId.startsWith(`${n.parentId}/`)
    ? n.nodeId.slice(n.parentId.length + 1)
    : n.nodeId;
}

const INDENT = '\u00a0\u00a0\u00a0\u00a0';
const CRITICAL_MARK = '◆';

function nodeLabel(n: NodeInfo): string {
  const indent = n.depth > 0 ? `${INDENT.repeat(n.depth - 1)}${INDENT}↳ ` : '';
  return `${indent}${e(shortName(n))}${n.onCriticalPath ? ` ${CRITICAL_MARK}` : ''}`;
}

export function renderReport(run: RunRecord, samples: readonly Sample[] = []): string {
  const a = analyzeRun(run, samples);
  const out: string[] = [];
  const sections = [
    [`# Performance report: ${e(run.workflow.name)}`],
    header(run),
    failures(run),
    summary(run, a),
    insights(a.insights),
    bottlenecks(a),
    timeline(run, a),
    taskTable(a),
    httpTable(a),
    customTable(a),
    slurmTable(run),
    howMeasured(run, a, samples),
  ];
  for (const section of sections) if (section.length > 0) append(out, section, '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Requested against used, per Slurm job (runtime slurm only). */
function slurmTable(run: RunRecord): string[] {
  const rows = slurmEfficiency(run);
  if (rows.length === 0) return [];
  const share = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 100)} %`);
  const saving = savingCoreHours(rows);
  return [
    '## Requested against used (Slurm)',
    '',
    "CPU efficiency = CPU time ÷ (cpus granted × duration); memory efficiency = peak ÷ memory granted; time used = duration ÷ time limit. Flagged: under 25 % of a request, or within 10 % of a limit. Queue is Slurm's (submitted to started), apart from the run time.",
    '',
    ...table(
      ['Node', 'Job', 'Host', 'Queue', 'Duration', 'CPU eff.', 'Memory eff.', 'Time used', 'Flags'],
      rows.map((r) => [
        `${id(r.nodeId)}${r.attempt > 1 ? ` #${r.attempt}` : ''}`,
        cell(r.jobId),
        e(r.host ?? 'n/a'),
        formatMs(r.queueMs),
        formatMs(r.durationMs),
        share(r.cpuEfficiency),
        share(r.memoryEfficiency),
        share(r.timeUsed),
        cell(r.flags.join('; ') || 'none'),
      ]),
      ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    saving === null
      ? 'Saving: n/a (a flagged node has no CPU time or duration).'
      : `Saving: ${saving.toFixed(4)} core-hours if the CPU-flagged nodes asked for what they used.`,
  ];
}

/** A timestamp we print ourselves from the parsed date (so it needs no escaping), else escaped. */
function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? e(iso)
    : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

function header(run: RunRecord): string[] {
  const lines = [
    `Run ${e(run.id)}, started ${when(run.startedAt)}${run.endedAt ? `, ended ${when(run.endedAt)}` : ''}.  `,
    `Workflow file ${e(run.workflow.file)} (definition ${e(run.workflow.hash.slice(0, 12))}).`,
  ];
  if (run.status === 'running') {
    lines.push(
      '',
      '> This run was still running when the report was made: the numbers are partial.',
    );
  }
  return lines;
}

/** Why each failed node failed, first: its kind, message and the end of its stderr. */
function failures(run: RunRecord): string[] {
  const failed = failedTasks(run.tasks);
  if (failed.length === 0) return [];
  const lines = ['## Failures', ''];
  for (const t of failed) {
    const err = taskError(t);
    const why = err ? `${e(err.kind)}: ${e(err.message)}` : e(t.reason ?? 'failed');
    lines.push(`- ${id(t.nodeId)} failed (${why}).`);
    if (err && err.stderrTail.length > 0) append(lines, '', fenced(err.stderrTail), '');
  }
  return lines;
}

/**
 * Text as a fenced code block, which Markdown shows literally: the fence is longer than any run
 * of backticks inside, so the text cannot close it, and control characters other than line
 * breaks and tabs go (bidi overrides included).
 */
export function fenced(text: string): string[] {
  const body = text
    .replace(/\r\n?/g, '\n')
    // Control characters are what this strips, so the pattern must name them.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...body.split('\n'), fence];
}

function summary(run: RunRecord, a: RunAnalysis): string[] {
  const c = a.counts;
  const parts = [`${formatCount(c.nodes)} node${c.nodes === 1 ? '' : 's'}`];
  const tally: [number, string][] = [
    [c.completed, 'completed'],
    [c.failed, 'failed'],
    [c.skipped, 'skipped'],
    [c.cancelled, 'cancelled'],
    [c.running, 'running'],
    [c.pending, 'pending'],
  ];
  const tallied = tally.filter(([n]) => n > 0).map(([n, s]) => `${formatCount(n)} ${s}`);
  if (tallied.length > 0) parts.push(tallied.join(', '));
  if (c.retriedAttempts > 0) {
    parts.push(
      `${formatCount(c.retriedAttempts)} retried attempt${c.retriedAttempts === 1 ? '' : 's'}`,
    );
  }
  const status = `**${e(run.status)}**${run.reason ? ` (${e(run.reason)})` : ''}: ${parts.join('; ')}`;

  const wallDef =
    a.wallSource === 'tasks'
      ? 'the run recorded no end: span from the first task start to the last task end'
      : "run start to run end on the runner's monotonic clock; not the sum of durations";
  const processRuns = a.executedLeafTasks - inProcessLeafRuns(a);
  const cpu =
    a.totalCpuTimeMs === null
      ? NA
      : a.cpuMeasuredTasks >= processRuns
        ? `${formatMs(a.totalCpuTimeMs)} (all ${processRuns} process attempts)`
        : `${formatMs(a.totalCpuTimeMs)} (${a.cpuMeasuredTasks} of ${processRuns} process attempts measured)`;
  const mem = memoryCell(run, a);
  const cp = a.criticalPath;
  const cpCell =
    cp.nodeIds.length === 0
      ? NA
      : `${pathText(cp.nodeIds)} (${formatMs(cp.totalMs)}, ${formatRatio(cp.shareOfWall)} of wall)${nestedPaths(cp)}`;
  const slotsText =
    run.runtime === 'local' ? 'local, 1 slot (one node at a time)' : `parallel, ${a.slots} slots`;

  const rows: [string, string, string][] = [
    ['Status', status, 'final state of the run and of its nodes'],
    ['Runtime', slotsText, 'slots = maxParallel; the local runtime has one'],
    machineRow(run),
    ['Wall time', `**${formatMs(a.wallMs)}**`, wallDef],
    [
      'Sum of durations',
      formatMs(a.sumDurationMs),
      'every executed attempt added up (retries included; a nested workflow counts through its nodes, not twice)',
    ],
    ['Total CPU time', cpu, "user + system CPU of each node's whole process tree, added up"],
    ['Peak concurrent memory', mem.value, mem.definition],
    ...forecastRow(run, a),
    [
      'Parallelism',
      formatFactor(a.parallelism),
      `sum of durations ÷ wall time: nodes running at once on average (most at once: ${a.maxObservedConcurrency})`,
    ],
    [
      'Parallel efficiency',
      formatRatio(a.parallelEfficiency),
      `parallelism ÷ slots (${a.slots}): share of the slots kept busy${a.nodes.size > 0 && [...a.nodes.values()].some((n) => n.isContainer) ? '; nested workflows have slots of their own, so it can exceed 100%' : ''}`,
    ],
    [
      'Critical path',
      cpCell,
      'longest chain of needs, each node weighted by its duration (all attempts): the shortest the run could take with unlimited slots',
    ],
    [
      'DAG width',
      a.dagWidth > 0 ? String(a.dagWidth) : NA,
      'most nodes at one dependency depth (they can all run at once): more slots than this cannot help',
    ],
    [
      'Queued for a slot',
      a.waitingNodes > 0
        ? `${formatMs(a.totalWaitMs)} over ${a.waitingNodes} node${a.waitingNodes === 1 ? '' : 's'}`
        : formatMs(a.totalWaitMs),
      'time from ready (all needs done) to start, added up',
    ],
  ];
  return [
    '## Summary',
    '',
    ...table(
      ['Measure', 'Value', 'Definition'],
      rows.map(([m, v, d]) => [m, v, cell(d)]),
    ),
  ];
}

/** Cores, load and other CPU: how much of the machine the run had (see MachineContext). */
function machineRow(run: RunRecord): [string, string, string] {
  const m = machineOf(run);
  return m
    ? ['Machine', e(machineLine(m)), MACHINE_LINE_HELP]
    : ['Machine', NA, 'not recorded: the run was made before the machine context was'];
}

function nestedPaths(cp: CriticalPath): string {
  return cp.nested
    .filter((x) => x.path.nodeIds.length > 0)
    .map(
      (x) =>
        `; inside ${e(x.parentId)}: ${pathText(x.path.nodeIds)} (${formatMs(x.path.totalMs)})${nestedPaths(x.path)}`,
    )
    .join('');
}

/** Forecast against actual, for a run started with a memory forecast; no row otherwise. */
function forecastRow(run: RunRecord, a: RunAnalysis): [string, string, string][] {
  const f = memoryForecastFigure(run, a, run.status === 'running');
  return f ? [['Memory forecast', `forecast ${f.forecast}, actual ${f.actual}`, f.detail]] : [];
}

function memoryCell(run: RunRecord, a: RunAnalysis): { value: string; definition: string } {
  switch (a.peakConcurrentMemoryMethod) {
    case 'samples':
      return {
        value: formatBytes(a.peakConcurrentMemoryBytes),
        definition: `max over time of every running node's RSS added up, from samples every ${formatMs(run.collector.intervalMs)}; never below the largest node's exact peak`,
      };
    case 'max-single-node':
      return {
        value: `≥ ${formatBytes(a.peakConcurrentMemoryBytes)} (≤ ${formatBytes(a.peakConcurrentMemoryUpperBoundBytes)})`,
        definition:
          "no samples in this run: at least the largest node's peak, at most the peaks of overlapping nodes added up",
      };
    default:
      return { value: NA, definition: 'no node measured its memory' };
  }
}

function insights(list: readonly Insight[]): string[] {
  const lines = ['## Insights', ''];
  if (list.length === 0) {
    lines.push('Nothing stood out: no rule below was met and nothing failed.');
    return lines;
  }
  const label = { critical: '**Failure:** ', warning: '**Look here:** ', info: '' } as const;
  for (const i of list) lines.push(`- ${label[i.severity]}${renderParts(i.parts)}`);
  return lines;
}

function bottlenecks(a: RunAnalysis): string[] {
  const lines = ['## Bottlenecks', ''];
  lines.push(
    `Each rule is applied to every node that ran (nested workflow containers are judged through their nodes). ${CRITICAL_MARK} marks the critical path.`,
    '',
  );
  for (const g of a.bottlenecks) {
    lines.push(`### ${g.title}`, '', `Rule: ${g.threshold}.`, '');
    if (g.nodes.length === 0) {
      lines.push('No node met this rule.', '');
      continue;
    }
    append(
      lines,
      table(
        ['Node', 'Measured', 'Critical path'],
        g.nodes.map((b) => [
          e(b.nodeId),
          cell(b.detail),
          b.onCriticalPath ? `${CRITICAL_MARK} yes` : 'no',
        ]),
      ),
      '',
    );
  }
  return lines;
}

const BAR_WIDTH = 40;
const TIMELINE_MAX_ROWS = 60;

/**
 * A text Gantt chart: one row per attempt, `▒` queued, `█` running, `░` idle, on a scale of the
 * wall time. Start and end keep millisecond precision (the original rounded to whole seconds).
 */
function timeline(run: RunRecord, a: RunAnalysis): string[] {
  const rows: { n: NodeInfo; t: TaskRun }[] = [];
  for (const nodeId of a.order) {
    const n = a.nodes.get(nodeId) as NodeInfo;
    for (const t of n.attempts) if (t.startMs !== null) rows.push({ n, t });
  }
  const lines = ['## Timeline', ''];
  const span =
    a.wallMs ??
    maxOfAll(
      rows.map(({ t }) => t.endMs ?? t.startMs ?? 0),
      0,
    );
  if (rows.length === 0 || span <= 0) {
    lines.push('No node ran.');
    return lines;
  }
  const col = (ms: number): number =>
    Math.min(BAR_WIDTH, Math.max(0, Math.round((ms / span) * BAR_WIDTH)));
  const body = rows.slice(0, TIMELINE_MAX_ROWS).map(({ n, t }) => {
    const start = t.startMs ?? 0;
    const end = t.endMs ?? (t.durationMs !== null ? start + t.durationMs : span);
    const ready = t.readyAtMs !== null && t.readyAtMs < start ? t.readyAtMs : start;
    const [r, s, f] = [col(ready), col(start), Math.max(col(end), col(start) + 1)];
    const bar =
      '░'.repeat(r) +
      '▒'.repeat(s - r) +
      '█'.repeat(Math.min(BAR_WIDTH, f) - s) +
      '░'.repeat(Math.max(0, BAR_WIDTH - f));
    const attempt = n.attempts.length > 1 ? ` (attempt ${t.attempt})` : '';
    return [
      `${nodeLabel(n)}${attempt}`,
      `\`${bar.slice(0, BAR_WIDTH)}\``,
      formatMs(start),
      formatMs(end),
      e(t.status),
    ];
  });
  append(
    lines,
    `Scale: the whole bar is the wall time, ${formatMs(span)}. █ running, ▒ queued for a slot, ░ idle.`,
    '',
    table(['Node', 'Timeline', 'Start', 'End', 'Status'], body, ['l', 'l', 'r', 'r', 'l']),
  );
  if (rows.length > TIMELINE_MAX_ROWS) {
    lines.push('', `${rows.length - TIMELINE_MAX_ROWS} more attempts are in the task table below.`);
  }
  return lines;
}

function taskTable(a: RunAnalysis): string[] {
  const lines = ['## Tasks', ''];
  if (a.order.length === 0) {
    lines.push('The run has no tasks.');
    return lines;
  }
  const rows: string[][] = [];
  const notes: string[] = [];
  const bounds: string[] = [];
  for (const nodeId of a.order) {
    const n = a.nodes.get(nodeId) as NodeInfo;
    for (const t of n.attempts) {
      const attempts = n.attempts.length > 1 ? `${t.attempt}/${n.attempts.length}` : '1';
      // Every row of a retried node names its attempt: the final one's figures (its Queued
      // above all) are that attempt's, while the node's queue time is the sum of the rows.
      const label =
        n.attempts.length === 1 ? nodeLabel(n) : `${nodeLabel(n)} (attempt ${t.attempt})`;
      rows.push([
        label,
        e(t.type),
        e(t.status),
        attempts,
        ...REPORT_TASK_COLUMNS.map((c) => columnText(c, t, lowerBoundsOf(t))),
      ]);
      const attemptText = n.attempts.length > 1 ? ` (attempt ${t.attempt})` : '';
      for (const [reason, metrics] of boundsByReason(t)) {
        bounds.push(
          `- ${id(t.nodeId)}${attemptText}: ${metrics.map((m) => e(metricDef(m).phrase)).join(', ')}: ${e(reason)}`,
        );
      }
      if (t.reason && t.status !== 'completed') {
        const attempt = n.attempts.length > 1 ? ` (attempt ${t.attempt})` : '';
        notes.push(`- ${id(t.nodeId)}${attempt} ${e(t.status)}: ${e(t.reason)}`);
      }
    }
  }
  append(
    lines,
    table(
      ['Node', 'Type', 'Status', 'Attempt', ...REPORT_TASK_COLUMNS.map((c) => c.heading)],
      rows,
      ['l', 'l', 'l', 'r', ...REPORT_TASK_COLUMNS.map((): 'r' => 'r')],
    ),
    '',
    `Nested workflow nodes are indented under their \`workflow\` node (↳); ${CRITICAL_MARK} marks the critical path; each attempt of a retried node has its own row (its Queued is the attempt's; the node's queue time is their sum). CPU % is per cent of one core (over 100% means several cores). ${NA} means not measured, never zero.`,
  );
  const tagged = a.order
    .map((x) => a.nodes.get(x) as NodeInfo)
    .filter((n) => n.final.tags.length > 0);
  if (tagged.length > 0) {
    lines.push(
      '',
      `Tags: ${tagged.map((n) => `${id(n.nodeId)} ${n.final.tags.map(e).join(', ')}`).join('; ')}.`,
    );
  }
  if (notes.length > 0) append(lines, '', '### Why nodes did not complete', '', notes);
  if (bounds.length > 0) {
    append(
      lines,
      '',
      '### Lower bounds',
      '',
      `${LOWER_BOUND_MARK} marks a figure the tree may have exceeded, because:`,
      '',
      bounds,
    );
  }
  return lines;
}

/** A task's lower-bound metrics grouped by reason, table metrics only, in first-seen order. */
function boundsByReason(t: TaskRun): Map<string, TaskMetricKey[]> {
  const out = new Map<string, TaskMetricKey[]>();
  for (const b of lowerBoundsOf(t)) {
    if (!isTaskMetricKey(b.metric) || t[b.metric] === null) continue;
    out.set(b.reason, [...(out.get(b.reason) ?? []), b.metric]);
  }
  return out;
}

function httpTable(a: RunAnalysis): string[] {
  const rows: string[][] = [];
  for (const nodeId of a.order) {
    const n = a.nodes.get(nodeId) as NodeInfo;
    for (const t of n.attempts) {
      const h = t.http;
      if (!h) continue;
      rows.push([
        `${nodeLabel(n)}${n.attempts.length > 1 ? ` (attempt ${t.attempt})` : ''}`,
        h.status === null ? NA : e(String(h.status)),
        formatBytes(h.bytes),
        formatMs(h.dnsMs),
        formatMs(h.connectMs),
        formatMs(h.tlsMs),
        formatMs(h.firstByteMs),
        formatMs(h.downloadMs),
        formatMs(h.totalMs),
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    '## HTTP requests',
    '',
    ...table(
      ['Node', 'Status', 'Body', 'DNS', 'Connect', 'TLS', 'First byte', 'Download', 'Total'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `First byte is from the request sent to the first response byte (the server's time); ${NA} phases did not happen (a reused connection, plain HTTP) or could not be timed.`,
  ];
}

function customTable(a: RunAnalysis): string[] {
  const rows: string[][] = [];
  for (const nodeId of a.order) {
    const n = a.nodes.get(nodeId) as NodeInfo;
    for (const t of n.attempts) {
      const keys = Object.keys(t.custom).sort();
      for (const k of keys) {
        const v = t.custom[k];
        rows.push([
          `${nodeLabel(n)}${n.attempts.length > 1 ? ` (attempt ${t.attempt})` : ''}`,
          e(k),
          typeof v === 'number' ? formatNumber(v) : NA,
        ]);
      }
    }
  }
  if (rows.length === 0) return [];
  return [
    '## Custom metrics',
    '',
    'Reported by the nodes themselves under `_metrics` in their output.',
    '',
    ...table(['Node', 'Metric', 'Value'], rows, ['l', 'l', 'r']),
  ];
}

/** Whether the native reaper gave exact totals; runs recorded before the self-test say nothing. */
function reaperLine(c: RunRecord['collector']): string[] {
  if (!c.reaper) return [];
  if (c.reaper.used) {
    return [
      `- Native reaper: \`${(c.reaper.version ?? 'wp-reaper').replace(/`/g, '')}\` passed its self-test before the first node; totals are exact.`,
    ];
  }
  return [
    `- Native reaper: not used, so every node was measured by sampling (totals are estimates): ${e(c.reaper.fallbackReason ?? 'no reason recorded')}.`,
  ];
}

function howMeasured(run: RunRecord, a: RunAnalysis, samples: readonly Sample[]): string[] {
  const c = run.collector;
  const overheadShare = a.wallMs !== null && a.wallMs > 0 ? c.overheadCpuMs / a.wallMs : null;
  const lines = [
    '## How this was measured',
    '',
    `- Collector: ${e(c.mode)} on ${e(c.platform)}, sampling every ${formatMs(c.intervalMs)} (${formatCount(c.ticks)} ticks${samples.length > 0 ? `; ${formatCount(samples.length)} samples in this report` : '; samples not kept for this run'}).`,
    ...reaperLine(c),
    `- Collector overhead: ${formatMs(c.overheadCpuMs)} of the runner's CPU${overheadShare !== null ? ` (${formatRatio(overheadShare, 2)} of one core over the wall time)` : ''}.`,
    '- Durations and waits come from the monotonic clock with sub-millisecond resolution; CPU % = CPU time ÷ duration × 100, per cent of one core, never an average of samples.',
    `- ${[...IN_PROCESS_TYPES].join(', ')} nodes run inside the runner, without a process tree of their own: their CPU, memory and I/O are ${NA} by design.`,
  ];
  lines.push(
    c.unavailable.length > 0
      ? `- Unavailable on this platform (always ${NA} in this run): ${c.unavailable.map(e).join(', ')}.`
      : '- Unavailable on this platform: none.',
  );
  if (a.nullMetrics.length > 0) {
    const unavailable = new Set(c.unavailable);
    const partial = a.nullMetrics.filter((m) => !unavailable.has(m.metric));
    if (partial.length > 0) {
      lines.push(`- Not measured for some process nodes in this run (${NA}):`);
      for (const m of partial) {
        const shown = m.nodeIds.slice(0, 8).map(e).join(', ');
        const more = m.nodeIds.length > 8 ? ` and ${m.nodeIds.length - 8} more` : '';
        lines.push(`  - ${m.metric}: ${shown}${more}`);
      }
    }
  }
  lines.push('', '### Sources', '');
  if (c.sources.length === 0) lines.push('The run did not record its metric sources.');
  else {
    append(
      lines,
      table(
        ['Metric', 'Source'],
        c.sources.map((s) => [e(s.metric), e(s.source)]),
      ),
    );
  }
  return lines;
}
