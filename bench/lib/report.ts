/** Renders results: a plain-text table for the terminal, Markdown for bench/results.md. */
import type { Machine } from './machine';
import { machineLine } from './machine';
import type { Comparison, Figure, Params, Row, ToolName } from './types';

export interface CaseResult {
  name: string;
  title: string;
  description: string;
  params: Params;
  status: 'ok' | 'error' | 'not run';
  error: string | null;
  wallMs: number;
  rows: Row[];
}

export interface SuiteResult {
  schemaVersion: 1;
  suite: 'workflow-profiler bench';
  mode: 'quick' | 'full';
  command: string;
  startedAt: string;
  wallMs: number;
  machine: Machine;
  tools: Record<ToolName, string | null>;
  summary: { targets: number; met: number; missed: number; caseErrors: number };
  cases: CaseResult[];
}

function num(v: number, digits: number): string {
  return v.toFixed(digits);
}

export function formatFigure(f: Figure): string {
  const v = f.value;
  if (v === null) return 'n/a';
  switch (f.unit) {
    case 'us':
      return `${num(v, Math.abs(v) >= 100 ? 0 : 1)} µs`;
    case 'ms':
      if (Math.abs(v) >= 1000) return `${num(v / 1000, 3)} s`;
      if (Math.abs(v) >= 100) return `${num(v, 1)} ms`;
      if (Math.abs(v) >= 1) return `${num(v, 2)} ms`;
      return `${num(v, 3)} ms`;
    case 's':
      return `${num(v, 3)} s`;
    case 'B': {
      const a = Math.abs(v);
      if (a >= 1024 ** 2) return `${num(v / 1024 ** 2, 2)} MiB`;
      if (a >= 1024) return `${num(v / 1024, 1)} KiB`;
      return `${Math.round(v)} B`;
    }
    case '%core':
      return `${num(v, 2)} %`;
    case 'count':
      return String(Math.round(v));
    case 'x':
      return `${num(v, 2)} ×`;
  }
}

function signed(text: string, v: number): string {
  return v > 0 ? `+${text}` : v === 0 ? `±${text}` : text;
}

export function formatComparison(c: Comparison | null, unit: Figure['unit']): string {
  if (!c) return '';
  if (c.value === null) return 'n/a';
  switch (c.kind) {
    case 'error':
      return `${signed(num(c.value, 2), c.value)} % vs ${c.against}`;
    case 'ratio':
      return `${num(c.value, 2)} × ${c.against}`;
    case 'diff':
      if (unit === '%core') return `${signed(num(c.value, 2), c.value)} pp vs ${c.against}`;
      return `${signed(formatFigure({ value: c.value, unit }), c.value)} vs ${c.against}`;
  }
}

const HEAD = [
  'Measurement',
  'Ours',
  'Baseline',
  'Truth',
  'Ours vs reference',
  'Baseline vs truth',
  'Target',
  'Result',
];

/** A row's cells, in HEAD order; notes become numbered footnotes. */
function cells(r: Row, noteNo: number | null): string[] {
  return [
    noteNo === null ? r.measure : `${r.measure} [${noteNo}]`,
    r.ours.value === null && r.note === 'not built' ? 'not built' : formatFigure(r.ours),
    r.baseline ? `${formatFigure(r.baseline.figure)} (${r.baseline.label})` : '',
    r.truth ? formatFigure(r.truth) : '',
    formatComparison(r.compare, r.ours.unit),
    formatComparison(r.baselineCompare, r.baseline?.figure.unit ?? r.ours.unit),
    r.target?.text ?? '',
    r.target ? (r.target.met ? 'met' : 'MISSED') : '',
  ];
}

interface Table {
  head: string[];
  body: string[][];
  notes: string[];
}

/** Drops columns empty in every row of the case. */
function table(c: CaseResult): Table {
  const notes: string[] = [];
  const all = c.rows.map((r) => {
    let n: number | null = null;
    if (r.note && r.note !== 'not built') {
      // The same note under several rows is listed once.
      const known = notes.indexOf(r.note);
      if (known < 0) notes.push(r.note);
      n = known < 0 ? notes.length : known + 1;
    }
    return cells(r, n);
  });
  const keep = HEAD.map((_, i) => i === 0 || all.some((row) => (row[i] ?? '') !== ''));
  return {
    head: HEAD.filter((_, i) => keep[i]),
    body: all.map((row) => row.filter((_, i) => keep[i])),
    notes,
  };
}

