/**
 * Extension activation in a real VS Code: 1.100.3, the web workbench of code-server 4.100.3 in
 * the system's Chromium, started by the editor tests' own runner (scripts/vscode/run-tests.mjs)
 * with the extension staged as it ships (scripts/vscode/stage-extension.mjs). Our extension's
 * cold activation is timed beside a trivially small extension loaded the same way, and the
 * activation suite reports the body of activate() when a workspace with workflow files opens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareEditor, probeOutput, runEditorTests, tail, writeProbe } from '../lib/editor';
import type { Ran } from '../lib/proc';
import { fig, median, ratio } from '../lib/stats';
import { defineCase } from '../lib/types';

interface P {
  [key: string]: number;
  /** Launches of each extension for the cold activation (ours and the trivial one, alternating). */
  pairs: number;
  /** Launches of the activation suite in the test workspace. */
  suiteRuns: number;
}

/** What the probe prints from inside the extension host. */
interface Probe {
  id: string;
  wasActive: boolean;
  /** getExtension(id).activate() called → resolved, in the extension host. */
  activateMs: number;
  /** The extension's own measure of activate()'s body (ExtensionApi.activationMs). */
  bodyMs: number | null;
  /** The extension host process's start → the probe's measure. */
  hostUptimeMs: number;
}

/** The activation suite's figures and the extension host log's timestamps of the same run. */
interface SuiteRun {
  resolvedMs: number;
  bodyMs: number;
  /** Extension host started → our extension's activation began (workspaceContains). */
  hostToActivationMs: number | null;
  /** Extension host started → "Eager extensions activated": the workbench's start-up. */
  hostToEagerMs: number | null;
}

const PROBE_TAG = '[wp-bench-activation]';
/** How long the probe lets the extension host settle after start-up before it times anything. */
const SETTLE_MS = 2000;

/**
 * An extension-host test entry (what `--tests` takes) that activates one extension, named by
 * WP_BENCH_EXTENSION_ID, and prints how long that took. Plain CommonJS: nothing to compile.
 */
const PROBE_JS = `const vscode = require('vscode');
exports.run = async function run() {
  const id = process.env.WP_BENCH_EXTENSION_ID;
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error('extension ' + id + ' is not loaded');
  // The host is still busy with start-up (eager extensions, onStartupFinished) when the tests
  // begin: let it settle, so the timing is of the activation and not of the queue before it.
  await new Promise((resolve) => setTimeout(resolve, ${SETTLE_MS}));
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const api = await ext.activate();
  const activateMs = performance.now() - t0;
  const bodyMs = api && typeof api.activationMs === 'number' ? api.activationMs : null;
  console.log(${JSON.stringify(PROBE_TAG)} + ' ' + JSON.stringify({
    id, wasActive, activateMs, bodyMs, hostUptimeMs: performance.now(),
  }));
};
`;

/** The smallest extension there is: a manifest and a one-line activate(). */
function writeTrivialExtension(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'trivial',
    displayName: 'Trivial (benchmark baseline)',
    publisher: 'wp-bench',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: [],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    'exports.activate = () => { const t0 = performance.now(); return { activationMs: performance.now() - t0 }; };\n',
  );
  return `${manifest.publisher}.${manifest.name}`;
}

/** "2026-12-02 05:31:49.452 [info] …" → milliseconds (same clock for every line of a log). */
function logTime(line: string): number | null {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) /.exec(line);
  return m ? Date.parse(`${m[1]}T${m[2]}`) : null;
}

/** Start-up timestamps from the extension host log run-tests copies into the run's folder. */
function hostLogTimes(
  runLogs: string,
  extensionId: string,
): { hostToActivationMs: number | null; hostToEagerMs: number | null } {
  const logs = path.join(runLogs, 'vscode-logs');
  const out = { hostToActivationMs: null as number | null, hostToEagerMs: null as number | null };
  if (!fs.existsSync(logs)) return out;
  const file = fs
    .readdirSync(logs, { recursive: true })
    .map(String)
    .find((f) => f.endsWith('exthost.log'));
  if (!file) return out;
  let started: number | null = null;
  for (const line of fs.readFileSync(path.join(logs, file), 'utf8').split('\n')) {
    const t = logTime(line);
    if (t === null) continue;
    if (started === null && /Extension host with pid \d+ started/.test(line)) started = t;
    else if (
      started !== null &&
      out.hostToActivationMs === null &&
      line.includes(`_doActivateExtension ${extensionId},`)
    )
      out.hostToActivationMs = t - started;
    else if (
      started !== null &&
      out.hostToEagerMs === null &&
      line.includes('Eager extensions activated')
    )
      out.hostToEagerMs = t - started;
  }
  return out;
}

