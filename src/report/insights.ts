/**
 * Insights: the analysis in plain, actionable sentences, in the order an engineer reads them.
 * First what went wrong, then where the wall time went (the critical path and the nodes that set
 * it), then whether slots helped or hurt, then per-node observations, then what this run could
 * not measure. Each sentence names nodes as parts, so every renderer escapes them its own way.
 */
import type { RunRecord, TaskRun } from '../model/run';
import type { Insight, InsightKind, InsightPart, NodeInfo, RunAnalysis } from './analysisTypes';

export type { Insight, InsightKind, InsightPart } from './analysisTypes';
import { formatBytes, formatCount, formatMs, formatPercent, formatRatio } from '../model/format';
import {
  CPU_BOUND_PERCENT,
  CRITICAL_NODE_SHARE_OF_WALL,
  HTTP_MIN_TOTAL_MS,
  HTTP_PHASE_SHARE,
  IN_PROCESS_TYPES,
  IO_HEAVY_BYTES,
  IO_HEAVY_OPS,
  OFF_CPU_MIN_DURATION_MS,
  OFF_CPU_PERCENT,
  OVERHEAD_SHARE_OF_WALL,
  QUEUE_INSIGHT_MIN_MS,
  hasRun,
  worthSuggesting,
  ioBytes,
  ioOps,
} from './rules';
import { whatIf } from './whatif/whatIf';
import { loadWarnings, machineOf } from '../model/machine';

/**
 * A piece of an insight sentence: our own wording (a plain string: words, numbers, units), a node
 * id (renderers format and escape it as an identifier), or text from the workflow or the run,
 * such as a failure reason (renderers must escape it).
 */
/** An insight's sentence as plain text, node ids in backticks. */
export function insightText(parts: readonly InsightPart[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : 'node' in p ? `\`${p.node}\`` : p.value))
    .join('');
}

