/**
 * `workflow-profiler`: the command-line face of the engine. `run` runs the workflow in this
 * process (the editor forks a runner for it: src/runtime/inProcessRun.ts says why the CLI need
 * not); the other commands read the run store.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startRunInProcess } from '../runtime/inProcessRun';
import { tracePhase } from '../runtime/phaseTrace';
import { renderReport } from '../report/markdown';
import { finaliseRun } from '../report/whatif/finalise';
import { loadWorkflowTree } from '../runtime/loadWorkflows';
import type { WorkflowProblem } from '../workflow/types';
import { RunStore } from '../store/runStore';
import type { RunRecord } from '../model/run';
import { formatMs } from '../model/format';
import { parseArgs, UsageError, type CliArgs } from './args';
import { helpRequest, isHelpTopic, USAGE, usageErrorText } from './help';
import { liveProgress, liveTty } from './liveProgress';
import { failureDetails, taskLine } from '../report/terminalProgress';
import { writeFileAtomic } from '../store/atomicWrite';
import { distDir } from '../measure/assets';
import { planOf, whatIfInputOf } from '../report/panelSnapshots';
import { standaloneDashboardHtml } from '../report/webviewHtml';
import { storeSource, type RunSource } from '../query/runSource';
import { resolveRunRef } from '../query/runRef';
import { customHistory, customPrevious } from '../query/customHistory';
import { exportText, writeExport } from '../query/exportRun';
import { runReportText } from '../query/report';
import { whatifCommand } from './whatif';
import { compareCommand } from './compare';
import { seriesCommand } from './series';
import { takeSeriesFlags } from './seriesArgs';
import { takeMemoryLimit } from './memoryLimitArg';
import { checkMemory } from './memoryCheck';
import { runRequestFor } from './runRequest';
import { terminalSafe } from '../model/terminalText';
import {
  checkOutputFile,
  CliError,
  internalErrorLines,
  prepareStore,
  traceOf,
  userMessage,
  writingTo,
} from './errors';

// A reader that goes away (`… | head`) must not crash the CLI or cancel a run: once stdout is
// closed, further output is dropped.
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
});

// Everything printed passes through terminalSafe: names and reasons come from workflow files and
// run folders, and an escape code in them must not reach the terminal.
const out = (s: string): void => {
  if (stdoutClosed) return;
  const t = terminalSafe(s);
  process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
};
const err = (s: string): void => {
  const t = terminalSafe(s);
  process.stderr.write(t.endsWith('\n') ? t : `${t}\n`);
};

/** --debug, known before the arguments are fully parsed, for errors that happen in between. */
const debugRequested = process.argv.includes('--debug');

async function main(argv: string[]): Promise<number> {
  tracePhase('cli: loaded');
  // Help first, whatever else argv holds: `run --max-parallel 0 --help` asks how, not to run.
  const help = helpRequest(argv);
  if (help) {
    (help.toStderr ? err : out)(help.text);
    return help.toStderr ? 2 : 0;
  }
  // Parsed by its own module, so the shared parser stays as it is.
  if (argv[0] === 'whatif') return whatifCommand(argv.slice(1), out, err);
  if (argv[0] === 'compare') return compareCommand(argv.slice(1), out, err);
  let capBytes: number | null = null;
  if (argv[0] === 'run') {
    let series;
    try {
      const taken = takeMemoryLimit(argv);
      capBytes = taken.capBytes;
      argv = taken.rest;
      series = takeSeriesFlags(argv);
    } catch (e) {
      err(usageErrorText((e as Error).message, 'run'));
      return 2;
    }
    if (series) return seriesCommand(series, capBytes, out, err);
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(usageErrorText(e.message, isHelpTopic(argv[0]) ? argv[0] : undefined));
      return 2;
    }
    throw e;
  }
  const storeDir = path.resolve(args.store);
  switch (args.command) {
    case 'help':
      out(USAGE);
      return 0;
    case 'version':
      out(VERSION);
      return 0;
    case 'run':
      return runCommand(args, storeDir, capBytes);
    case 'list':
      return listCommand(args, storeDir);
    case 'show':
    case 'report':
    case 'export':
      return runViewCommand(args, storeDir);
    case 'dashboard':
      return dashboardCommand(args, storeDir);
  }
}

// package.json's version, written in by the build (esbuild.mjs `define`); `dev` only when this
// file runs unbundled, as no shipped CLI does.
declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

