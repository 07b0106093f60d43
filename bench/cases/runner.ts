/**
 * Runner overhead: the same graph of tiny commands run by our CLI and runner, by GNU make and by
 * a plain shell loop, interleaved in this invocation. Then where the time per node goes, each
 * part measured here: the fork+exec floor, the reaper alone, Node's spawn, the process layer,
 * and the runner's own bookkeeping.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../src/store/runStore';
import { readElf } from '../../src/measure/elf';
import type { RunRecord } from '../../src/model/run';
import { mustSucceed, runCommand, shq, type Ran } from '../lib/proc';
import { fig, median, nowMs, ratio } from '../lib/stats';
import { defineCase, type CaseContext, type Row } from '../lib/types';
import { runCli, writeWorkflow, type NodeSpec } from '../lib/workflow';

interface P {
  [key: string]: number | string;
  nodes: number;
  /** Extra memory for the spawn probe, to show spawn's cost growing with the parent. */
  ballastMiB: number;
  repeats: number;
  dagWidth: number;
  dagCommand: string;
}

interface Graph {
  nodes: NodeSpec[];
  last: string[];
}

function chain(n: number): Graph {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    run: 'true',
    needs: i > 0 ? [`n${i - 1}`] : [],
  }));
  return { nodes, last: [`n${n - 1}`] };
}

/** Layers of `width` nodes; each node needs two nodes of the layer before. */
function dag(n: number, width: number, command: string): Graph {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    const k = i % width;
    const prev = (layer - 1) * width;
    const needs = layer === 0 ? [] : [`n${prev + k}`, `n${prev + ((k * 3 + 1) % width)}`];
    nodes.push({ id: `n${i}`, run: command, needs: needs.filter((x, j, a) => a.indexOf(x) === j) });
  }
  const lastLayer = Math.floor((n - 1) / width) * width;
  return { nodes, last: nodes.slice(lastLayer).map((x) => x.id) };
}

/**
 * The same graph for make: phony targets, the node's command as the recipe. With `viaShell`,
 * each recipe is `/bin/sh -c CMD`, the process tree our nodes have: without it make runs a
 * recipe free of shell syntax (`true`) with one fork + exec and no shell at all.
 */
