/**
 * What `workflow-profiler --help`, `COMMAND --help` and `help COMMAND` print, and the two lines of
 * a usage error. Every default is written from the constant the code uses, so the help cannot
 * drift from what a run does.
 */
import { DEFAULT_MAX_PARALLEL } from '../workflow/document';
import {
  DEFAULT_MAX_NODES,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_MAX_OUTPUT_DEPTH,
  MAX_PARALLEL,
} from '../workflow/limits';
import { DEFAULT_MAX_LOG_BYTES } from '../runtime/nodeLog';
import { COMPARE_METRICS } from '../model/comparison';
import { DEFAULT_COMPARE_METRICS } from '../query/compareSides';
import { DEFAULT_INTERVAL_MS, DEFAULT_STORE } from './defaults';

export const BIN = 'workflow-profiler';

const MiB = 1024 * 1024;

const RUN_REF = `RUN is a run id, a unique prefix of one, or latest, latest~1, latest~2, … (the newest
finished run, the one before it, …).`;

const COMMON = `  --store DIR            the run store (default: ${DEFAULT_STORE} in the current folder)
  --debug                print the full trace of an internal error`;

/** Each command's usage: synopsis, what it does, every flag with its default. */
export const COMMAND_HELP = {
  run: `Usage: ${BIN} run FILE [options]

Runs a workflow in a runner process and profiles every node's process tree. Exit status: 0
completed, 1 failed or cancelled, 2 invalid workflow (every problem as FILE:LINE:COL) or usage.

  --runtime local|parallel|slurm
                         which runtime (default: the file's runtime, local when it names none;
                         slurm submits each node as a job: see the README's Slurm section)
  --max-parallel N       slots of the parallel runtime, 1 to ${MAX_PARALLEL} (default: the file's
                         maxParallel, else ${DEFAULT_MAX_PARALLEL.parallel} for parallel and ${DEFAULT_MAX_PARALLEL.local} for local)
  --interval MS          sampling interval, at least 10 (default: ${DEFAULT_INTERVAL_MS})
  --no-samples           keep no sample time series (default: samples are kept)
  --retention N          keep at most N finished runs of this workflow (default: keep all)
  --repeat N             N measured runs as one series (default: 1, no series)
  --warmup K             K warm-up runs before them, stored and marked, never compared
                         (default: 0)
  --memory-limit SIZE    cap for the memory forecast: 512M, 2G, 1.5GiB or bytes (default: the
                         machine's available memory); over it, one warning and the run goes on
  --max-log-size SIZE    cap of each node's log; first and last half kept (default: ${DEFAULT_MAX_LOG_BYTES / MiB}M)
  --max-output-size SIZE a node whose output file is larger fails (default: ${DEFAULT_MAX_OUTPUT_BYTES / MiB}M)
  --max-output-depth N   a node whose output JSON is nested deeper fails (default: ${DEFAULT_MAX_OUTPUT_DEPTH})
  --max-nodes N          a workflow with more nodes, nested ones expanded, does not start
                         (default: ${DEFAULT_MAX_NODES})
  --redact NAME          hide the value of NAME (variable, query parameter or header)
                         everywhere the run is stored; repeatable (default: only names like
                         secrets: *_TOKEN, *_PASSWORD, API_KEY, …)
  --json                 stdout holds one JSON object: runId, runDir, status, wallMs, report
  --quiet, -q            no progress lines
${COMMON}`,
  list: `Usage: ${BIN} list [options]

Lists the stored runs, newest first.

  --json                 the runs as a JSON array
${COMMON}`,
  show: `Usage: ${BIN} show RUN [options]

One run's summary, its task table and each failure with the end of its stderr.
${RUN_REF}

  --json                 the whole run record (run.json)
${COMMON}`,
  report: `Usage: ${BIN} report RUN [options]

The run's Markdown report on stdout. ${RUN_REF}

${COMMON}`,
  export: `Usage: ${BIN} export RUN --format json|csv|chrome-trace [options]

Exports a run for other tools (chrome-trace opens in ui.perfetto.dev).
${RUN_REF}

  --format json|csv|chrome-trace
                         required
  -o, --output FILE      write FILE, atomically (default: stdout)
${COMMON}`,
  dashboard: `Usage: ${BIN} dashboard RUN [options]

The run's dashboard (timeline, resources, I/O, heatmap, over time, custom metrics) as one
self-contained HTML file that opens in any browser offline; prints the file's path.
${RUN_REF}

  -o, --output FILE      write FILE, atomically; - writes the HTML to stdout
                         (default: dashboard.html in the run's folder)
${COMMON}`,
  compare: `Usage: ${BIN} compare BASELINE CANDIDATE [options]

Per node and metric: medians, the relative change with its 95 % interval, and a verdict
(regressed, improved, unchanged, or insufficient with fewer than 3 runs a side). Each side is
a RUN, a series id (from run --repeat), or a comma-separated list of RUNs; warm-ups never count.
${RUN_REF}
Exit status: 0; 3 with --fail-on-regression when a watched metric regressed; 2 usage or
unknown runs.

  --metric M,…           watched metrics, of ${COMPARE_METRICS.join(', ')}
                         (default: ${DEFAULT_COMPARE_METRICS.join(',')})
  --json                 the comparison as one JSON object
  --markdown             the report the editor's Compare panel opens
  --fail-on-regression   exit 3 when a watched metric regressed (default: exit 0)
${COMMON}`,
  whatif: `Usage: ${BIN} whatif RUN [options]

Replays a stored run's DAG with its recorded durations and the runtimes' scheduling policy:
forecast wall time, critical path, each node's slack, peak memory of overlapping nodes.
${RUN_REF}

  --slots N              N slots at the top level (default: the run's own maxParallel)
  --speedup NODE=FACTOR  FACTOR 2 halves NODE's time; repeatable (default: none)
  --json                 { wallMs, criticalPath, peakRssBytes, nodes }
${COMMON}`,
  help: `Usage: ${BIN} help [COMMAND]

The list of commands, or one command's usage (the same as ${BIN} COMMAND --help).`,
  version: `Usage: ${BIN} --version

Prints the version of ${BIN}.`,
} as const;