class Sentence {
  readonly parts: InsightPart[] = [];
  readonly nodeIds: string[] = [];
  text(s: string): this {
    if (s !== '') this.parts.push(s);
    return this;
  }
  /** Text that came from the workflow or the run record, never trusted as markup. */
  value(s: string): this {
    if (s !== '') this.parts.push({ value: s });
    return this;
  }
  node(id: string): this {
    this.parts.push({ node: id });
    if (!this.nodeIds.includes(id)) this.nodeIds.push(id);
    return this;
  }
  /** `a`, `b` and `c`; past `max`, "and N more". */
  nodes(ids: readonly string[], max = 5): this {
    const shown = ids.slice(0, max);
    shown.forEach((id, i) => {
      if (i > 0) this.text(i === shown.length - 1 && ids.length <= max ? ' and ' : ', ');
      this.node(id);
    });
    if (ids.length > max) this.text(` and ${ids.length - max} more`);
    return this;
  }
  /** a → b → c */
  chain(ids: readonly string[]): this {
    ids.forEach((id, i) => {
      if (i > 0) this.text(' → ');
      this.node(id);
    });
    return this;
  }
  build(kind: InsightKind, severity: Insight['severity']): Insight {
    return {
      kind,
      severity,
      nodeIds: this.nodeIds,
      parts: this.parts,
      text: insightText(this.parts),
    };
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

export function buildInsights(run: RunRecord, a: Omit<RunAnalysis, 'insights'>): Insight[] {
  const node = (id: string): NodeInfo => a.nodes.get(id) as NodeInfo;
  const inOrder = a.order.map(node);
  return [
    ...interrupted(run, a, inOrder),
    ...failures(a, inOrder),
    ...criticalPath(a, node, rootOnly(run)),
    ...slots(run, a),
    ...machineLoad(run, inOrder),
    ...retries(inOrder),
    ...offCpu(inOrder, rootOnly(run)),
    ...http(inOrder),
    ...skips(a, inOrder),
    ...measurement(run, a),
  ];
}

function interrupted(
  run: RunRecord,
  a: Omit<RunAnalysis, 'insights'>,
  nodes: NodeInfo[],
): Insight[] {
  if (run.status !== 'cancelled' && run.status !== 'interrupted') return [];
  const never = nodes
    .filter((n) => !n.executed && n.final.status !== 'skipped')
    .map((n) => n.nodeId);
  const s = new Sentence();
  if (run.status === 'interrupted') {
    s.text('The run was interrupted: its runner stopped before recording the end');
  } else {
    s.text('The run was cancelled');
    if (run.reason) s.text(' (').value(run.reason).text(')');
  }
  if (never.length > 0) {
    s.text(`; ${never.length} ${plural(never.length, 'node')} never started: `).nodes(never);
  }
  const cut = a.wallSource === 'tasks' ? ' The wall time is the span of the tasks that ran.' : '';
  return [s.text(`. Timings cover only what ran.${cut}`).build('cancelled', 'warning')];
}

function failures(a: Omit<RunAnalysis, 'insights'>, nodes: NodeInfo[]): Insight[] {
  const out: Insight[] = [];
  const victims = skippedBecause(a);
  for (const n of nodes) {
    if (n.final.status !== 'failed') continue;
    const s = new Sentence().node(n.nodeId).text(' failed');
    const why =
      n.final.reason ?? (n.final.exitCode !== null ? `exit code ${n.final.exitCode}` : null);
    if (why) s.text(' (').value(why).text(')');
    const tries = n.attempts.filter(hasRun).length;
    if (tries > 1) s.text(` after ${tries} attempts`);
    if (n.totalDurationMs !== null) s.text(`, having run ${formatMs(n.totalDurationMs)}`);
    const lost = victims.get(n.nodeId) ?? [];
    if (lost.length > 0) {
      s.text(
        `; because of it ${lost.length} ${plural(lost.length, 'node was', 'nodes were')} skipped: `,
      );
      s.nodes(lost);
    }
    out.push(s.text('.').build('failed', 'critical'));
  }
  return out;
}

/** Where the wall time went: the chain that set it, then each node of it that matters. */
/**
 * On the pidusage fallback (macOS, Windows) a node's CPU is its root process's only: a shell
 * that starts the real work shows near 0 %. Insights then say what they rest on, and draw no
 * conclusion about the workload from it.
 */
function rootOnly(run: RunRecord): boolean {
  return run.collector.mode === 'pidusage';
}
const ROOT_ONLY_NOTE =
  ' (measured on its root process only: this platform does not see its child processes)';

function criticalPath(
  a: Omit<RunAnalysis, 'insights'>,
  node: (id: string) => NodeInfo,
  rootCpuOnly: boolean,
): Insight[] {
  const cp = a.criticalPath;
  const wall = a.wallMs;
  if (cp.nodeIds.length === 0 || wall === null || wall <= 0 || cp.shareOfWall === null) return [];
  const out: Insight[] = [];
  const s = new Sentence().text('The critical path ').chain(cp.nodeIds);
  s.text(
    ` takes ${formatMs(cp.totalMs)}, ${formatRatio(cp.shareOfWall)} of the ${formatMs(wall)} wall time`,
  );
  if (cp.shareOfWall >= 0.9) {
    s.text(
      ': the run is as long as this chain of needs; only making its nodes faster shortens the run, more slots cannot',
    );
  } else {
    s.text(
      `: no number of slots makes the run shorter than that; for the other ${formatMs(wall - cp.totalMs)} the path was not running (its nodes queued for slots, the run started up or scheduled)`,
    );
  }
  out.push(s.text('.').build('critical-path', 'info'));

  for (const id of cp.nodeIds.concat(cp.nested.flatMap((x) => x.path.nodeIds))) {
    const n = node(id);
    if (n.isContainer || n.totalDurationMs === null) continue;
    const share = n.totalDurationMs / wall;
    if (share < CRITICAL_NODE_SHARE_OF_WALL) continue;
    const t = n.final;
    // Where the replayed run says it is not worth it, it is no advice at all.
    if (t.potentialSavingMs !== null && !worthSuggesting(t.potentialSavingMs, wall)) continue;
    const s = new Sentence().node(id).text(' is on the critical path');
    if (rootCpuOnly) {
      s.text(
        ` and sets ${formatRatio(share, 0)} of the wall time (${formatMs(n.totalDurationMs)}); its root process used ${formatPercent(t.cpuPercent, 0)} CPU${ROOT_ONLY_NOTE}, so whether the node computes or waits is not known here; time saved there shortens the run`,
      );
    } else if (t.cpuPercent !== null && t.cpuPercent >= CPU_BOUND_PERCENT) {
      s.text(
        ` and CPU-bound at ${formatPercent(t.cpuPercent, 0)}: it alone sets ${formatRatio(share, 0)} of the wall time; `,
      );
      s.text(
        t.cpuPercent < 150
          ? 'it uses about one core, so parallelising it (splitting its input across processes) or moving work off the critical path shortens the run'
          : 'it already uses several cores, so less work, a faster algorithm or moving work off the critical path shortens the run',
      );
    } else if (t.cpuPercent !== null && t.cpuPercent < OFF_CPU_PERCENT) {
      s.text(
        ` and sets ${formatRatio(share, 0)} of the wall time, yet used the CPU only ${formatPercent(t.cpuPercent, 0)} of it: it was waiting ${waitingOn(t)}, not computing; overlapping or removing that wait shortens the run`,
      );
    } else {
      const bytes = ioBytes(t);
      const io =
        bytes !== null && bytes >= IO_HEAVY_BYTES ? `, ${formatBytes(bytes)} of storage I/O` : '';
      s.text(
        ` and sets ${formatRatio(share, 0)} of the wall time (${formatMs(n.totalDurationMs)}, CPU ${formatPercent(t.cpuPercent, 0)}${io}); time saved there shortens the run`,
      );
    }
    const tries = n.attempts.filter(hasRun).length;
    if (tries > 1) s.text(`; that includes ${tries - 1} failed ${plural(tries - 1, 'attempt')}`);
    if (t.potentialSavingMs !== null) {
      s.text(`; replaying the run with it taking no time saves ${formatMs(t.potentialSavingMs)}`);
    }
    const insight = s.text('.').build('critical-node', 'warning');
    if (t.potentialSavingMs !== null) {
      insight.prediction = { savingMs: t.potentialSavingMs, nodeId: id };
    }
    out.push(insight);
  }
  return out;
}

/**
 * Too few slots (nodes queued) or more than the DAG can ever use. More slots are suggested only
 * when replaying the run with them saves enough, and never more than the machine's cores when
 * the waiting nodes are CPU-bound (they would only share the same cores).
 */
function slots(run: RunRecord, a: Omit<RunAnalysis, 'insights'>): Insight[] {
  const width = a.dagWidth;
  // Top level only: a nested workflow queues in slots of its own, which maxParallel does not set.
  const topLevel = [...a.nodes.values()].filter((n) => n.depth === 0);
  const waiting = topLevel
    .filter((n) => (n.totalWaitMs ?? 0) >= 1)
    .sort((x, y) => (y.totalWaitMs ?? 0) - (x.totalWaitMs ?? 0));
  // The same sum as the summary's "Queued for a slot" (every wait, sub-millisecond ones too):
  // adding up only the named nodes made the two differ in the last digit.
  const waitMs = topLevel.reduce((s, n) => s + (n.totalWaitMs ?? 0), 0);
  const scope = waitMs === a.totalWaitMs ? '' : ' at the top level';
  const setting =
    run.runtime === 'local' ? 'The local runtime (one node at a time)' : `maxParallel=${a.slots}`;
  if (waitMs >= QUEUE_INSIGHT_MIN_MS && width > a.slots) {
    const cpuBound = waiting.some((n) => (n.final.cpuPercent ?? 0) >= CPU_BOUND_PERCENT);
    const cores = cpuBound && run.cores !== undefined ? Math.max(1, run.cores) : null;
    const target = Math.min(width, cores ?? width);
    const wall = a.wallMs;
    const forecast =
      target > a.slots && wall !== null ? whatIf(run, { slots: target }).wallMs : null;
    const saving = forecast === null || wall === null ? null : wall - forecast;
    const s = new Sentence().text(
      `${setting} made ${waiting.length} ${plural(waiting.length, 'node')} wait ${formatMs(waitMs)} in total for a slot${scope} (`,
    );
    s.nodes(
      waiting.map((n) => n.nodeId),
      3,
    );
    s.text(`); the DAG allows ${width} at once`);
    if (worthSuggesting(saving, wall)) {
      const suggestion =
        run.runtime === 'local'
          ? `the parallel runtime with maxParallel=${target}`
          : `maxParallel=${target}`;
      s.text(
        `: replaying the run with ${suggestion} forecasts ${formatMs(forecast)} instead of ${formatMs(wall)}, a saving of ${formatMs(saving)}`,
      );
      if (cores !== null && target < width) {
        s.text(`; no more than the machine's ${cores} cores, as CPU-bound nodes were among them`);
      }
      const insight = s.text('.').build('queueing', 'warning');
      if (saving !== null) insight.prediction = { savingMs: saving, slots: target };
      return [insight];
    }
    const most = saving === null || saving <= 0 ? 'nothing' : `only ${formatMs(saving)}`;
    const capped = cores !== null && target <= a.slots ? ` (the machine has ${cores} cores)` : '';
    s.text(
      `, but replaying the run with more slots saves ${most}${capped}: more slots are not worth it.`,
    );
    return [s.build('queueing', 'info')];
  }
  if (run.runtime === 'parallel' && a.slots > 1 && width > 0 && width < a.slots) {
    return [
      new Sentence()
        .text(
          `maxParallel=${a.slots} but the DAG is at most ${width} wide: ${a.slots - width} ${plural(a.slots - width, 'slot')} can never be busy, so parallel efficiency could not exceed ${formatRatio(width / a.slots, 0)} (it was ${formatRatio(a.parallelEfficiency)}).`,
        )
        .build('unused-slots', 'info'),
    ];
  }
  return [];
}

/**
 * Starved nodes (waiting for a CPU a large share of their time) and a busy machine: their
 * figures say as much about the machine's load as about their own work.
 */
function machineLoad(run: RunRecord, nodes: NodeInfo[]): Insight[] {
  const tasks = nodes.filter((n) => !n.isContainer && n.executed).map((n) => n.final);
  return loadWarnings(machineOf(run), tasks).map((w) => {
    const s = new Sentence();
    if (w.nodeId !== null) s.node(w.nodeId);
    return s.text(w.text).build(w.kind, 'warning');
  });
}

function retries(nodes: NodeInfo[]): Insight[] {
  const out: Insight[] = [];
  for (const n of nodes) {
    const failed = n.attempts.filter((t) => t.status === 'retried' && hasRun(t));
    if (failed.length === 0) continue;
    const lost = failed.reduce((s, t) => s + (t.durationMs ?? 0), 0);
    const s = new Sentence()
      .node(n.nodeId)
      .text(` needed ${n.attempts.length} attempts (final: `)
      .value(n.final.status)
      .text(
        `); the ${failed.length} failed ${plural(failed.length, 'attempt')} cost ${formatMs(lost)}`,
      );
    const first = failed[0]?.reason;
    if (first) s.text(', the first failed with ').value(first);
    s.text(
      n.final.status === 'completed' ? '; a flaky node hides a real cost: fix its cause.' : '.',
    );
    out.push(s.build('retried', n.final.status === 'completed' ? 'warning' : 'info'));
  }
  return out;
}

/** Long nodes that mostly did not compute (critical-path ones were covered above). */
function offCpu(nodes: NodeInfo[], rootCpuOnly: boolean): Insight[] {
  const out: Insight[] = [];
  for (const n of nodes) {
    const t = n.final;
    if (n.isContainer || n.onCriticalPath || t.durationMs === null || t.cpuPercent === null)
      continue;
    if (t.cpuPercent >= OFF_CPU_PERCENT || t.durationMs < OFF_CPU_MIN_DURATION_MS) continue;
    if (rootCpuOnly) {
      out.push(
        new Sentence()
          .node(n.nodeId)
          .text(
            `: its root process spent ${formatPercent(Math.max(0, 100 - t.cpuPercent), 0)} of its ${formatMs(t.durationMs)} off the CPU${ROOT_ONLY_NOTE}; its children may have been computing meanwhile, so this says nothing about the node's work.`,
          )
          .build('off-cpu', 'info'),
      );
      continue;
    }
    out.push(
      new Sentence()
        .node(n.nodeId)
        .text(
          ` spent ${formatPercent(Math.max(0, 100 - t.cpuPercent), 0)} of its ${formatMs(t.durationMs)} off the CPU (CPU ${formatPercent(t.cpuPercent, 0)}): it was waiting ${waitingOn(t)}; it is off the critical path, so this holds a slot and memory but not the wall time.`,
        )
        .build('off-cpu', 'info'),
    );
  }
  return out;
}

/** What an off-CPU node was most likely waiting on, from what it measurably did. */
function waitingOn(t: TaskRun): string {
  if (t.http) return 'on the network';
  const bytes = ioBytes(t);
  const ops = ioOps(t);
  if ((bytes !== null && bytes >= IO_HEAVY_BYTES) || (ops !== null && ops >= IO_HEAVY_OPS)) {
    const moved = bytes !== null ? formatBytes(bytes) : `${formatCount(ops)} system calls`;
    return `for I/O (${moved}${bytes !== null && ops !== null ? ` in ${formatCount(ops)} system calls` : ''})`;
  }
  if (bytes === null && ops === null)
    return 'on something this platform could not see (I/O was not measured)';
  return 'on sleep, the network, locks or child processes (it did little storage I/O)';
}

function http(nodes: NodeInfo[]): Insight[] {
  const out: Insight[] = [];
  for (const n of nodes) {
    const h = n.final.http;
    if (!h || h.totalMs < HTTP_MIN_TOTAL_MS) continue;
    const setup = (h.dnsMs ?? 0) + (h.connectMs ?? 0) + (h.tlsMs ?? 0);
    const rate = h.downloadMs ? (h.bytes * 1000) / h.downloadMs : null;
    const phases: [string, number | null, string][] = [
      ['on the DNS lookup', h.dnsMs, 'check the resolver, or cache the address'],
      ['connecting', h.connectMs, 'reuse connections or move closer to the server'],
      ['on the TLS handshake', h.tlsMs, 'keep connections alive to pay it once'],
      [
        'waiting for the first byte',
        h.firstByteMs,
        `the server's processing dominates (connection setup took only ${formatMs(setup)}); make the server faster or ask for less`,
      ],
      [
        'downloading the body',
        h.downloadMs,
        `${formatBytes(h.bytes)} at ${formatBytes(rate)}/s; fetch less or compress it`,
      ],
    ];
    const top = phases.find(([, ms]) => ms !== null && ms >= HTTP_PHASE_SHARE * h.totalMs);
    if (!top) continue;
    const [what, ms, advice] = top;
    out.push(
      new Sentence()
        .node(n.nodeId)
        .text(
          ` spent ${formatMs(ms)} (${formatRatio((ms ?? 0) / h.totalMs, 0)} of ${formatMs(h.totalMs)}) ${what}: ${advice}.`,
        )
        .build('http', 'info'),
    );
  }
  return out;
}

/** Skips not explained by a failure (those are in the failure's sentence), grouped by reason. */
function skips(a: Omit<RunAnalysis, 'insights'>, nodes: NodeInfo[]): Insight[] {
  const explained = new Set([...skippedBecause(a).values()].flat());
  const byReason = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.final.status !== 'skipped' || explained.has(n.nodeId)) continue;
    const r = n.final.reason ?? 'no reason was recorded';
    byReason.set(r, [...(byReason.get(r) ?? []), n.nodeId]);
  }
  return [...byReason].map(([reason, ids]) =>
    new Sentence()
      .nodes(ids)
      .text(` ${plural(ids.length, 'was', 'were')} skipped: `)
      .value(reason)
      .text('.')
      .build('skipped', 'info'),
  );
}

