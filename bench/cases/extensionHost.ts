/**
 * The extension host under load, in a real VS Code (the activation case's editor): its memory
 * while a 2,000-node workflow is profiled with the live dashboard open, and a CPU profile of the
 * host while it runs the runner case's chain of 500 `true`. Both are started through the
 * extension's own commands by a probe test entry running inside the extension host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareEditor, probeOutput, runEditorTests, writeProbe } from '../lib/editor';
import { MiB, fig, median } from '../lib/stats';
import { defineCase } from '../lib/types';
import { writeWorkflow } from '../lib/workflow';

interface P {
  [key: string]: number;
  /** Nodes of the live run whose memory is measured. */
  liveNodes: number;
  /** Slots of that run (ParallelRuntime). */
  liveSlots: number;
  /** Nodes of the chain whose host CPU is profiled. */
  chainNodes: number;
  /** Launches of each (a fresh VS Code each). */
  launches: number;
}

const TAG = '[wp-bench-host]';
/** How long the probe lets the host settle after activation, and samples its idle RSS. */
const IDLE_MS = 3000;
/** RSS sampling period during the live run. */
const SAMPLE_MS = 250;

/** What the probe prints in memory mode (bytes). */
interface MemoryProbe {
  idleRss: number[];
  peakRss: number;
  /** After the run ended and its dashboard drew its final snapshot, 2 s later. */
  afterRss: number;
  samples: number;
  status: string;
  runMs: number;
  drewFinal: boolean;
}

/** What the probe prints in profile mode. */
interface ProfileProbe {
  status: string;
  runMs: number;
  /** The host process's CPU time (user + sys) during the run. */
  cpuMs: number;
  profile: string;
}

/**
 * The probe: activates the extension, waits, then (WP_BENCH_HOST_MODE) either samples the host's
 * RSS around "Profile Workflow" of the big workflow, or records a CPU profile of the host (the
 * inspector's Profiler, in-process) around "Run Workflow" of the chain. Plain CommonJS.
 */
const PROBE_JS = `const vscode = require('vscode');
const fs = require('node:fs');
const inspector = require('node:inspector');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.run = async function run() {
  const ext = vscode.extensions.getExtension(process.env.WP_BENCH_EXTENSION_ID);
  const api = await ext.activate();
  const file = vscode.Uri.file(process.env.WP_BENCH_WORKFLOW);
  const idleRss = [];
  for (let t = 0; t < ${IDLE_MS}; t += ${SAMPLE_MS}) {
    await sleep(${SAMPLE_MS});
    idleRss.push(process.memoryUsage().rss);
  }
  const t0 = performance.now();
  if (process.env.WP_BENCH_HOST_MODE === 'profile') {
    const session = new inspector.Session();
    session.connect();
    const post = (m, p) => new Promise((res, rej) => session.post(m, p || {}, (e, r) => (e ? rej(e) : res(r))));
    await post('Profiler.enable');
    await post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const r = await vscode.commands.executeCommand('workflowProfiler.run', file);
    const cpu = process.cpuUsage(cpu0);
    const runMs = performance.now() - t0;
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    fs.writeFileSync(process.env.WP_BENCH_PROFILE, JSON.stringify(profile));
    console.log(${JSON.stringify(TAG)} + JSON.stringify({
      status: r && r.status, runMs, cpuMs: (cpu.user + cpu.system) / 1000, profile: process.env.WP_BENCH_PROFILE,
    }));
    return;
  }
  let peakRss = 0;
  let samples = 0;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    samples++;
  }, ${SAMPLE_MS});
  let finalDrawn = null;
  const drew = new Promise((resolve) => { finalDrawn = resolve; });
  let runId = null;
  const sub = api.onDidRenderPanel((p) => { if (runId !== null && p.kind === 'dashboard' && p.id === runId) finalDrawn(true); });
  const r = await vscode.commands.executeCommand('workflowProfiler.profile', file);
  const runMs = performance.now() - t0;
  runId = r && r.runId;
  // The dashboard draws its final snapshot once the run ended; a minute at most.
  const drewFinal = await Promise.race([drew, sleep(60000).then(() => false)]);
  sub.dispose();
  await sleep(2000);
  clearInterval(timer);
  const afterRss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, afterRss);
  console.log(${JSON.stringify(TAG)} + JSON.stringify({
    idleRss, peakRss, afterRss, samples, status: r && r.status, runMs, drewFinal,
  }));
};
`;