function makefile(file: string, g: Graph, viaShell = false): string {
  const lines = ['.PHONY: all ' + g.nodes.map((x) => x.id).join(' '), `all: ${g.last.join(' ')}`];
  for (const x of g.nodes)
    lines.push(
      `${x.id}:${x.needs?.length ? ' ' + x.needs.join(' ') : ''}`,
      `\t@${viaShell ? `/bin/sh -c ${shq(x.run)}` : x.run}`,
    );
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The graph's commands one after another in a plain shell loop (each a fork + exec). */
function shellLoop(file: string, n: number, command: string): string {
  fs.writeFileSync(file, `i=0\nwhile [ $i -lt ${n} ]; do ${command}; i=$((i+1)); done\n`);
  return file;
}

interface Walls {
  ours: number[];
  oursRunWall: number[];
  make: number[];
  makeSh: number[];
  shell: number[];
  lastRecord: RunRecord | null;
}

async function compare(
  ctx: CaseContext,
  name: string,
  g: Graph,
  loopCommand: string,
  jobs: number,
  repeats: number,
): Promise<Walls> {
  const dir = path.join(ctx.workDir, name);
  fs.mkdirSync(dir, { recursive: true });
  const wf = writeWorkflow(path.join(dir, `${name}.workflow.yaml`), name, g.nodes, {
    runtime: jobs === 1 ? 'local' : 'parallel',
    maxParallel: jobs,
  });
  const mk = makefile(path.join(dir, 'Makefile'), g);
  const mkSh = makefile(path.join(dir, 'Makefile.sh'), g, true);
  const loop = shellLoop(path.join(dir, 'loop.sh'), g.nodes.length, loopCommand);
  const walls: Walls = {
    ours: [],
    oursRunWall: [],
    make: [],
    makeSh: [],
    shell: [],
    lastRecord: null,
  };
  const extra =
    jobs === 1 ? ['--runtime', 'local'] : ['--runtime', 'parallel', '--max-parallel', String(jobs)];
  const steps: Record<string, () => Promise<void>> = {
    ours: async () => {
      const r = await runCli(ctx, wf, path.join(dir, 'store'), extra);
      walls.ours.push(r.ran.wallMs);
      walls.oursRunWall.push(r.record.wallMs ?? NaN);
      walls.lastRecord = r.record;
    },
    make: async () => {
      const r = mustSucceed(
        'make',
        await runCommand(ctx.tools.make as string, ['-s', `-j${jobs}`, '-f', mk], { cwd: dir }),
      );
      walls.make.push(r.wallMs);
    },
    makeSh: async () => {
      const r = mustSucceed(
        'make (recipes through sh)',
        await runCommand(ctx.tools.make as string, ['-s', `-j${jobs}`, '-f', mkSh], { cwd: dir }),
      );
      walls.makeSh.push(r.wallMs);
    },
    shell: async () => {
      const r: Ran = mustSucceed('shell loop', await runCommand('/bin/sh', [loop], { cwd: dir }));
      walls.shell.push(r.wallMs);
    },
  };
  const names = Object.keys(steps);
  for (let rep = 0; rep < repeats; rep++) {
    // Rotate the order, so no side always runs right after the heaviest one.
    for (let k = 0; k < names.length; k++) {
      const step = names[(k + rep) % names.length] as string;
      await (steps[step] as () => Promise<void>)();
    }
  }
  return walls;
}

/** Every repeat's wall times, for results.json (not the run record). */
function wallsOnly(w: Walls): Omit<Walls, 'lastRecord'> {
  return {
    ours: w.ours,
    oursRunWall: w.oursRunWall,
    make: w.make,
    makeSh: w.makeSh,
    shell: w.shell,
  };
}

/** Runs a probe (bench/lib/spawnProbe.ts) in a fresh Node process. */
async function probe(
  mode: string,
  n: number,
  ballastMiB = 0,
): Promise<{ perNodeMs: number; rssBytes: number }> {
  const script = path.join(__dirname, '..', 'lib', 'spawnProbe.js');
  const r = mustSucceed(
    `spawn probe ${mode}`,
    await runCommand(process.execPath, [script, mode, String(n), String(ballastMiB)]),
  );
  return JSON.parse(r.stdout) as { perNodeMs: number; rssBytes: number };
}

/** `wp-reaper --result F -- /bin/sh -c true` N times from a shell loop: no Node at all. */
async function reaperLoop(ctx: CaseContext, reaper: string, n: number): Promise<number> {
  const result = path.join(ctx.workDir, 'reaper-result.json');
  const script = `i=0\nwhile [ $i -lt ${n} ]; do ${shq(reaper)} --result ${shq(result)} -- /bin/sh -c true; i=$((i+1)); done\n`;
  const file = path.join(ctx.workDir, 'reaper-loop.sh');
  fs.writeFileSync(file, script);
  const r = mustSucceed('reaper loop', await runCommand('/bin/sh', [file]));
  return r.wallMs / n;
}

/** Median ms of one RunStore.saveRun of the given record (what the runner does every 250 ms). */
function saveCost(ctx: CaseContext, record: RunRecord, times: number): number {
  const store = new RunStore(path.join(ctx.workDir, 'save-store'));
  const copy: RunRecord = { ...record, id: `${record.id.slice(0, 20)}bench` };
  store.createRun(copy);
  const costs: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = nowMs();
    store.saveRun(copy);
    costs.push(nowMs() - t0);
  }
  return median(costs);
}

const perNode = (ms: number, n: number): number => ms / n;