function parseProbe(r: Ran, id: string): Probe {
  const p = probeOutput<Probe>(r, PROBE_TAG, id);
  if (p.wasActive)
    throw new Error(`${id} was already active before the probe: no cold activation to time`);
  return p;
}

export default defineCase<P>({
  name: 'activation',
  title: 'Extension activation in a real VS Code',
  description:
    'VS Code 1.100.3 (code-server 4.100.3’s web workbench in the system’s Chromium, installed ' +
    'on first use), started by the editor tests’ runner (scripts/vscode/run-tests.mjs), the ' +
    'extension loaded from its staged package (scripts/vscode/stage-extension.mjs), a fresh ' +
    'VS Code each time. Cold activation: in an empty workspace, where nothing activates it at ' +
    'start-up, a probe test entry waits 2 s for the host’s start-up to finish, then calls ' +
    'getExtension(id).activate() and times it to resolved ' +
    '(VS Code’s activation, loading dist/extension.js, and activate()); baseline: a trivially ' +
    'small extension generated in a temp folder (a manifest and a one-line extension.js), loaded ' +
    'and timed the same way, launches alternating. Start-up: the activation suite ' +
    '(test/vscode/suite/activation.test.ts) in the test workspace, where the extension ' +
    'activates at start-up on its workflow files; its body of activate() (the extension’s own ' +
    'measure) beside the extension host’s start-up from its log (host started → eager ' +
    'extensions activated). Target: the cold activation at most 3 × the trivial extension’s.',
  needs: [],
  params: { quick: { pairs: 1, suiteRuns: 1 }, full: { pairs: 5, suiteRuns: 2 } },
  async run(ctx, p) {
    const suiteEntry = path.join(ctx.repoRoot, 'out', 'vscode-test', 'test', 'vscode', 'index.js');
    if (!fs.existsSync(suiteEntry)) {
      throw new Error(
        `${path.relative(ctx.repoRoot, suiteEntry)} is missing: compile the editor tests first ` +
          '(`npx tsc -p test/vscode`; `npm run bench` does)',
      );
    }

    const { staged, id: ourId } = await prepareEditor(ctx);
    const trivialDir = path.join(ctx.workDir, 'trivial');
    const trivialId = writeTrivialExtension(trivialDir);
    const probe = writeProbe(ctx, 'probe', PROBE_JS);

    const ours: Probe[] = [];
    const trivial: Probe[] = [];
    const suite: SuiteRun[] = [];
    let launch = 0;
    const cold = async (extension: string, id: string): Promise<Probe> => {
      const shots = path.join(ctx.workDir, `run-${++launch}`);
      const r = await runEditorTests(
        ctx,
        ['--extension', extension, '--tests', probe, '--trust', '--screenshot-dir', shots],
        { WP_BENCH_EXTENSION_ID: id, WORKFLOW_PROFILER_TEST_GREP: '' },
        `cold activation of ${id}`,
      );
      return parseProbe(r, id);
    };
    const startUp = async (): Promise<SuiteRun> => {
      const shots = path.join(ctx.workDir, `run-${++launch}`);
      const r = await runEditorTests(
        ctx,
        [
          '--extension',
          staged,
          '--workspace',
          path.join(ctx.repoRoot, 'test', 'vscode', 'workspace'),
          '--trust',
          '--screenshot-dir',
          shots,
        ],
        { WORKFLOW_PROFILER_TEST_GREP: 'activation' },
        'the activation suite',
      );
      const m =
        /\[activation\] activate\(\) resolved in ([\d.]+) ms; its body took ([\d.]+) ms/.exec(
          r.stdout,
        );
      if (!m) throw new Error(`the activation suite printed no timing line:\n${tail(r)}`);
      return {
        resolvedMs: Number(m[1]),
        bodyMs: Number(m[2]),
        ...hostLogTimes(path.join(shots, 'vscode-run'), ourId),
      };
    };
    for (let i = 0; i < Math.max(p.pairs, p.suiteRuns); i++) {
      if (i < p.pairs) {
        ctx.log(`cold activations ${i + 1} of ${p.pairs} (ours and the trivial extension)`);
        // Alternating which goes first.
        if (i % 2 === 0) {
          ours.push(await cold(staged, ourId));
          trivial.push(await cold(trivialDir, trivialId));
        } else {
          trivial.push(await cold(trivialDir, trivialId));
          ours.push(await cold(staged, ourId));
        }
      }
      if (i < p.suiteRuns) {
        ctx.log(`the activation suite ${i + 1} of ${p.suiteRuns}`);
        suite.push(await startUp());
      }
    }

    const oursMs = ours.map((x) => x.activateMs);
    const trivialMs = trivial.map((x) => x.activateMs);
    const oursBody = ours.map((x) => x.bodyMs).filter((v): v is number => v !== null);
    const kib = (f: string): number => fs.statSync(path.join(staged, 'dist', f)).size / 1024;
    const bundleKiB = kib('extension.js');
    const servicesKiB = kib('extensionServices.js');
    const bodies = suite.map((s) => s.bodyMs);
    const eager = suite.map((s) => s.hostToEagerMs).filter((v): v is number => v !== null);
    const toOurs = suite.map((s) => s.hostToActivationMs).filter((v): v is number => v !== null);
    const of = (n: number): string => (n === 1 ? '1 launch' : `median of ${n} launches`);
    return [
      {
        measure: `cold activation · activate() called → resolved, ${of(p.pairs)}`,
        ours: fig(median(oursMs), 'ms'),
        baseline: { label: 'trivial extension', figure: fig(median(trivialMs), 'ms') },
        truth: null,
        compare: ratio(median(oursMs), median(trivialMs), 'trivial extension'),
        baselineCompare: null,
        target: { text: '≤ 3 × trivial extension', met: median(oursMs) <= 3 * median(trivialMs) },
        note:
          `in an empty workspace, a fresh VS Code per launch, timed ${SETTLE_MS / 1000} s after the tests start (the host’s own start-up over): VS Code’s activation, loading ` +
          `dist/extension.js (${bundleKiB.toFixed(0)} KiB, minified; dist/extensionServices.js, ` +
          `${servicesKiB.toFixed(0)} KiB, loads on the first use of a contribution, not here) ` +
          `and activate(), of which ` +
          `activate()’s body took ${oursBody.length > 0 ? median(oursBody).toFixed(1) : 'n/a'} ms ` +
          `(its own measure); the difference from the trivial extension, ` +
          `${(median(oursMs) - median(trivialMs)).toFixed(1)} ms, is what this extension adds; ` +
          `worst ${Math.max(...oursMs).toFixed(1)} ms (trivial extension ` +
          `${Math.max(...trivialMs).toFixed(1)} ms)`,
        detail: { ours, trivial },
      },
      {
        measure: `start-up activation in the test workspace · activate() body, ${of(p.suiteRuns)}`,
        ours: fig(median(bodies), 'ms'),
        baseline:
          eager.length > 0
            ? {
                label: 'extension host start → eager extensions activated',
                figure: fig(median(eager), 'ms'),
              }
            : null,
        truth: null,
        compare: null,
        baselineCompare: null,
        target: null,
        note:
          `the activation suite’s line “activate() … its body took”, the extension’s own measure ` +
          `(performance.now() around activate()’s body, ExtensionApi.activationMs); the extension ` +
          `activated on workspaceContains ${toOurs.length > 0 ? `${median(toOurs).toFixed(0)} ms after the extension host started, ` : ''}` +
          `before the suite asked (the suite’s activate() resolved in ` +
          `${median(suite.map((s) => s.resolvedMs)).toFixed(1)} ms). Baseline: the host log’s ` +
          `timestamps of the same launch, the whole start-up of the extension host; worst body ` +
          `${Math.max(...bodies).toFixed(1)} ms`,
        detail: suite,
      },
    ];
  },
});
