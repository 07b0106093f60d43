/**
 * The runner's memory on a big run: a chain of N `true` nodes through the real CLI, the runner's
 * peak RSS beside Node's own floor (`node -e` holding nothing), measured the same way.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStatus } from '../../src/measure/procfs';
import { fig, median, ratio } from '../lib/stats';
import { defineCase, type Row } from '../lib/types';
import { writeWorkflow, type NodeSpec } from '../lib/workflow';

/** The target, read as 150 × 10^6 bytes (the stricter of MB and MiB). */
const LIMIT_BYTES = 150e6;
/** How often /proc is read: VmHWM is a high-water mark, so only the last few ms can be missed. */
const POLL_MS = 5;

interface Params {
  [key: string]: number;
  nodes: number;
  repeats: number;
}

interface Peak {
  /** The watched process's VmHWM at the last read before it exited; null if never read. */
  bytes: number | null;
  code: number | null;
  stderr: string;
}

/**
 * Runs `args` under Node and reads, every POLL_MS until it exits, the VmHWM of the process
 * `watch` picks (here always the spawned process itself).
 */
function peakOf(args: string[], watch: (pid: number) => number | null): Promise<Peak> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let watched: number | null = null;
    let bytes: number | null = null;
    const read = (): void => {
      if (child.pid === undefined) return;
      watched ??= watch(child.pid);
      const now = watched === null ? null : (readStatus(watched)?.vmHwmBytes ?? null);
      if (now !== null) bytes = Math.max(bytes ?? 0, now);
    };
    const timer = setInterval(read, POLL_MS);
    child.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearInterval(timer);
      resolve({ bytes, code, stderr });
    });
  });
}

function chain(n: number): NodeSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    run: 'true',
    ...(i > 0 ? { needs: [`n${i - 1}`] } : {}),
  }));
}

const med = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === values.length && known.length > 0 ? median(known) : null;
};

export default defineCase<Params>({
  name: 'memory',
  title: 'Runner memory on a big run',
  description:
    'A chain of N `true` nodes (LocalRuntime) through the real CLI, which runs the workflow in ' +
    'its own process (it is the runner); its VmHWM is read from /proc/PID/status every 5 ms until it exits, ' +
    'beside `node -e` holding nothing for 300 ms read the same way (Node’s own floor). ' +
    'Target: runner peak RSS < 150 MB.',
  needs: [],
  params: { quick: { nodes: 1000, repeats: 1 }, full: { nodes: 5000, repeats: 3 } },
  async run(ctx, p) {
    const dir = path.join(ctx.workDir, 'memory');
    const wf = writeWorkflow(path.join(dir, 'chain.workflow.yaml'), 'memory', chain(p.nodes));
    const ours: (number | null)[] = [];
    const floor: (number | null)[] = [];
    for (let i = 0; i < p.repeats; i++) {
      ctx.log(`chain of ${p.nodes} \`true\`: runner peak RSS, run ${i + 1} of ${p.repeats}`);
      const store = path.join(dir, `store-${i}`);
      const args = [ctx.cliPath, 'run', wf, '--store', store, '--json', '--quiet'];
      const run = await peakOf(args, (pid) => pid);
      if (run.code !== 0) throw new Error(`the ${p.nodes}-node run failed:\n${run.stderr}`);
      ours.push(run.bytes);
      fs.rmSync(store, { recursive: true, force: true });
      const idle = await peakOf(['-e', 'setTimeout(() => undefined, 300)'], (pid) => pid);
      floor.push(idle.bytes);
    }
    const peak = med(ours);
    const base = med(floor);
    const row: Row = {
      measure: `chain of ${p.nodes} \`true\`, LocalRuntime · runner peak RSS`,
      ours: fig(peak, 'B'),
      baseline: { label: '`node -e` holding nothing', figure: fig(base, 'B') },
      truth: null,
      compare: ratio(peak, base, 'node -e'),
      baselineCompare: null,
      target: { text: '< 150 MB', met: peak !== null && peak < LIMIT_BYTES },
      note:
        `median of ${p.repeats}; VmHWM (the kernel's peak resident set) of the CLI process, which ` +
        'runs the workflow itself (the editor forks dist/runner.js, the same code), ' +
        `read from /proc every ${POLL_MS} ms while it runs: growth in its last few ms before exit ` +
        'could be missed. Null if it was never read',
      detail: { runnerPeakBytes: ours, nodeFloorBytes: floor },
    };
    return [row];
  },
});