async function runCommand(
  args: CliArgs,
  storeDir: string,
  capBytes: number | null,
): Promise<number> {
  prepareStore(storeDir);
  // Checked here first, so an invalid file exits 2 before anything else (the run checks again,
  // from the parse kept by src/workflow/parse.ts).
  const loaded = await loadWorkflowTree(path.resolve(args.target as string), args.maxNodes);
  tracePhase('cli: workflow checked');
  if (!loaded.root) return invalid(args, loaded.problems);
  const log = args.json || args.quiet ? err : out;
  const printer = args.quiet ? null : liveProgress(log, liveTty(args));
  const request = runRequestFor(args, storeDir);
  const { forecast } = await checkMemory(sourceFor(storeDir), request, capBytes, err);
  tracePhase('cli: memory forecast');
  const handle = startRunInProcess(
    { ...request, memoryForecast: forecast },
    { onEvent: (e) => printer?.onEvent(e), renderReport, finalise: finaliseRun },
  );
  let interrupts = 0;
  let finished = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    // Still handled once the run is over: a Ctrl-C while the summary prints must not kill us.
    if (finished) return;
    interrupts++;
    if (interrupts === 1) {
      err(`\n${sig}: cancelling the run (every node's process tree is killed)…`);
      handle.cancel(`cancelled by ${sig}`);
    } else {
      // The runner is this process: exiting is killing it. Each node's reaper sees its parent
      // die and kills its tree; the next reader marks the run interrupted, as for a killed runner.
      err(`${sig} again: stopping at once`);
      process.exit(1);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await handle.result;
  // A runner that died sends no run-finished: the live line is cleared here too.
  printer?.stop();
  finished = true;
  exitWhenDone = true;

  if (result.status === 'invalid') return invalid(args, result.problems);
  // Only a report that was written is worth naming (a full disk, say, may have prevented it).
  const reportFile = result.runDir ? path.join(result.runDir, 'report.md') : null;
  const report = reportFile !== null && fs.existsSync(reportFile) ? reportFile : null;
  // A runner's own failure: one line when it says what and where, else internal (with a trace).
  const runnerError =
    result.error === null
      ? null
      : result.error.includes('\n')
        ? internalErrorLines(result.error, args.debug).join('\n')
        : `error: ${result.error}`;
  if (args.json) {
    if (runnerError !== null) err(runnerError);
    out(
      JSON.stringify({
        runId: result.runId,
        runDir: result.runDir,
        status: result.status,
        wallMs: result.run?.wallMs ?? null,
        report,
        error: result.error?.split('\n', 1)[0] ?? null,
      }),
    );
  } else {
    if (runnerError !== null) err(runnerError);
    if (result.run) {
      log(
        `${result.status === 'completed' ? '✓' : '✗'} ${result.status} in ${formatMs(result.run.wallMs)} (run ${result.runId})`,
      );
      if (result.run.reason) log(`  ${result.run.reason}`);
    }
    if (report !== null) log(`report: ${report}`);
  }
  return result.status === 'completed' ? 0 : 1;
}

/** Every problem of an invalid workflow at FILE:LINE:COL; exit status 2. */
function invalid(args: CliArgs, problems: WorkflowProblem[]): number {
  for (const p of problems) {
    err(`${p.file}:${p.range.start.line}:${p.range.start.col}: ${p.severity}: ${p.message}`);
  }
  if (args.json) out(JSON.stringify({ runId: null, runDir: null, status: 'invalid', problems }));
  return 2;
}

/** The store as the queries read it; its warnings go to stderr. */
function sourceFor(storeDir: string): RunSource {
  return storeSource(new RunStore(storeDir, { warn: (m) => err(`warning: ${m}`) }));
}

/** The run named on the command line, or null after saying why not. */
async function targetRun(source: RunSource, args: CliArgs): Promise<RunRecord | null> {
  try {
    return await source.load(await resolveRunRef(source, args.target as string));
  } catch (e) {
    err(`workflow-profiler: ${(e as Error).message}`);
    return null;
  }
}

async function listCommand(args: CliArgs, storeDir: string): Promise<number> {
  const runs = await sourceFor(storeDir).list();
  if (args.json) {
    out(JSON.stringify(runs, null, 2));
    return 0;
  }
  if (runs.length === 0) {
    out(`no runs in ${storeDir}`);
    return 0;
  }
  out(
    `${'RUN'.padEnd(27)} ${'STATUS'.padEnd(11)} ${'WALL'.padStart(10)}  ${'STARTED'.padEnd(24)} WORKFLOW`,
  );
  for (const r of runs) {
    out(
      `${r.id.padEnd(27)} ${r.status.padEnd(11)} ${formatMs(r.wallMs).padStart(10)}  ${r.startedAt.padEnd(24)} ${r.workflow.name}`,
    );
  }
  return 0;
}

async function runViewCommand(args: CliArgs, storeDir: string): Promise<number> {
  const source = sourceFor(storeDir);
  const run = await targetRun(source, args);
  if (!run) return 2;
  if (args.command === 'show') {
    if (args.json) {
      out(JSON.stringify(run, null, 2));
      return 0;
    }
    out(
      `${run.workflow.name}: run ${run.id} ${run.status} in ${formatMs(run.wallMs)} (${run.runtime}, ${run.maxParallel} slots)`,
    );
    out(`file: ${run.workflow.file}`);
    if (run.reason) out(`reason: ${run.reason}`);
    for (const t of run.tasks) out(taskLine(t));
    for (const l of failureDetails(run.tasks)) out(l);
    return 0;
  }
  if (args.command === 'report') {
    out(await runReportText(source, run));
    return 0;
  }
  const format = args.format ?? 'json';
  if (args.output) {
    const file = path.resolve(args.output);
    checkOutputFile(file);
    await writingTo(file, () => writeExport(source, run, format, file));
    err(`wrote ${file}`);
  } else {
    out(await exportText(source, run, format));
  }
  return 0;
}

/**
 * One self-contained HTML file: the dashboard bundle, its CSS and the run's snapshot inlined, with
 * the custom metrics of the workflow's last runs for their trends.
 */
async function dashboardCommand(args: CliArgs, storeDir: string): Promise<number> {
  const store = new RunStore(storeDir, { warn: (m) => err(`warning: ${m}`) });
  const source = storeSource(store);
  const run = await targetRun(source, args);
  if (!run) return 2;
  const bundleDir = path.join(distDir(), 'webview');
  const jsFile = path.join(bundleDir, 'dashboard.js');
  if (!fs.existsSync(jsFile)) {
    err(
      `workflow-profiler: the dashboard bundle ${jsFile} is missing (build it with npm run build)`,
    );
    return 1;
  }
  // Without -o, beside the run's report: 700 KB of HTML is no use on a terminal. `-o -` asks
  // for exactly that, for a pipe.
  const file =
    args.output === '-'
      ? null
      : args.output
        ? path.resolve(args.output)
        : path.join(store.runDir(run.id), 'dashboard.html');
  // Checked before the work: a wrong -o should not cost building the whole page first.
  if (file !== null) checkOutputFile(file);
  const cssFile = path.join(bundleDir, 'dashboard.css');
  const samples = await source.readSamples(run.id);
  const html = standaloneDashboardHtml(
    {
      run,
      samples,
      plan: planOf(run),
      // A file is a picture of one moment: nothing will update it.
      live: false,
      customHistory: await customHistory(source, run),
      customPrevious: await customPrevious(source, run),
      whatIf: whatIfInputOf(run),
      sentAt: Date.now(),
    },
    {
      js: fs.readFileSync(jsFile, 'utf8'),
      css: fs.existsSync(cssFile) ? fs.readFileSync(cssFile, 'utf8') : undefined,
    },
  );
  if (file === null) {
    if (!stdoutClosed) process.stdout.write(html);
    return 0;
  }
  await writingTo(file, () => writeFileAtomic(file, html));
  out(file);
  return 0;
}

/**
 * Set once a run is over. Then the CLI exits at once: left to drain, Node closes its signal
 * handles first, and a Ctrl-C in that moment would kill it by SIGINT instead of its status.
 */
let exitWhenDone = false;

main(process.argv.slice(2)).then(
  (code) => {
    tracePhase('cli: done');
    process.exitCode = code;
    if (exitWhenDone) process.exit(code);
  },
  (e: unknown) => {
    const mistake = userMessage(e);
    if (mistake !== null) err(`workflow-profiler: ${mistake}`);
    else for (const line of internalErrorLines(traceOf(e), debugRequested)) err(line);
    process.exitCode = e instanceof CliError ? e.exitCode : 1;
  },
);
