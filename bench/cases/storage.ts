/**
 * Storage at scale, through the run store (RunStore) the CLI and the editor use: listing many
 * runs, opening a very large run, and writing samples while a wide run goes, each beside a naive
 * implementation of the same operation measured in this invocation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../src/store/runStore';
import { newRunId } from '../../src/store/runId';
import type { RunRecord, Sample, TaskRun } from '../../src/model/run';
import { mustSucceed, runCommand } from '../lib/proc';
import { fig, median, nowMs, ratio } from '../lib/stats';
import { defineCase, type CaseContext, type Row } from '../lib/types';
import { runCli, writeWorkflow } from '../lib/workflow';

interface P {
  [key: string]: number;
  runs: number;
  bigRunNodes: number;
  sampleNodes: number;
  sampleTicks: number;
  repeats: number;
}

/** A real run of a small workflow, as the template for the stored runs. */
async function templateRun(ctx: CaseContext): Promise<RunRecord> {
  const nodes = Array.from({ length: 10 }, (_, i) => ({
    id: `step${i}`,
    run: i % 2 === 0 ? 'echo hello' : 'true',
    needs: i > 0 ? [`step${i - 1}`] : [],
  }));
  const file = writeWorkflow(path.join(ctx.workDir, 'template.workflow.yaml'), 'template', nodes);
  return (await runCli(ctx, file, path.join(ctx.workDir, 'template-store'))).record;
}

/** Copies of the template with distinct ids and start times, 1 s apart. */
function cloneRun(template: RunRecord, at: Date, tasks: TaskRun[] = template.tasks): RunRecord {
  return { ...template, id: newRunId(at), startedAt: at.toISOString(), tasks };
}

function timeIt(repeats: number, fn: () => void): number {
  const costs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = nowMs();
    fn();
    costs.push(nowMs() - t0);
  }
  return median(costs);
}

/** The naive way to list: read and parse every run.json, newest first. */
function naiveList(storeDir: string): number {
  const runs: { id: string; startedAt: string }[] = [];
  for (const name of fs.readdirSync(storeDir)) {
    const file = path.join(storeDir, name, 'run.json');
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    runs.push({ id: r.id, startedAt: r.startedAt });
  }
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return runs.length;
}

function sampleBatch(nodes: number, tick: number): Sample[] {
  return Array.from({ length: nodes }, (_, i) => ({
    nodeId: `node${i}`,
    attempt: 1,
    t: tick * 100 + 0.123,
    cpuPercent: Math.round(Math.random() * 1000) / 10,
    rssBytes: 10_000_000 + Math.floor(Math.random() * 1e6) * 4096,
    threads: 1 + (i % 4),
    processes: 2,
    readBytesPerSec: 0,
    writeBytesPerSec: Math.floor(Math.random() * 1e6),
  }));
}

/** CPU ms (all threads) and wall ms of an async operation. */
async function cost(fn: () => Promise<void>): Promise<{ cpuMs: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = nowMs();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, wallMs: nowMs() - t0 };
}