export type HelpTopic = keyof typeof COMMAND_HELP;

export function isHelpTopic(name: string | undefined): name is HelpTopic {
  return name !== undefined && Object.hasOwn(COMMAND_HELP, name);
}

/** The overview: one line per command. */
export const USAGE = `Usage: ${BIN} <command> [options]

Commands:
  run FILE                 run a workflow and profile every node
  list                     list stored runs, newest first
  show RUN                 one run's summary and task table
  report RUN               the run's Markdown report
  export RUN --format F    export a run as json, csv or chrome-trace
  dashboard RUN            the run's dashboard as one self-contained HTML file
  compare BASE CANDIDATE   did it get slower? per-node statistics and a verdict
  whatif RUN               replay a run with other slots or faster nodes
  help [COMMAND]           this list, or one command's usage

${RUN_REF}
Run '${BIN} COMMAND --help' for a command's flags and their defaults; --version prints the version.`;

/**
 * A usage error: what is wrong on one line, then where to read more; never the whole usage, which
 * would push the one line that matters off the screen.
 */
export function usageErrorText(message: string, command?: string): string {
  const hint = isHelpTopic(command) ? `${BIN} ${command} --help` : `${BIN} --help`;
  return `${BIN}: ${message}\nRun '${hint}' for usage.`;
}

/**
 * `--help`/`-h` anywhere, or `help [COMMAND]`: the text to print and the exit status, or null when
 * argv asks for something else. An unknown COMMAND is a usage error.
 */
export function helpRequest(argv: readonly string[]): { text: string; toStderr: boolean } | null {
  const first = argv[0];
  if (first === 'help') {
    const topic = argv[1];
    if (topic === undefined) return { text: USAGE, toStderr: false };
    if (topic === '--help' || topic === '-h') return { text: COMMAND_HELP.help, toStderr: false };
    if (isHelpTopic(topic)) return { text: COMMAND_HELP[topic], toStderr: false };
    return { text: usageErrorText(`no command ${topic}`), toStderr: true };
  }
  if (!argv.includes('--help') && !argv.includes('-h')) return null;
  if (first === undefined || first.startsWith('-')) return { text: USAGE, toStderr: false };
  if (isHelpTopic(first)) return { text: COMMAND_HELP[first], toStderr: false };
  return { text: usageErrorText(`unknown command ${first}`), toStderr: true };
}