function caseHeader(c: CaseResult): string {
  const took = `${(c.wallMs / 1000).toFixed(1)} s`;
  return `${c.name}: ${c.title} (${took})`;
}

export function renderText(s: SuiteResult): string {
  const out: string[] = [];
  out.push(`Workflow Profiler benchmarks, ${s.mode} run, ${(s.wallMs / 1000).toFixed(1)} s`);
  out.push(`machine: ${machineLine(s.machine)}`);
  out.push(`tools: ${toolsLine(s)}`);
  for (const c of s.cases) {
    out.push('', caseHeader(c));
    if (c.status !== 'ok') {
      out.push(`  ${c.status.toUpperCase()}: ${c.error ?? ''}`);
      if (c.rows.length === 0) continue;
    }
    const t = table(c);
    const widths = t.head.map((h, i) =>
      Math.max(h.length, ...t.body.map((r) => (r[i] ?? '').length)),
    );
    const line = (r: string[]): string =>
      '  ' +
      r
        .map((x, i) => x.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    out.push(line(t.head), '  ' + widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of t.body) out.push(line(r));
    t.notes.forEach((n, i) => out.push(`  [${i + 1}] ${n}`));
  }
  out.push('', summaryLine(s));
  for (const m of missedTargets(s)) out.push(`  missed: ${m}`);
  return out.join('\n') + '\n';
}

function toolsLine(s: SuiteResult): string {
  return (Object.entries(s.tools) as [ToolName, string | null][])
    .map(([k, v]) => `${k}: ${v ?? 'missing'}`)
    .join('; ');
}

function summaryLine(s: SuiteResult): string {
  const errs = s.summary.caseErrors;
  return (
    `targets: ${s.summary.met} of ${s.summary.targets} met, ${s.summary.missed} missed` +
    (errs > 0 ? `; ${errs} case(s) could not run or broke (see above)` : '')
  );
}

function missedTargets(s: SuiteResult): string[] {
  const out: string[] = [];
  for (const c of s.cases) {
    for (const r of c.rows) {
      if (r.target && !r.target.met) {
        out.push(
          `${c.name} / ${r.measure}: ${formatFigure(r.ours)}` +
            (r.compare ? `, ${formatComparison(r.compare, r.ours.unit)}` : '') +
            ` (target ${r.target.text})`,
        );
      }
    }
  }
  return out;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderMarkdown(s: SuiteResult): string {
  const out: string[] = [];
  out.push('# Workflow Profiler benchmark results', '');
  out.push(
    `${s.mode === 'full' ? 'Full' : 'Quick'} run (\`${s.command}\`) started ${s.startedAt}, ` +
      `${(s.wallMs / 1000).toFixed(1)} s for the whole suite. Every figure was measured in this ` +
      'run, beside its baseline. See bench/README.md for what each case does.',
    '',
  );
  out.push(`- Machine: ${machineLine(s.machine)}`);
  out.push(`- Tools: ${toolsLine(s)}`);
  out.push(`- ${summaryLine(s)}`);
  for (const m of missedTargets(s)) out.push(`  - missed: ${m}`);
  for (const c of s.cases) {
    out.push('', `## ${caseHeader(c)}`, '', c.description, '');
    out.push(`Parameters: \`${JSON.stringify(c.params)}\``, '');
    if (c.status !== 'ok') out.push(`**${c.status}**: ${c.error ?? ''}`, '');
    if (c.rows.length === 0) continue;
    const t = table(c);
    out.push(`| ${t.head.map(mdCell).join(' | ')} |`);
    out.push(`| ${t.head.map(() => '---').join(' | ')} |`);
    for (const r of t.body) out.push(`| ${r.map(mdCell).join(' | ')} |`);
    if (t.notes.length > 0) {
      out.push('');
      t.notes.forEach((n, i) => out.push(`${i + 1}. ${n}`));
    }
  }
  return out.join('\n') + '\n';
}

export function summarize(cases: CaseResult[]): SuiteResult['summary'] {
  let targets = 0;
  let met = 0;
  for (const c of cases) {
    for (const r of c.rows) {
      if (!r.target) continue;
      targets++;
      if (r.target.met) met++;
    }
  }
  return {
    targets,
    met,
    missed: targets - met,
    caseErrors: cases.filter((c) => c.status !== 'ok').length,
  };
}
