/** The parsed, validated shape of a `*.workflow.{yaml,yml,json}` file. */

export const NODE_TYPES = [
  'shell',
  'python',
  'node',
  'http',
  'switch',
  'merge',
  'workflow',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export type RuntimeKind = 'local' | 'parallel' | 'slurm';

/** The top-level `slurm:` block: defaults for every job of the run. */
export interface SlurmDefaults {
  partition?: string;
  account?: string;
  qos?: string;
  /** Default time limit of a job, ms (Slurm enforces whole minutes: it is rounded up). */
  timeMs?: number;
  /** More `sbatch` arguments, passed as written. */
  extraArgs: string[];
}

/** A node's `resources:` (used by `runtime: slurm`; the other runtimes ignore them). */
export interface NodeResources {
  cpus?: number;
  memoryBytes?: number;
  timeMs?: number;
  gpus?: number;
  partition?: string;
}

/** 1-based line and column, as editors and `file:line:col` messages use them. */
export interface SourcePosition {
  line: number;
  col: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export interface WorkflowProblem {
  file: string;
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning';
}

export type MergeMode = 'keyed' | 'shallow' | 'concat';

export interface NodeDef {
  id: string;
  type: NodeType;
  /** Shell command (`shell`). */
  run?: string;
  /** Script path relative to the workflow file (`python`, `node`), or the nested workflow file (`workflow`). */
  script?: string;
  /** Inline code (`python`, `node`). */
  code?: string;
  args?: string[];
  /** `http` */
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** `switch`: a condition over upstream outputs, e.g. `transform.outputs.rows > 0`. */
  on?: string;
  then?: string[];
  else?: string[];
  /** `merge` */
  mode?: MergeMode;
  /** `workflow`: the nested workflow file, relative to this one. */
  file?: string;
  needs: string[];
  env: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  retries: number;
  continueOnError: boolean;
  tags: string[];
  /** What the node asks of a Slurm cluster; absent when it asks nothing. */
  resources?: NodeResources;
  /** Where the node's key sits in the file, for diagnostics and "reveal node". */
  range: SourceRange;
}

export interface WorkflowDef {
  name: string;
  /** Absolute path of the file it was read from. */
  file: string;
  runtime: RuntimeKind;
  maxParallel: number;
  /** The `slurm:` block; null when the file has none. */
  slurm: SlurmDefaults | null;
  nodes: NodeDef[];
  /** sha256 of the normalised definition, so runs of the same definition can be grouped. */
  hash: string;
}
