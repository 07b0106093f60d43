/**
 * The CLI's fixed cost: a one-node workflow (`true`) run through `workflow-profiler run`, process
 * start to exit, against `node -e 0` started the same way, interleaved in this invocation. Then
 * where that time goes, phase by phase (the CLI's own trace, WORKFLOW_PROFILER_TRACE=1), and what
 * parsing a big workflow file costs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseWorkflowText } from '../../src/workflow/parse';
import { phasesOf, type TracedPhase } from '../../src/runtime/phaseTrace';
import { mustSucceed, runCommand, type Ran } from '../lib/proc';
import { fig, median, nowMs, ratio } from '../lib/stats';
import { defineCase, type CaseContext, type Row } from '../lib/types';
import { writeWorkflow } from '../lib/workflow';

interface P {
  [key: string]: number;
  /** Interleaved starts of each kind (the median is reported). */
  repeats: number;
  /** Parses of each big file (the median is reported). */
  parses: number;
}

/** The target: the CLI's one-node run at most this many times `node -e 0`. */
const TARGET_RATIO = 1.6;

/** CPU time (user+system) of this process's children that have been waited for, in ms. */
function childrenCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime: fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(f[13]) + Number(f[14])) * 10;
}

interface Starts {
  wallMs: number[];
  /** Summed over the starts, from the children's ticks: too coarse for one start alone. */
  cpuMs: number;
  traces: TracedPhase[][];
}

const noStarts = (): Starts => ({ wallMs: [], cpuMs: 0, traces: [] });

async function timed(into: Starts, what: string, run: () => Promise<Ran>): Promise<Ran> {
  const cpu0 = childrenCpuMs();
  const ran = mustSucceed(what, await run());
  into.cpuMs += childrenCpuMs() - cpu0;
  into.wallMs.push(ran.wallMs);
  return ran;
}

function bigWorkflow(nodes: number): string {
  const lines = ['name: big', 'runtime: local', 'nodes:'];
  for (let i = 0; i < nodes; i++) {
    const needs = i > 0 ? `, needs: [n${i - 1}${i > 7 ? `, n${i - 7}` : ''}]` : '';
    lines.push(`  n${i}: { type: shell, run: "echo ${i} && true", timeout: 30s${needs} }`);
  }
  return lines.join('\n') + '\n';
}

/** Median wall time of `fn` over `times` calls, after one call that warms it up. */
function medianMs(times: number, fn: () => unknown): number {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = nowMs();
    fn();
    ms.push(nowMs() - t0);
  }
  return median(ms);
}

function parseRows(ctx: CaseContext, p: P): Row[] {
  return [500, 5000].map((n) => {
    const text = bigWorkflow(n);
    const file = path.join(ctx.workDir, `big${n}.workflow.yaml`);
    const problems = parseWorkflowText(text, file).problems;
    if (problems.length > 0)
      throw new Error(`the ${n}-node workflow is invalid: ${problems[0]?.message}`);
    const ours = medianMs(p.parses, () => parseWorkflowText(text, file));
    const plain = medianMs(p.parses, () => parseYaml(text) as unknown);
    return {
      measure: `parse · a ${n.toLocaleString('en')}-node workflow file (${(text.length / 1024).toFixed(0)} KB)`,
      ours: fig(ours, 'ms'),
      baseline: { label: 'yaml.parse, values only', figure: fig(plain, 'ms') },
      truth: null,
      compare: ratio(ours, plain, 'yaml.parse'),
      baselineCompare: null,
      target: null,
      note:
        `median of ${p.parses} parses in the bench process after one to warm up: ours is ` +
        'parseWorkflowText (every value with its line:col, every check); the baseline parses the ' +
        'same text with the yaml package’s parse(), values only, no positions, no checks',
    };
  });
}

/** Median duration of each traced phase (from the phase before it), wall and CPU. */
function phaseRows(traces: TracedPhase[][], startWalls: number[]): Row[] {
  const names = traces[0]?.map((t) => t.phase) ?? [];
  const rows: Row[] = [];
  names.forEach((name, i) => {
    const wall = traces.map((t) => (t[i]?.atMs ?? NaN) - (i > 0 ? (t[i - 1]?.atMs ?? NaN) : 0));
    const cpu = traces.map((t) => (t[i]?.cpuMs ?? NaN) - (i > 0 ? (t[i - 1]?.cpuMs ?? NaN) : 0));
    rows.push(phaseRow(`up to ${name}`, median(wall), median(cpu), i === 0));
  });
  const tail = traces.map((t, k) => (startWalls[k] ?? NaN) - (t[t.length - 1]?.atMs ?? NaN));
  rows.push({
    measure: 'startup · phase: last trace to exit, as the bench saw it',
    ours: fig(median(tail), 'ms'),
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note: 'the bench’s spawn-to-exit time less the last phase’s time since the process started: exit, and the spawn the process clock does not see',
  });
  return rows;
}