export default defineCase<P>({
  name: 'runner',
  title: 'Runner overhead against GNU make and a shell loop',
  description:
    'A chain of N `true` nodes under the LocalRuntime, and a DAG of N short commands (layers of ' +
    'ten, each node needing two of the layer before) under the ParallelRuntime with 2 slots, run ' +
    'by our CLI (`workflow-profiler run`, process start to exit), by GNU make on a generated ' +
    'Makefile (`make -j1`, `make -j2`) and by a plain shell loop, interleaved, median of the ' +
    'repeats (and by make with every recipe written as `/bin/sh -c CMD`, the process tree our ' +
    'nodes have). Targets: the chain at most 1.5 × make -j1, the DAG at most 1.3 × make -j2. Then the time per node, part by part, each ' +
    'measured here: fork + exec of one command (shell loop), the one-shot native reaper alone in ' +
    'a shell loop, one node through the spawn helper (what the runner uses), Node spawning a ' +
    'command, the process layer (startProcess + collector, through the helper and with the ' +
    'one-shot reaper), and inside the runner (node durations vs gaps, run.json saves).',
  needs: ['make'],
  params: {
    quick: { nodes: 100, ballastMiB: 200, repeats: 1, dagWidth: 10, dagCommand: 'sleep 0.01' },
    full: { nodes: 500, ballastMiB: 200, repeats: 3, dagWidth: 10, dagCommand: 'sleep 0.01' },
  },
  async run(ctx, p) {
    const n = p.nodes;
    const rows: Row[] = [];
    const s = (ms: number): ReturnType<typeof fig> => fig(ms, 'ms');

    ctx.log(`chain of ${n} \`true\`: ours, make -j1, shell loop × ${p.repeats}`);
    const c = await compare(ctx, 'chain', chain(n), '/bin/true', 1, p.repeats);
    const cOurs = median(c.ours);
    const cMake = median(c.make);
    const cShell = median(c.shell);
    const cRatio = ratio(cOurs, cMake, 'make -j1');
    rows.push({
      measure: `chain of ${n} \`true\`, LocalRuntime · wall`,
      ours: s(cOurs),
      baseline: { label: 'make -j1', figure: s(cMake) },
      truth: null,
      compare: cRatio,
      baselineCompare: null,
      target: { text: '≤ 1.5 × make', met: cRatio.value !== null && cRatio.value <= 1.5 },
      note: `median of ${p.repeats}; ours: CLI process start to exit (run.json wallMs ${median(c.oursRunWall).toFixed(0)} ms)`,
      detail: wallsOnly(c),
    });
    rows.push({
      measure: `chain of ${n} \`true\` · wall against make running each recipe through sh`,
      ours: s(cOurs),
      baseline: { label: 'make -j1, recipes `/bin/sh -c true`', figure: s(median(c.makeSh)) },
      truth: null,
      compare: ratio(cOurs, median(c.makeSh), 'make -j1 via sh'),
      baselineCompare: null,
      target: null,
      note:
        'the same process tree per node as ours (a shell running `true`, a builtin of dash); ' +
        'plain make runs a recipe without shell syntax with no shell at all, one exec per node',
    });
    rows.push({
      measure: `chain of ${n} \`true\` · wall against a shell loop`,
      ours: s(cOurs),
      baseline: { label: 'shell loop of /bin/true', figure: s(cShell) },
      truth: null,
      compare: ratio(cOurs, cShell, 'shell loop'),
      baselineCompare: null,
      target: null,
    });

    ctx.log(
      `DAG of ${n} × \`${p.dagCommand}\`, 2 slots: ours, make -j2, shell loop × ${p.repeats}`,
    );
    const d = await compare(
      ctx,
      'dag',
      dag(n, p.dagWidth, p.dagCommand),
      p.dagCommand,
      2,
      p.repeats,
    );
    const dOurs = median(d.ours);
    const dMake = median(d.make);
    const dRatio = ratio(dOurs, dMake, 'make -j2');
    rows.push({
      measure: `DAG of ${n} \`${p.dagCommand}\`, ParallelRuntime 2 slots · wall`,
      ours: s(dOurs),
      baseline: { label: 'make -j2', figure: s(dMake) },
      truth: null,
      compare: dRatio,
      baselineCompare: null,
      target: { text: '≤ 1.3 × make', met: dRatio.value !== null && dRatio.value <= 1.3 },
      note: `median of ${p.repeats}; run.json wallMs ${median(d.oursRunWall).toFixed(0)} ms`,
      detail: wallsOnly(d),
    });
    rows.push({
      measure: `DAG of ${n} \`${p.dagCommand}\` · wall against make running each recipe through sh`,
      ours: s(dOurs),
      baseline: { label: 'make -j2, recipes through `/bin/sh -c`', figure: s(median(d.makeSh)) },
      truth: null,
      compare: ratio(dOurs, median(d.makeSh), 'make -j2 via sh'),
      baselineCompare: null,
      target: null,
    });
    rows.push({
      measure: `DAG of ${n} \`${p.dagCommand}\` · wall against a sequential shell loop`,
      ours: s(dOurs),
      baseline: { label: 'shell loop, one at a time', figure: s(median(d.shell)) },
      truth: null,
      compare: ratio(dOurs, median(d.shell), 'shell loop'),
      baselineCompare: null,
      target: null,
    });

    // Where the time per node goes (chain of `true`).
    ctx.log('per-node cost, part by part');
    const makeNode = perNode(cMake, n);
    const part = (measure: string, ms: number | null, note: string): Row => ({
      measure: `per node · ${measure}`,
      ours: fig(ms, 'ms'),
      baseline: { label: 'make -j1', figure: fig(makeNode, 'ms') },
      truth: null,
      compare: ratio(ms, makeNode, 'make -j1'),
      baselineCompare: null,
      target: null,
      note,
    });
    const reaper = path.join(ctx.distDir, 'wp-reaper');
    // What the build made: static where the toolchain has a static libc (as the packaged ones).
    const linkage = readElf(reaper)?.hasInterpreter === false ? 'static' : 'dynamic';
    const rss: Record<string, number> = {};
    const spawnFrom = (key: string, ballast: number) => async (): Promise<number> => {
      const r = await probe('node-spawn', n, ballast);
      rss[key] = r.rssBytes;
      return r.perNodeMs;
    };
    const parts: [string, () => Promise<number>][] = [
      ['reaper', () => reaperLoop(ctx, reaper, n)],
      ['spawn', spawnFrom('spawn', 0)],
      ['spawnBig', spawnFrom('spawnBig', p.ballastMiB)],
      ['helper', async () => (await probe('helper', n)).perNodeMs],
      ['layer', async () => (await probe('process-layer', n)).perNodeMs],
      ['layerOneShot', async () => (await probe('process-layer-oneshot', n)).perNodeMs],
    ];
    // Interleaved and repeated like the walls above: a busy moment moves every part alike.
    const got = new Map<string, number[]>(parts.map(([k]) => [k, []]));
    for (let rep = 0; rep < p.repeats; rep++) {
      for (let k = 0; k < parts.length; k++) {
        const [key, measure] = parts[(k + rep) % parts.length] as [string, () => Promise<number>];
        got.get(key)?.push(await measure());
      }
    }
    const med = (key: string): number | null => {
      const xs = got.get(key) ?? [];
      return xs.length > 0 ? median(xs) : null;
    };
    const mib = (key: string): string => ((rss[key] ?? 0) / 2 ** 20).toFixed(0);
    const reps = `median of ${p.repeats}`;
    rows.push(
      part(
        'fork + exec of /bin/true (shell loop)',
        perNode(cShell, n),
        'the floor of one process per node',
      ),
      part(
        `wp-reaper -- /bin/sh -c true (shell loop), ${linkage} build`,
        med('reaper'),
        `the one-shot reaper (the fallback path, and Slurm's): the reaper and sh, two execs per ` +
          `node, a result file, no Node; ${reps}`,
      ),
      part(
        'spawn helper: one node through wp-reaper --serve',
        med('helper'),
        'what the runner uses: a request to the helper, which forks a reaper without exec; the ' +
          `reaper forks and execs sh; output, result and exit come back as frames; ${reps}`,
      ),
    );
    rows.push(
      part(
        `Node spawn of /bin/sh -c true, from a ${mib('spawn')} MiB process`,
        med('spawn'),
        'a fresh Node process: Node’s spawn forks the whole parent, so its cost grows with ' +
          `the parent’s memory; ${reps}`,
      ),
      part(
        `Node spawn of /bin/sh -c true, from a ${mib('spawnBig')} MiB process`,
        med('spawnBig'),
        `the same, holding ${p.ballastMiB} MiB more: the runner is a Node process with the workflow and its run in memory; ${reps}`,
      ),
      part(
        'process layer: startProcess under the reaper + collector',
        med('layer'),
        `as the runner runs nodes: the reaper forked by the spawn helper, the collector tracking the tree; ${reps}`,
      ),
      part(
        'process layer with the one-shot reaper (helper off)',
        med('layerOneShot'),
        `the fallback: Node spawns the reaper per node, its result file; ${reps}`,
      ),
    );
    rows.push(
      part('whole CLI run, per node', perNode(cOurs, n), 'CLI wall / nodes, startup included'),
    );
    const rec = c.lastRecord;
    if (rec) {
      const tasks = [...rec.tasks].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
      const durations = tasks.map((t) => t.durationMs ?? 0);
      const gaps: number[] = [];
      for (let i = 1; i < tasks.length; i++)
        gaps.push((tasks[i]?.startMs ?? 0) - (tasks[i - 1]?.endMs ?? 0));
      const first = tasks[0]?.startMs ?? 0;
      const last = tasks[tasks.length - 1]?.endMs ?? 0;
      const lastCli = c.ours[c.ours.length - 1] ?? cOurs;
      rows.push(
        part(
          'inside the reaper: fork to exit of `sh -c true` (durationMs)',
          median(durations),
          'median over the chain’s nodes, from run.json',
        ),
        part(
          'between nodes: exit of one to the start of the next',
          median(gaps),
          'median; the runner’s per-node work: the reaper’s exit and result, logs, output file, ' +
            'scheduling, events, the next spawn',
        ),
        part(
          'before the first node and after the last, spread over the nodes',
          (lastCli - (last - first)) / n,
          `CLI start-up (the CLI runs the workflow itself), workflow parsing, report; ${(lastCli - (last - first)).toFixed(0)} ms in all ` +
            '(the startup case measures a one-node run phase by phase)',
        ),
      );
      const save = saveCost(ctx, rec, 10);
      const saves = Math.max(1, (rec.wallMs ?? 0) / 250);
      rows.push(
        part(
          `run.json saves, amortized (one save of ${n} tasks: ${save.toFixed(1)} ms)`,
          (save * saves) / n,
          'saves are throttled to at most one per 250 ms (the interval grows to 40 × a save’s own ' +
            `cost, up to 5 s): at most ${Math.round(saves)} in this run, an upper bound`,
        ),
      );
    }

    return rows;
  },
});