export default defineCase<P>({
  name: 'storage',
  title: 'Storage at scale (the run store)',
  description:
    'Runs cloned from a real run of a 10-node workflow are stored through RunStore.createRun. ' +
    'Listing them (RunStore.list, a fresh store object each time, as a new process would) is ' +
    'timed beside the naive way (readdir, then read and JSON.parse every run.json); so is opening ' +
    'a run of 2,000 nodes (RunStore.load beside a bare JSON.parse of its run.json). Targets: ' +
    'list 1,000 runs under 150 ms, open under 150 ms. Also the CPU cost of writing a 50-node ' +
    'run’s samples (the store’s buffered samples writer, beside an appendFileSync per tick).',
  needs: [],
  params: {
    quick: { runs: 1000, bigRunNodes: 2000, sampleNodes: 50, sampleTicks: 200, repeats: 3 },
    full: { runs: 1000, bigRunNodes: 2000, sampleNodes: 50, sampleTicks: 600, repeats: 7 },
  },
  async run(ctx, p) {
    const rows: Row[] = [];
    ctx.log('a real run as the template');
    const template = await templateRun(ctx);

    ctx.log(`storing ${p.runs} runs`);
    const storeDir = path.join(ctx.workDir, 'store');
    const base = Date.parse('2026-01-01T00:00:00Z');
    const createMs = timeIt(1, () => {
      const store = new RunStore(storeDir);
      for (let i = 0; i < p.runs; i++)
        store.createRun(cloneRun(template, new Date(base + i * 1000)));
    });

    ctx.log(`listing ${p.runs} runs`);
    let listed = 0;
    const listMs = timeIt(p.repeats, () => {
      listed = new RunStore(storeDir).list().runs.length;
    });
    if (listed !== p.runs) throw new Error(`list() found ${listed} of ${p.runs} runs`);
    const naiveMs = timeIt(p.repeats, () => {
      if (naiveList(storeDir) !== p.runs) throw new Error('naive listing miscounted');
    });
    const listRatio = ratio(listMs, naiveMs, 'naive');
    rows.push({
      measure: `list ${p.runs} stored runs · RunStore.list()`,
      ours: fig(listMs, 'ms'),
      baseline: { label: 'readdir + JSON.parse of every run.json', figure: fig(naiveMs, 'ms') },
      truth: null,
      compare: listRatio,
      baselineCompare: null,
      target: { text: '< 150 ms', met: listMs < 150 },
      note: `median of ${p.repeats}; storing them took ${(createMs / 1000).toFixed(1)} s (${(createMs / p.runs).toFixed(1)} ms per run, each written atomically with fsync)`,
    });
    const cli = mustSucceed(
      'workflow-profiler list',
      await runCommand(process.execPath, [ctx.cliPath, 'list', '--json', '--store', storeDir]),
    );
    const node = await runCommand(process.execPath, ['-e', '']);
    rows.push({
      measure: `list ${p.runs} stored runs · \`workflow-profiler list --json\``,
      ours: fig(cli.wallMs, 'ms'),
      baseline: { label: '`node -e ""` (Node start-up alone)', figure: fig(node.wallMs, 'ms') },
      truth: null,
      compare: ratio(cli.wallMs, node.wallMs, 'Node start-up'),
      baselineCompare: null,
      target: null,
      note: 'the whole command, process start to exit',
    });
    fs.rmSync(path.join(storeDir, 'index.ndjson'), { force: true });
    const rebuildMs = timeIt(1, () => {
      new RunStore(storeDir).list();
    });
    rows.push({
      measure: `list ${p.runs} stored runs · index lost, rebuilt from the folders`,
      ours: fig(rebuildMs, 'ms'),
      baseline: { label: 'readdir + JSON.parse of every run.json', figure: fig(naiveMs, 'ms') },
      truth: null,
      compare: ratio(rebuildMs, naiveMs, 'naive'),
      baselineCompare: null,
      target: null,
      note: 'once: reads every run.json and writes the index again',
    });

    ctx.log(`opening a ${p.bigRunNodes}-node run`);
    const bigTasks: TaskRun[] = Array.from({ length: p.bigRunNodes }, (_, i) => {
      const t = template.tasks[i % template.tasks.length] as TaskRun;
      return {
        ...t,
        nodeId: `node${i}`,
        needs: i > 0 ? [`node${i - 1}`] : [],
        startMs: (t.startMs ?? 0) + i,
        endMs: (t.endMs ?? 0) + i,
      };
    });
    const bigDir = path.join(ctx.workDir, 'big-store');
    const big = cloneRun(template, new Date(base), bigTasks);
    new RunStore(bigDir).createRun(big);
    const bigFile = path.join(bigDir, big.id, 'run.json');
    const opens: number[] = [];
    for (let i = 0; i < p.repeats; i++) {
      const t0 = nowMs();
      const r = await new RunStore(bigDir).load(big.id);
      opens.push(nowMs() - t0);
      if (r.tasks.length !== p.bigRunNodes) throw new Error('load() lost tasks');
    }
    const loadMs = median(opens);
    const parseMs = timeIt(p.repeats, () => {
      JSON.parse(fs.readFileSync(bigFile, 'utf8'));
    });
    rows.push({
      measure: `open a ${p.bigRunNodes}-node run · RunStore.load()`,
      ours: fig(loadMs, 'ms'),
      baseline: { label: 'readFileSync + JSON.parse', figure: fig(parseMs, 'ms') },
      truth: null,
      compare: ratio(loadMs, parseMs, 'bare parse'),
      baselineCompare: null,
      target: { text: '< 150 ms', met: loadMs < 150 },
      note: `median of ${p.repeats}; run.json is ${(fs.statSync(bigFile).size / 2 ** 20).toFixed(1)} MiB; load() also checks the record's shape`,
    });

    ctx.log(`writing samples: ${p.sampleNodes} nodes × ${p.sampleTicks} ticks`);
    const samplesStore = new RunStore(path.join(ctx.workDir, 'samples-store'));
    const batches = Array.from({ length: p.sampleTicks }, (_, t) => sampleBatch(p.sampleNodes, t));
    const naiveFile = path.join(ctx.workDir, 'naive-samples.ndjson');
    const oursCosts: { cpuMs: number; wallMs: number }[] = [];
    const naiveCosts: { cpuMs: number; wallMs: number }[] = [];
    let sRun = cloneRun(template, new Date(base + 1));
    // Alternating, repeated: the first to run would otherwise pay for warming up the JIT.
    for (let rep = 0; rep < p.repeats; rep++) {
      sRun = cloneRun(template, new Date(base + 2 + rep));
      samplesStore.createRun(sRun);
      const writer = samplesStore.samplesWriter(sRun.id);
      const ours = (): Promise<{ cpuMs: number; wallMs: number }> =>
        cost(async () => {
          for (const b of batches) writer.append(b);
          await writer.close();
        });
      fs.rmSync(naiveFile, { force: true });
      const naive = (): Promise<{ cpuMs: number; wallMs: number }> =>
        cost(async () => {
          for (const b of batches) {
            fs.appendFileSync(naiveFile, b.map((x) => JSON.stringify(x) + '\n').join(''));
          }
          await Promise.resolve();
        });
      if (rep % 2 === 0) {
        oursCosts.push(await ours());
        naiveCosts.push(await naive());
      } else {
        naiveCosts.push(await naive());
        oursCosts.push(await ours());
      }
    }
    const oursCpu = median(oursCosts.map((c) => c.cpuMs));
    const oursWall = median(oursCosts.map((c) => c.wallMs));
    const naiveCpu = median(naiveCosts.map((c) => c.cpuMs));
    const size = fs.statSync(samplesStore.samplesPath(sRun.id)).size;
    const perTick = oursCpu / p.sampleTicks;
    rows.push({
      measure: `samples of a ${p.sampleNodes}-node run · CPU per 100 ms tick`,
      ours: fig(perTick, 'ms'),
      baseline: { label: 'appendFileSync per tick', figure: fig(naiveCpu / p.sampleTicks, 'ms') },
      truth: null,
      compare: ratio(perTick, naiveCpu / p.sampleTicks, 'appendFileSync'),
      baselineCompare: null,
      target: null,
      note:
        `${p.sampleTicks} ticks of ${p.sampleNodes} samples (${(p.sampleTicks / 10).toFixed(0)} s of a run), ` +
        `median of ${p.repeats}: written in ${oursWall.toFixed(0)} ms, ${(size / p.sampleTicks / 1024).toFixed(1)} KiB per tick, ` +
        `${((perTick / 100) * 100).toFixed(2)} % of a core at 100 ms`,
    });
    return rows;
  },
});