function measurement(run: RunRecord, a: Omit<RunAnalysis, 'insights'>): Insight[] {
  const out: Insight[] = [];
  if (a.peakConcurrentMemoryMethod === 'max-single-node' && a.peakConcurrentMemoryBytes !== null) {
    out.push(
      new Sentence()
        .text(
          `Without samples, peak concurrent memory is only known to be between ${formatBytes(a.peakConcurrentMemoryBytes)} (the largest node) and ${formatBytes(a.peakConcurrentMemoryUpperBoundBytes)} (the peaks of overlapping nodes added up); profile the run to measure it.`,
        )
        .build('memory', 'info'),
    );
  }
  const c = run.collector;
  if (c.reaper && !c.reaper.used) {
    out.push(
      new Sentence()
        .text('Exact accounting was off: every node was measured by sampling, because ')
        .text(c.reaper.fallbackReason ?? 'the native reaper was not used')
        .text('.')
        .build('unavailable', 'info'),
    );
  }
  if (c.unavailable.length > 0) {
    out.push(
      new Sentence()
        .text('The ')
        .value(c.mode)
        .text(' collector on ')
        .value(c.platform)
        .text(' cannot measure ')
        .value(c.unavailable.join(', '))
        .text(': they show n/a (not measured), never 0.')
        .build('unavailable', 'info'),
    );
  }
  const measurable = a.executedLeafTasks - inProcessLeafRuns(a);
  if (measurable > 0 && a.cpuMeasuredTasks < measurable) {
    out.push(
      new Sentence()
        .text(
          `CPU time was measured for ${a.cpuMeasuredTasks} of ${measurable} process ${plural(measurable, 'attempt')}; Total CPU time covers only those.`,
        )
        .build('unavailable', 'info'),
    );
  }
  const wall = a.wallMs;
  if (wall !== null && wall > 0 && c.overheadCpuMs / wall >= OVERHEAD_SHARE_OF_WALL) {
    out.push(
      new Sentence()
        .text(
          `Sampling cost the runner ${formatMs(c.overheadCpuMs)} of CPU (${formatRatio(c.overheadCpuMs / wall)} of one core over the run); an interval longer than ${formatMs(c.intervalMs)} lowers it.`,
        )
        .build('overhead', 'info'),
    );
  }
  return out;
}