function phaseRow(name: string, wallMs: number, cpuMs: number, first: boolean): Row {
  return {
    measure: `startup · phase: ${name}`,
    ours: fig(wallMs, 'ms'),
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note:
      `CPU ${cpuMs.toFixed(1)} ms; ` +
      (first ? 'from the process’s start (Node’s own start-up included); ' : '') +
      'median over the traced runs of the time since the phase before, from the CLI’s ' +
      'WORKFLOW_PROFILER_TRACE=1 lines (performance.now() and process.cpuUsage(), children not ' +
      'included)',
  };
}

export default defineCase({
  name: 'startup',
  title: 'CLI start-up',
  description:
    'The fixed cost of a CLI run: a one-node workflow (`true`) through `workflow-profiler run ' +
    '--json --quiet`, spawn to exit, against `node -e 0` spawned the same way, interleaved, with ' +
    'the code cache made by an unmeasured first run (and once more with it off, for what it ' +
    'saves). Target: at most 1.6 × `node -e 0`. Then the same run traced phase by phase ' +
    '(WORKFLOW_PROFILER_TRACE=1), and parsing a 500- and a 5,000-node workflow file against the ' +
    'yaml package’s own parse of the same text.',
  needs: [],
  params: { quick: { repeats: 10, parses: 3 }, full: { repeats: 20, parses: 10 } },
  async run(ctx, p: P) {
    const dir = path.join(ctx.workDir, 'startup');
    const one = writeWorkflow(path.join(dir, 'one.workflow.yaml'), 'one', [
      { id: 'a', run: 'true' },
    ]);
    const store = path.join(dir, 'store');
    // A cache folder of the bench's own: its first run below makes the cache, as a user's first
    // run does, and no cache of another build is in the way.
    const env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') };
    const cli = (extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> =>
      runCommand(
        process.execPath,
        [ctx.cliPath, 'run', one, '--store', store, '--json', '--quiet'],
        {
          env: { ...env, ...extraEnv },
        },
      );
    mustSucceed('the first (cache-making) run', await cli());

    ctx.log(
      `one-node run, node -e 0, --version, no cache, traced: ${p.repeats} × each, interleaved`,
    );
    const node = noStarts();
    const run = noStarts();
    const version = noStarts();
    const cold = noStarts();
    const traced = noStarts();
    for (let i = 0; i < p.repeats; i++) {
      await timed(node, 'node -e 0', () => runCommand(process.execPath, ['-e', '0'], { env }));
      await timed(run, 'workflow-profiler run', () => cli());
      await timed(version, 'workflow-profiler --version', () =>
        runCommand(process.execPath, [ctx.cliPath, '--version'], { env }),
      );
      await timed(cold, 'workflow-profiler run, no code cache', () =>
        cli({ WORKFLOW_PROFILER_CODE_CACHE: 'off' }),
      );
      const ran = await timed(traced, 'workflow-profiler run, traced', () =>
        cli({ WORKFLOW_PROFILER_TRACE: '1' }),
      );
      traced.traces.push(phasesOf(ran.stderr));
    }
    const base = median(node.wallMs);
    const n = p.repeats;
    const cpuNote = (s: Starts): string =>
      `CPU (user+system, its children included) ${(s.cpuMs / n).toFixed(0)} ms a start against ` +
      `${(node.cpuMs / n).toFixed(0)} ms for node -e 0 (means, from this process’s cutime+cstime in 10 ms ticks)`;
    const startRow = (measure: string, s: Starts, target: boolean, what: string): Row => {
      const ours = median(s.wallMs);
      const r = ratio(ours, base, 'node -e 0');
      return {
        measure,
        ours: fig(ours, 'ms'),
        baseline: { label: 'node -e 0', figure: fig(base, 'ms') },
        truth: null,
        compare: r,
        baselineCompare: null,
        target: target
          ? {
              text: `≤ ${TARGET_RATIO} × node -e 0`,
              met: r.value !== null && r.value <= TARGET_RATIO,
            }
          : null,
        note: `median of ${n}, spawn to exit, interleaved with node -e 0; ${what}; ${cpuNote(s)}`,
        detail: { wallMs: s.wallMs, baselineWallMs: node.wallMs },
      };
    };
    return [
      startRow(
        'startup · a one-node workflow (`true`) through the CLI, start to exit',
        run,
        true,
        'the workflow runs in the CLI’s process, the bundle loads with its code cache',
      ),
      startRow(
        'startup · the same without the code cache',
        cold,
        false,
        'WORKFLOW_PROFILER_CODE_CACHE=off: the bundle is compiled from source',
      ),
      startRow('startup · workflow-profiler --version', version, false, 'with the code cache'),
      ...phaseRows(traced.traces, traced.wallMs),
      ...parseRows(ctx, p),
    ];
  },
});
