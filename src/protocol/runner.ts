/**
 * The typed protocol between a runner process and whoever forked it (the CLI or the extension
 * host). Discriminated unions on `type`; plain JSON over Node's IPC channel.
 */
import type { RunLimits } from '../workflow/limits';
import type { WorkflowProblem } from '../workflow/types';
import type {
  MemoryForecast,
  RunRecord,
  RunSeries,
  RunStatus,
  Sample,
  TaskRun,
} from '../model/run';

export interface RunRequest {
  /** Absolute path of the workflow file. */
  file: string;
  /** Overrides of the file's own settings. */
  runtime?: 'local' | 'parallel' | 'slurm';
  maxParallel?: number;
  /** Runtime slurm: check with a first tiny job that jobs see the run folder (default true). */
  slurmSharedCheck?: boolean;
  intervalMs: number;
  storeDir: string;
  /** Keep the full sample time series (`samples.ndjson`) and send samples live. */
  profile: boolean;
  /** Keep at most this many finished runs per workflow (0 or absent: keep all). */
  retention?: number;
  /** Forward node output to the parent as `log` events (rate-limited; the log files are whole). */
  forwardLogs: boolean;
  /** Set when the run is one of a repeated series; recorded in run.json as is. */
  series?: RunSeries;
  /** Names (of environment variables, query parameters, headers) whose values are secrets too. */
  redact?: string[];
  /** Cap of each node attempt's log in bytes (head and tail kept); absent: 64 MiB. */
  maxLogBytes?: number;
  /** Output size and depth, expanded node count; absent fields take the defaults. */
  limits?: RunLimits;
  /** The forecast the front end made before starting (src/query/memoryForecast); run.json keeps it. */
  memoryForecast?: MemoryForecast | null;
}

export type ParentMessage =
  | { type: 'start'; request: RunRequest }
  | { type: 'cancel'; reason: string }
  /** Send the live samples held back (see liveSampleBatcher.ts) now: a live view just opened. */
  | { type: 'flush-samples' };

export type RunnerEvent =
  | { type: 'invalid'; problems: WorkflowProblem[] }
  | {
      type: 'run-started';
      runId: string;
      runDir: string;
      run: RunRecord;
      /** Nodes the run will account for, nested workflows' nodes included. */
      plannedTasks: number;
      /** Every node id (nested ones as `parent/child`) with its type, in file order. */
      plan: { nodeId: string; type: string; needs: string[]; parentId: string | null }[];
    }
  | { type: 'task-started'; runId: string; task: TaskRun }
  | { type: 'task-finished'; runId: string; task: TaskRun }
  /** Live samples in tick order, batched (at most every 500 ms, see liveSampleBatcher.ts). */
  | { type: 'samples'; runId: string; samples: Sample[] }
  | {
      type: 'log';
      runId: string;
      nodeId: string;
      attempt: number;
      stream: 'stdout' | 'stderr';
      text: string;
    }
  | { type: 'run-finished'; runId: string; runDir: string; run: RunRecord }
  | { type: 'fatal'; message: string };

export interface RunResult {
  status: RunStatus | 'invalid';
  runId: string | null;
  runDir: string | null;
  problems: WorkflowProblem[];
  run: RunRecord | null;
  /** A runner that died or could not start: what happened. */
  error: string | null;
}

export function isRunnerEvent(value: unknown): value is RunnerEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}