/** Executed leaf attempts of node types that have no process tree (their CPU is n/a by design). */
export function inProcessLeafRuns(a: Pick<RunAnalysis, 'nodes'>): number {
  let n = 0;
  for (const info of a.nodes.values()) {
    if (info.isContainer || !IN_PROCESS_TYPES.has(info.type)) continue;
    n += info.attempts.filter(hasRun).length;
  }
  return n;
}

/**
 * Nodes skipped because a need failed, by the failed node that started the chain. Follows skips
 * transitively: c needs b needs a, a fails, b and c are both a's.
 */
function skippedBecause(a: Omit<RunAnalysis, 'insights'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rootOf = new Map<string, string | null>();
  const resolve = (id: string): string | null => {
    if (rootOf.has(id)) return rootOf.get(id) ?? null;
    const n = a.nodes.get(id);
    if (!n) return null;
    if (n.final.status === 'failed') return id;
    if (n.final.status !== 'skipped') return null;
    rootOf.set(id, null); // a corrupt record with a cycle of needs must not loop
    let root: string | null = null;
    for (const need of n.final.needs) {
      root = resolve(need);
      if (root !== null) break;
    }
    rootOf.set(id, root);
    return root;
  };
  for (const id of a.order) {
    const n = a.nodes.get(id) as NodeInfo;
    if (n.final.status !== 'skipped') continue;
    const root = resolve(id);
    if (root !== null) out.set(root, [...(out.get(root) ?? []), id]);
  }
  return out;
}