export default defineCase<P>({
  name: 'extension-host',
  title: 'The extension host during big runs, in a real VS Code',
  description:
    'VS Code 1.100.3 as in the activation case (code-server 4.100.3’s workbench in Chromium, ' +
    'the staged extension, a fresh VS Code per launch, the workspace trusted). A probe test ' +
    'entry in the extension host activates the extension and samples the host’s RSS ' +
    `(process.memoryUsage().rss) every ${SAMPLE_MS} ms for ${IDLE_MS / 1000} s idle. Memory: it ` +
    'then runs “Profile Workflow” on a workflow of N `true` nodes (ParallelRuntime), which opens ' +
    'the run’s live dashboard, sampling RSS until the run ended, its dashboard drew the final ' +
    'snapshot and 2 s passed; growth = peak RSS − idle RSS (median of the idle samples), target ' +
    '< 50 MB. CPU: in another launch it runs “Run Workflow” on the runner case’s chain of 500 ' +
    '`true` under node:inspector’s Profiler (in-process) and reports the host’s CPU time ' +
    '(process.cpuUsage) during the run; the .cpuprofile is kept under out/bench/.',
  needs: [],
  params: {
    quick: { liveNodes: 2000, liveSlots: 2, chainNodes: 500, launches: 1 },
    full: { liveNodes: 2000, liveSlots: 2, chainNodes: 500, launches: 2 },
  },
  async run(ctx, p) {
    const { staged, id } = await prepareEditor(ctx);
    const probe = writeProbe(ctx, 'host-probe', PROBE_JS);
    const ws = path.join(ctx.workDir, 'workspace');
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `n${i}`);
    writeWorkflow(
      path.join(ws, 'live.workflow.yaml'),
      'live',
      ids(p.liveNodes).map((x) => ({ id: x, run: 'true' })),
      { runtime: 'parallel', maxParallel: p.liveSlots },
    );
    writeWorkflow(
      path.join(ws, 'chain.workflow.yaml'),
      'chain',
      ids(p.chainNodes).map((x, i) => ({ id: x, run: 'true', needs: i > 0 ? [`n${i - 1}`] : [] })),
    );
    const profiles = path.join(ctx.repoRoot, 'out', 'bench', 'profiles');
    fs.mkdirSync(profiles, { recursive: true });
    let launch = 0;
    const probeRun = async (mode: 'memory' | 'profile', extra: Record<string, string>) => {
      const what = `${mode} launch ${++launch}`;
      ctx.log(what);
      const r = await runEditorTests(
        ctx,
        [
          '--extension',
          staged,
          '--tests',
          probe,
          '--workspace',
          ws,
          '--trust',
          '--screenshot-dir',
          path.join(ctx.workDir, `run-${launch}`),
        ],
        {
          WP_BENCH_EXTENSION_ID: id,
          WP_BENCH_HOST_MODE: mode,
          WORKFLOW_PROFILER_TEST_GREP: '',
          ...extra,
        },
        what,
        600,
      );
      return r;
    };
    const mem: MemoryProbe[] = [];
    const cpu: ProfileProbe[] = [];
    for (let i = 0; i < p.launches; i++) {
      const wsLive = path.join(ws, 'live.workflow.yaml');
      mem.push(
        probeOutput<MemoryProbe>(
          await probeRun('memory', { WP_BENCH_WORKFLOW: wsLive }),
          TAG,
          'the memory probe',
        ),
      );
      const profile = path.join(profiles, `extension-host-chain-${i + 1}.cpuprofile`);
      cpu.push(
        probeOutput<ProfileProbe>(
          await probeRun('profile', {
            WP_BENCH_WORKFLOW: path.join(ws, 'chain.workflow.yaml'),
            WP_BENCH_PROFILE: profile,
          }),
          TAG,
          'the CPU probe',
        ),
      );
    }
    for (const m of [...mem, ...cpu])
      if (m.status !== 'completed') throw new Error(`a run ended ${m.status}, not completed`);
    const idle = mem.map((m) => median(m.idleRss));
    const growth = mem.map((m, i) => m.peakRss - (idle[i] as number));
    const after = mem.map((m, i) => m.afterRss - (idle[i] as number));
    const of = (n: number): string => (n === 1 ? '1 launch' : `median of ${n} launches`);
    const worstGrowth = Math.max(...growth);
    return [
      {
        measure: `extension host RSS growth · “Profile Workflow” of ${p.liveNodes} nodes, live dashboard open, ${of(p.launches)}`,
        ours: fig(median(growth), 'B'),
        baseline: { label: 'the same host’s idle RSS', figure: fig(median(idle), 'B') },
        truth: null,
        compare: null,
        baselineCompare: null,
        target: { text: '< 50 MB', met: worstGrowth < 50e6 },
        note:
          `peak RSS − idle RSS of the same host (idle: median of ${IDLE_MS / SAMPLE_MS} samples ` +
          `over ${IDLE_MS / 1000} s after activation), sampled every ${SAMPLE_MS} ms in the host; ` +
          `${p.liveNodes} \`true\` nodes, ParallelRuntime with ${p.liveSlots} slots, profiled ` +
          `(samples kept), the run took ${(median(mem.map((m) => m.runMs)) / 1000).toFixed(1)} s; ` +
          `2 s after the dashboard’s final drawing RSS stood ` +
          `${(median(after) / MiB).toFixed(1)} MiB above idle; worst growth ` +
          `${(worstGrowth / MiB).toFixed(1)} MiB; the target (50 MB = 50,000,000 B) holds for the worst launch`,
        detail: mem,
      },
      {
        measure: `extension host CPU · “Run Workflow” of the chain of ${p.chainNodes} \`true\`, ${of(p.launches)}`,
        ours: fig(median(cpu.map((c) => c.cpuMs)), 'ms'),
        baseline: {
          label: 'the run’s wall time in the host',
          figure: fig(median(cpu.map((c) => c.runMs)), 'ms'),
        },
        truth: null,
        compare: null,
        baselineCompare: null,
        target: null,
        note:
          'process.cpuUsage() of the extension host (user + sys, every thread of the host) from ' +
          'the command’s start to its result, under node:inspector’s sampling Profiler (which ' +
          'adds its own cost); the profiles are out/bench/profiles/extension-host-chain-*.cpuprofile',
        detail: cpu,
      },
    ];
  },
});
