/**
 * The words a workflow file may use: node ids, the keys of a node and which node types use
 * them, and the spellings from other tools that mean one of them.
 */
import { NODE_TYPES, type NodeType } from './types';

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const PROCESS: readonly NodeType[] = ['shell', 'python', 'node'];
const ALL: readonly NodeType[] = NODE_TYPES;

/** Which node types use each key; a key used by other types only is a warning, not an error. */
export const KEY_TYPES = new Map<string, readonly NodeType[]>(
  Object.entries({
    type: ALL,
    run: ['shell'],
    script: ['python', 'node'],
    code: ['python', 'node'],
    args: ['python', 'node'],
    url: ['http'],
    method: ['http'],
    headers: ['http'],
    body: ['http'],
    on: ['switch'],
    then: ['switch'],
    else: ['switch'],
    mode: ['merge'],
    file: ['workflow'],
    needs: ALL,
    env: PROCESS,
    cwd: PROCESS,
    timeout: [...PROCESS, 'http'],
    retries: [...PROCESS, 'http', 'workflow'],
    continueOnError: ALL,
    tags: ALL,
    // `workflow` too: its nested nodes take their own; this one is ignored with a warning.
    resources: PROCESS,
  }),
);
/** Every key a node may have. */
export const NODE_KEYS: readonly string[] = [...KEY_TYPES.keys()];

/** Spellings from other workflow tools that edit distance would not catch. */
export const KEY_ALIASES = new Map<string, string>(
  Object.entries({
    depends_on: 'needs',
    dependsOn: 'needs',
    depends: 'needs',
    after: 'needs',
    requires: 'needs',
    command: 'run',
    cmd: 'run',
    if: 'on',
    when: 'on',
    condition: 'on',
    environment: 'env',
    working_directory: 'cwd',
    workdir: 'cwd',
    workingDirectory: 'cwd',
    retry: 'retries',
    continue_on_error: 'continueOnError',
    max_parallel: 'maxParallel',
    concurrency: 'maxParallel',
  }),
);
export const TYPE_ALIASES = new Map<string, NodeType>(
  Object.entries({
    bash: 'shell',
    sh: 'shell',
    command: 'shell',
    py: 'python',
    python3: 'python',
    js: 'node',
    javascript: 'node',
    nodejs: 'node',
    request: 'http',
    https: 'http',
    if: 'switch',
    condition: 'switch',
    join: 'merge',
    subworkflow: 'workflow',
  }),
);
