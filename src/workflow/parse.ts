/**
 * Workflow files (`*.workflow.yaml|yml|json`) to a validated WorkflowDef, or to problems that
 * each point at the exact key or value at fault (1-based line:col, end exclusive).
 *
 * JSON files go through the same YAML parser (JSON is YAML 1.2), so they get positions too.
 * Errors make `workflow` null, so a broken file never starts a run; warnings (harmless
 * things, like a key the node's type ignores) do not.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { LineCounter, parseDocument, type Scalar } from 'yaml';
import { workflowBaseName, isWorkflowFile } from './discover';
import { MAX_DURATION_MS, formatDuration, parseDuration } from './duration';
import { parseExpression, pathsOf, type Expr } from './expression';
import { ancestors, findCycles, formatCycle, type GraphNode } from './graph';
import { didYouMean } from './suggest';
import { describe, isMap, isScalar, isSeq, Source, type Entry, type YamlNode } from './yamlSource';
import {
  NODE_TYPES,
  type MergeMode,
  type NodeDef,
  type NodeType,
  type RuntimeKind,
  type SourceRange,
  type WorkflowDef,
  type WorkflowProblem,
} from './types';

export interface ParseOutcome {
  workflow: WorkflowDef | null;
  problems: WorkflowProblem[];
}

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const DEFAULT_MAX_PARALLEL: Record<RuntimeKind, number> = { local: 1, parallel: 4 };
const MERGE_MODES: readonly MergeMode[] = ['keyed', 'shallow', 'concat'];
const RUNTIMES: readonly RuntimeKind[] = ['local', 'parallel'];
/** The keys a workflow file's top level may have (besides `$schema` and `x-…`). */
export const TOP_KEYS: readonly string[] = ['name', 'runtime', 'maxParallel', 'nodes'];

/** Names the runtime sets for every node; a workflow's own value would be overwritten. */
const RUNTIME_ENV = [
  'WORKFLOW_INPUTS',
  'WORKFLOW_OUTPUT',
  'WORKFLOW_NODE_ID',
  'WORKFLOW_RUN_ID',
  'WORKFLOW_ATTEMPT',
];

const PROCESS: readonly NodeType[] = ['shell', 'python', 'node'];
const ALL: readonly NodeType[] = NODE_TYPES;

/** Which node types use each key; a key used by other types only is a warning, not an error. */
const KEY_TYPES = new Map<string, readonly NodeType[]>(
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
  }),
);
/** Every key a node may have. */
export const NODE_KEYS: readonly string[] = [...KEY_TYPES.keys()];

/** Spellings from other workflow tools that edit distance would not catch. */
const KEY_ALIASES = new Map<string, string>(
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
const TYPE_ALIASES = new Map<string, NodeType>(
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
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface Ref {
  id: string;
  range: SourceRange;
}

/** A dependency edge with where it was written: a `needs` item, or a switch branch item. */
interface Dep extends Ref {
  via?: { switchId: string; branch: 'then' | 'else' };
}

interface Condition {
  src: string;
  scalar: Scalar;
  ast: Expr | null;
}

/** One node as read, before the checks that need the whole workflow. */
interface Draft {
  id: string;
  idRange: SourceRange;
  type: NodeType | null;
  fields: Partial<NodeDef>;
  needs: Ref[];
  then: Ref[];
  else: Ref[];
  condition: Condition | null;
  /** Filled by the cross-checks: valid explicit needs, then implicit switch edges. */
  deps: Dep[];
}

export function parseWorkflowText(text: string, file: string): ParseOutcome {
  // Editors hide a byte-order mark, so columns on line 1 must not count it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  const doc = parseDocument(body, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const src = new Source(file, body, lines, doc);
  const errorAt = new Set<number>();
  for (const e of doc.errors) {
    // A second error at the same spot is the parser stumbling over the first one.
    if (errorAt.has(e.pos[0])) continue;
    errorAt.add(e.pos[0]);
    src.error(src.span(e.pos[0], e.pos[1]), `YAML syntax error: ${firstLine(e.message)}`);
  }
  for (const w of doc.warnings)
    src.warn(src.span(w.pos[0], w.pos[1]), `YAML: ${firstLine(w.message)}`);
  // After a syntax error the tree is a guess; checking it would mostly report noise.
  const workflow = doc.errors.length > 0 ? null : readWorkflow(src, file);
  return finish(src, workflow);
}

/** Reads and parses a file; a file that cannot be read is one problem at 1:1. */
export async function parseWorkflowFile(file: string): Promise<ParseOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'workflow file not found'
        : e.code === 'EISDIR'
          ? 'this is a directory, not a workflow file'
          : e.code === 'EACCES' || e.code === 'EPERM'
            ? 'cannot read the workflow file: permission denied'
            : `cannot read the workflow file: ${e.message}`;
    const at = { line: 1, col: 1 };
    return {
      workflow: null,
      problems: [{ file, message: why, range: { start: at, end: at }, severity: 'error' }],
    };
  }
  return parseWorkflowText(text, file);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function before(a: SourceRange, b: SourceRange): boolean {
  return (
    a.start.line < b.start.line || (a.start.line === b.start.line && a.start.col < b.start.col)
  );
}

function finish(src: Source, workflow: WorkflowDef | null): ParseOutcome {
  // One problem per place and message (merged anchors can surface the same one twice), in
  // file order so the CLI prints them top to bottom.
  const seen = new Set<string>();
  const problems = src.problems.filter((p) => {
    const k = `${p.range.start.line}:${p.range.start.col}:${p.severity}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  problems.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.col - b.range.start.col,
  );
  const failed = problems.some((p) => p.severity === 'error');
  return { workflow: failed ? null : workflow, problems };
}

// ---------------------------------------------------------------------------------------------
// The workflow

function readWorkflow(src: Source, file: string): WorkflowDef | null {
  const start = src.span(0, 0);
  const root = src.resolve(src.doc.contents, start);
  if (root === null || (isScalar(root) && root.value === null)) {
    src.error(
      start,
      'the file is empty: a workflow is a map with `nodes` (and optionally `name`, `runtime`, `maxParallel`)',
    );
    return null;
  }
  if (!isMap(root)) {
    src.error(
      src.rangeOf(root, start),
      `a workflow file must be a map with \`nodes\`, found ${describe(root)}`,
    );
    return null;
  }

  let name = workflowBaseName(file);
  let runtime: RuntimeKind = 'local';
  let maxParallel: number | undefined;
  let nodesEntry: Entry | undefined;
  const top = src.entries(root, 'key');
  for (const e of top) {
    switch (e.key) {
      case 'name':
        name = stringValue(src, e, { nonEmpty: true }) ?? name;
        break;
      case 'runtime': {
        const v = enumValue(src, e, RUNTIMES);
        if (v) runtime = v;
        break;
      }
      case 'maxParallel':
        maxParallel = integerValue(src, e, 1);
        break;
      case 'nodes':
        nodesEntry = e;
        break;
      case '$schema':
        break; // lets JSON files name the schema for editors without the extension
      default:
        // `x-` keys hold YAML anchors to reuse (as in Compose files); nothing reads them.
        if (!e.key.startsWith('x-')) unknownTopKey(src, e);
    }
  }

  if (!nodesEntry) {
    src.error(
      top[0]?.keyRange ?? start,
      'missing `nodes`: a workflow lists its nodes under `nodes:`, as a map from id to node',
    );
    return null;
  }
  const drafts = readNodes(src, nodesEntry);
  if (drafts === null) return null;
  crossCheck(src, drafts);

  const nodes = drafts.map(toNodeDef);
  const def = { name, runtime, maxParallel: maxParallel ?? DEFAULT_MAX_PARALLEL[runtime], nodes };
  return { ...def, file: path.resolve(file), hash: definitionHash(def) };
}

function unknownTopKey(src: Source, e: Entry): void {
  const looksLikeNode =
    isMap(e.value) && e.value.items.some((p) => isScalar(p.key) && p.key.value === 'type');
  const hint = looksLikeNode
    ? ` (nodes go under \`nodes:\`)`
    : TOP_KEYS.includes(KEY_ALIASES.get(e.key) ?? '')
      ? ` (did you mean \`${KEY_ALIASES.get(e.key) ?? ''}\`?)`
      : didYouMean(e.key, TOP_KEYS);
  src.error(
    e.keyRange,
    `unknown key \`${e.key}\`${hint}; a workflow has ${TOP_KEYS.map((k) => `\`${k}\``).join(', ')}`,
  );
}

function readNodes(src: Source, e: Entry): Draft[] | null {
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) {
    src.warn(e.keyRange, '`nodes` is empty: this workflow does nothing');
    return [];
  }
  if (!isMap(e.value)) {
    const hint = isSeq(e.value) ? ' (write `id: { type: … }` for each node, not `- …`)' : '';
    src.error(
      e.valueRange,
      `\`nodes\` must be a map from node id to node, found ${describe(e.value)}${hint}`,
    );
    return null;
  }
  const entries = src.entries(e.value, 'node id');
  if (entries.length === 0) src.warn(e.keyRange, '`nodes` is empty: this workflow does nothing');
  return entries.map((n) => readNode(src, n));
}

// ---------------------------------------------------------------------------------------------
// One node

function readNode(src: Source, e: Entry): Draft {
  const draft: Draft = {
    id: e.key,
    idRange: e.keyRange,
    type: null,
    fields: {},
    needs: [],
    then: [],
    else: [],
    condition: null,
    deps: [],
  };
  if (e.key === '__proto__') {
    // Valid by the pattern, but `outputs[id] = …` on a plain object would set its prototype.
    src.error(e.keyRange, '`__proto__` cannot be a node id');
  } else if (!NODE_ID.test(e.key)) {
    src.error(
      e.keyRange,
      `\`${e.key}\` is not a valid node id: ids start with a letter or \`_\` and go on with letters, digits, \`_\` or \`-\``,
    );
  }
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) {
    src.error(e.keyRange, `node \`${e.key}\` is empty: it needs a \`type\` (${typeList()})`);
    return draft;
  }
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `node \`${e.key}\` must be a map with a \`type\`, found ${describe(e.value)}`,
    );
    return draft;
  }

  const entries = src.entries(e.value, 'key');
  const typeEntry = entries.find((x) => x.key === 'type');
  if (typeEntry) draft.type = nodeType(src, typeEntry);
  else src.error(e.keyRange, `node \`${e.key}\` has no \`type\` (${typeList()})`);

  const byKey = new Map<string, Entry>();
  for (const x of entries) {
    if (x.key === 'type') continue;
    const types = KEY_TYPES.get(x.key);
    if (!types) {
      const alias = KEY_ALIASES.get(x.key);
      const hint =
        alias && NODE_KEYS.includes(alias)
          ? ` (did you mean \`${alias}\`?)`
          : didYouMean(x.key, NODE_KEYS);
      src.error(x.keyRange, `unknown key \`${x.key}\`${hint}`);
      continue;
    }
    if (draft.type && !types.includes(draft.type)) {
      src.warn(
        x.keyRange,
        `\`${x.key}\` is not used by ${draft.type} nodes (only by ${types.join(', ')}); it is ignored`,
      );
      continue;
    }
    byKey.set(x.key, x);
    readField(src, draft, x);
  }
  requireFields(src, draft, byKey);
  return draft;
}

function typeList(): string {
  return `one of ${NODE_TYPES.join(', ')}`;
}

function nodeType(src: Source, e: Entry): NodeType | null {
  const raw = isScalar(e.value) && typeof e.value.value === 'string' ? e.value.value : null;
  if (raw !== null && (NODE_TYPES as readonly string[]).includes(raw)) return raw as NodeType;
  const shown = raw === null ? describe(e.value) : `\`${raw}\``;
  const alias = raw === null ? undefined : TYPE_ALIASES.get(raw.toLowerCase());
  const hint = alias
    ? ` (did you mean \`${alias}\`?)`
    : raw === null
      ? ''
      : didYouMean(raw, NODE_TYPES);
  src.error(
    e.valueRange,
    `unknown node type ${shown}${hint}; valid types: ${NODE_TYPES.join(', ')}`,
  );
  return null;
}

function readField(src: Source, d: Draft, e: Entry): void {
  const f = d.fields;
  switch (e.key) {
    case 'run':
      f.run = stringValue(src, e, { nonEmpty: true });
      break;
    case 'script':
      f.script = stringValue(src, e, { nonEmpty: true });
      break;
    case 'code':
      f.code = stringValue(src, e, { nonEmpty: true });
      break;
    case 'args':
      f.args = stringList(src, e, { coerce: true, single: false })?.map((r) => r.id);
      break;
    case 'url':
      f.url = urlValue(src, e);
      break;
    case 'method':
      f.method = methodValue(src, e);
      break;
    case 'headers':
      f.headers = stringMap(src, e, (name, at) => {
        if (!HEADER_NAME.test(name)) src.error(at, `\`${name}\` is not a valid HTTP header name`);
      });
      break;
    case 'body':
      f.body = plainData(src, e);
      break;
    case 'on':
      d.condition = conditionValue(src, e);
      break;
    case 'then':
      d.then = stringList(src, e, { coerce: false, single: true }) ?? [];
      break;
    case 'else':
      d.else = stringList(src, e, { coerce: false, single: true }) ?? [];
      break;
    case 'mode':
      f.mode = enumValue(src, e, MERGE_MODES);
      break;
    case 'file': {
      f.file = stringValue(src, e, { nonEmpty: true });
      if (f.file !== undefined && !isWorkflowFile(f.file)) {
        src.warn(
          e.valueRange,
          '`file` does not look like a workflow file (`*.workflow.yaml`, `.yml` or `.json`)',
        );
      }
      break;
    }
    case 'needs':
      d.needs = stringList(src, e, { coerce: false, single: true }) ?? [];
      break;
    case 'env':
      f.env = stringMap(src, e, (name, at) => {
        if (name === '' || name.includes('=') || name.includes('\0')) {
          src.error(at, `\`${name}\` is not a valid environment variable name`);
        } else if (RUNTIME_ENV.includes(name)) {
          src.warn(at, `\`${name}\` is set by the runtime for every node; this value is ignored`);
        }
      });
      break;
    case 'cwd':
      f.cwd = stringValue(src, e, { nonEmpty: true });
      break;
    case 'timeout':
      f.timeoutMs = timeoutValue(src, e);
      break;
    case 'retries':
      f.retries = integerValue(src, e, 0);
      break;
    case 'continueOnError':
      f.continueOnError = booleanValue(src, e);
      break;
    case 'tags':
      f.tags = stringList(src, e, { coerce: true, single: true })?.map((r) => r.id);
      break;
  }
}

/** Required keys, and the python/node rule of exactly one of `script` and `code`. */
function requireFields(src: Source, d: Draft, byKey: Map<string, Entry>): void {
  const missing = (what: string): void =>
    src.error(d.idRange, `${d.type} node \`${d.id}\` needs ${what}`);
  switch (d.type) {
    case 'shell':
      if (!byKey.has('run')) missing('`run` (the command line)');
      break;
    case 'python':
    case 'node': {
      const script = byKey.get('script');
      const code = byKey.get('code');
      if (script && code) {
        const second = before(script.keyRange, code.keyRange) ? code : script;
        src.error(second.keyRange, 'use either `script` (a file) or `code` (inline), not both');
      } else if (!script && !code) {
        missing('`script` (a file) or `code` (inline)');
      }
      break;
    }
    case 'http':
      if (!byKey.has('url')) missing('a `url`');
      break;
    case 'switch':
      if (!byKey.has('on')) missing('a condition `on`, e.g. `on: "transform.outputs.rows > 0"`');
      else if (!byKey.has('then') && !byKey.has('else')) {
        src.warn(
          d.idRange,
          `switch \`${d.id}\` has neither \`then\` nor \`else\`: it routes nothing`,
        );
      }
      break;
    case 'merge':
      if (d.needs.length === 0)
        src.warn(d.idRange, `merge \`${d.id}\` has no \`needs\`: it has nothing to merge`);
      break;
    case 'workflow':
      if (!byKey.has('file')) missing('a `file` (the nested workflow)');
      break;
    case null:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Values

function stringValue(src: Source, e: Entry, opts: { nonEmpty: boolean }): string | undefined {
  if (!isScalar(e.value) || typeof e.value.value !== 'string') {
    src.error(e.valueRange, `\`${e.key}\` must be a string, found ${describe(e.value)}`);
    return undefined;
  }
  if (opts.nonEmpty && e.value.value.trim() === '') {
    src.error(e.valueRange, `\`${e.key}\` is empty`);
    return undefined;
  }
  return e.value.value;
}

function enumValue<T extends string>(src: Source, e: Entry, allowed: readonly T[]): T | undefined {
  const raw = isScalar(e.value) && typeof e.value.value === 'string' ? e.value.value : null;
  if (raw !== null && (allowed as readonly string[]).includes(raw)) return raw as T;
  const shown = raw === null ? describe(e.value) : `\`${raw}\``;
  const hint = raw === null ? '' : didYouMean(raw, allowed);
  src.error(
    e.valueRange,
    `\`${e.key}\` must be ${allowed.map((a) => `\`${a}\``).join(' or ')}, found ${shown}${hint}`,
  );
  return undefined;
}

function integerValue(src: Source, e: Entry, min: number): number | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  const want = min === 0 ? 'a whole number, 0 or more' : `a whole number, ${min} or more`;
  src.error(e.valueRange, `\`${e.key}\` must be ${want}, found ${describe(e.value)}`);
  return undefined;
}

function booleanValue(src: Source, e: Entry): boolean | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'boolean') return v;
  src.error(e.valueRange, `\`${e.key}\` must be true or false, found ${describe(e.value)}`);
  return undefined;
}

function timeoutValue(src: Source, e: Entry): number | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'number' && typeof v !== 'string') {
    src.error(
      e.valueRange,
      `\`timeout\` must be a duration like 30s, 10m or 1m30s, or a number of seconds; found ${describe(e.value)}`,
    );
    return undefined;
  }
  const r = parseDuration(v);
  if ('error' in r) {
    src.error(e.valueRange, `bad \`timeout\`: ${r.error}`);
    return undefined;
  }
  if (r.ms <= 0) {
    src.error(
      e.valueRange,
      `\`timeout\` must be longer than 0 (at most ${formatDuration(MAX_DURATION_MS)}); leave it out for the default`,
    );
    return undefined;
  }
  return r.ms;
}

function urlValue(src: Source, e: Entry): string | undefined {
  const raw = stringValue(src, e, { nonEmpty: true });
  if (raw === undefined) return undefined;
  let ok = false;
  try {
    const u = new URL(raw);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) {
    src.error(
      e.valueRange,
      `\`url\` must be an absolute http:// or https:// URL, found \`${raw}\``,
    );
    return undefined;
  }
  return raw;
}

function methodValue(src: Source, e: Entry): string | undefined {
  const raw = stringValue(src, e, { nonEmpty: true });
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z]+$/.test(raw)) {
    src.error(e.valueRange, `\`${raw}\` is not an HTTP method (${HTTP_METHODS.join(', ')})`);
    return undefined;
  }
  const method = raw.toUpperCase();
  if (!HTTP_METHODS.includes(method)) {
    src.warn(
      e.valueRange,
      `\`${raw}\` is not a standard HTTP method${didYouMean(method, HTTP_METHODS)}`,
    );
  }
  return method;
}

/** A list of strings, or (with `single`) one string meaning a one-item list. */
function stringList(
  src: Source,
  e: Entry,
  opts: { coerce: boolean; single: boolean },
): Ref[] | undefined {
  const expected = opts.single ? 'a string or a list of strings' : 'a list of strings';
  if (isScalar(e.value) && typeof e.value.value === 'string' && opts.single) {
    return [{ id: e.value.value, range: e.valueRange }];
  }
  if (!isSeq(e.value)) {
    src.error(e.valueRange, `\`${e.key}\` must be ${expected}, found ${describe(e.value)}`);
    return undefined;
  }
  const out: Ref[] = [];
  for (const item of src.items(e.value, e.valueRange)) {
    const s = scalarString(src, item.node, opts.coerce);
    if (s === undefined)
      src.error(
        item.range,
        `each item of \`${e.key}\` must be a string, found ${describe(item.node)}`,
      );
    else out.push({ id: s, range: item.range });
  }
  return out;
}

/** A string; with `coerce`, numbers and booleans as written (`1.10` stays `1.10`). */
function scalarString(src: Source, node: YamlNode | null, coerce: boolean): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (coerce && (typeof v === 'number' || typeof v === 'boolean')) return src.scalarText(node);
  return undefined;
}

/** `env` and `headers`: string values, numbers and booleans coerced as written. */
function stringMap(
  src: Source,
  e: Entry,
  checkName: (name: string, at: SourceRange) => void,
): Record<string, string> | undefined {
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) return {};
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `\`${e.key}\` must be a map of names to strings, found ${describe(e.value)}`,
    );
    return undefined;
  }
  // Collected as pairs: `out[key] = …` with a key like `__proto__` would not make a property.
  const out: [string, string][] = [];
  for (const x of src.entries(e.value, 'name')) {
    checkName(x.key, x.keyRange);
    const s = scalarString(src, x.value, true);
    if (s === undefined) {
      src.error(
        x.valueRange,
        `\`${e.key}.${x.key}\` must be a string (numbers and true/false are turned into strings), found ${describe(x.value)}`,
      );
    } else {
      out.push([x.key, s]);
    }
  }
  return Object.fromEntries(out);
}

function plainData(src: Source, e: Entry): unknown {
  if (e.value === null) return null;
  try {
    // maxAliasCount keeps an alias bomb from expanding into gigabytes.
    return e.value.toJS(src.doc, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    src.error(e.valueRange, `\`${e.key}\` cannot be read: ${(err as Error).message}`);
    return undefined;
  }
}

function conditionValue(src: Source, e: Entry): Condition | null {
  const scalar = isScalar(e.value) ? e.value : null;
  const v = scalar?.value;
  if (!scalar || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
    src.error(
      e.valueRange,
      `\`on\` must be a condition such as \`transform.outputs.rows > 0\`, found ${describe(e.value)}`,
    );
    return null;
  }
  const text = src.scalarText(scalar);
  const parsed = parseExpression(text);
  if ('error' in parsed) {
    src.error(
      conditionRange(src, scalar, text, parsed.offset, parsed.end),
      `bad condition: ${parsed.error}`,
    );
    return { src: text, scalar, ast: null };
  }
  return { src: text, scalar, ast: parsed.ast };
}

/**
 * The source range of characters start..end of a condition. Exact when the scalar is written
 * on one line without escapes (plain or quoted); otherwise the whole value.
 */
function conditionRange(
  src: Source,
  scalar: Scalar,
  text: string,
  start: number,
  end: number,
): SourceRange {
  const whole = src.rangeOf(scalar, src.span(0, 0));
  const r = scalar.range;
  if (!r) return whole;
  const raw = src.text.slice(r[0], r[1]);
  let base: number | null = null;
  if (scalar.type === 'PLAIN' && raw === text) base = r[0];
  else if (
    (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') &&
    raw.slice(1, -1) === text
  )
    base = r[0] + 1;
  if (base === null) return whole;
  // A zero-width error still marks one character: the next one, or the last when the
  // condition ends too early.
  let from = start;
  let to = end;
  if (to <= from) {
    if (from < text.length) to = from + 1;
    else if (from > 0) from = (to = from) - 1;
  }
  return src.span(base + from, base + to);
}

// ---------------------------------------------------------------------------------------------
// Whole-workflow checks: references, branches, cycles, what conditions read

function crossCheck(src: Source, drafts: Draft[]): void {
  const ids = new Set(drafts.map((d) => d.id));
  const idList = [...ids];
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const unknown = (ref: Ref, where: string): void =>
    src.error(
      ref.range,
      `${where} \`${ref.id}\`, which is not a node in this workflow${didYouMean(ref.id, idList)}`,
    );

  for (const d of drafts) {
    const seen = new Set<string>();
    for (const ref of d.needs) {
      if (ref.id === d.id) src.error(ref.range, `node \`${d.id}\` cannot need itself`);
      else if (!ids.has(ref.id)) unknown(ref, '`needs` names');
      else if (seen.has(ref.id)) src.warn(ref.range, `\`${ref.id}\` is already in \`needs\``);
      else {
        seen.add(ref.id);
        d.deps.push(ref);
      }
    }
  }

  for (const s of drafts) {
    if (s.type !== 'switch') continue;
    const inThen = new Set<string>();
    for (const branch of ['then', 'else'] as const) {
      const seen = new Set<string>();
      for (const ref of s[branch]) {
        if (ref.id === s.id) src.error(ref.range, `switch \`${s.id}\` cannot route to itself`);
        else if (!ids.has(ref.id)) unknown(ref, `\`${branch}\` names`);
        else if (seen.has(ref.id)) src.warn(ref.range, `\`${ref.id}\` is already in \`${branch}\``);
        else if (branch === 'else' && inThen.has(ref.id)) {
          src.error(
            ref.range,
            `\`${ref.id}\` is in both \`then\` and \`else\`, so whichever way the switch goes it is skipped`,
          );
        } else {
          seen.add(ref.id);
          if (branch === 'then') inThen.add(ref.id);
          // A routed node runs after its switch: the implicit edge, located at this item.
          const target = byId.get(ref.id) as Draft;
          if (!target.deps.some((x) => x.id === s.id))
            target.deps.push({ id: s.id, range: ref.range, via: { switchId: s.id, branch } });
        }
      }
    }
  }

  const graph: GraphNode[] = drafts.map((d) => ({ id: d.id, needs: d.deps.map((x) => x.id) }));
  for (const cycle of findCycles(graph, 20)) reportCycle(src, cycle, byId);
  for (const d of drafts) {
    if (d.type === 'switch' && d.condition?.ast)
      checkCondition(src, d, d.condition, graph, ids, idList);
  }
}

function reportCycle(src: Source, cycle: string[], byId: Map<string, Draft>): void {
  const first = cycle[0] as string;
  const last = byId.get(cycle[cycle.length - 1] as string) as Draft;
  const candidates = last.deps.filter((x) => x.id === first);
  const closing = candidates.find((x) => !x.via) ?? (candidates[0] as Dep);
  // Edges that come from a switch branch rather than `needs` are not visible where they point,
  // so say where they come from.
  const notes: string[] = [];
  cycle.forEach((id, i) => {
    const next = cycle[(i + 1) % cycle.length] as string;
    const deps = (byId.get(id) as Draft).deps.filter((x) => x.id === next);
    const implicit = deps.length > 0 && deps.every((x) => x.via) ? deps[0]?.via : undefined;
    if (implicit)
      notes.push(
        `\`${id}\` is in the \`${implicit.branch}\` of switch \`${implicit.switchId}\`, so it runs after it`,
      );
  });
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  src.error(closing.range, `dependency cycle: ${formatCycle(cycle)}${note}`);
}

function checkCondition(
  src: Source,
  d: Draft,
  cond: Condition,
  graph: GraphNode[],
  ids: ReadonlySet<string>,
  idList: string[],
): void {
  const upstream = new Set(ancestors(graph, d.id));
  const at = (start: number, end: number): SourceRange =>
    conditionRange(src, cond.scalar, cond.src, start, end);
  for (const p of pathsOf(cond.ast as Expr)) {
    const rootRange = at(p.start, p.start + p.root.length);
    if (p.root === d.id) {
      src.error(rootRange, `switch \`${d.id}\` cannot read its own output`);
      continue;
    }
    if (!ids.has(p.root)) {
      src.error(
        rootRange,
        `the condition reads \`${p.root}\`, which is not a node in this workflow${didYouMean(p.root, idList)}`,
      );
      continue;
    }
    if (!upstream.has(p.root)) {
      src.error(
        rootRange,
        `the condition reads \`${p.root}\`, which does not run before switch \`${d.id}\`: add it to \`needs\``,
      );
    }
    const field = p.segments[0];
    if (!field || (field.key !== 'outputs' && field.key !== 'status')) {
      const found = field ? ` \`${String(field.key)}\`` : ' nothing';
      const hint =
        field && typeof field.key === 'string' ? didYouMean(field.key, ['outputs', 'status']) : '';
      src.error(
        field ? at(field.start, field.end) : rootRange,
        `after a node id comes \`.outputs\` or \`.status\`, found${found}${hint}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Result

function toNodeDef(d: Draft): NodeDef {
  const f = d.fields;
  const type = d.type ?? 'shell'; // only reached for output that is discarded (errors)
  const node: NodeDef = {
    id: d.id,
    type,
    needs: d.deps.map((x) => x.id),
    env: {},
    retries: 0,
    continueOnError: false,
    tags: [],
    range: d.idRange,
  };
  switch (type) {
    case 'shell':
      node.run = f.run;
      break;
    case 'python':
    case 'node':
      if (f.script !== undefined) node.script = f.script;
      if (f.code !== undefined) node.code = f.code;
      if (f.args !== undefined) node.args = f.args;
      break;
    case 'http':
      node.url = f.url;
      node.method = f.method ?? 'GET';
      if (f.headers !== undefined) node.headers = f.headers;
      if (f.body !== undefined) node.body = f.body;
      break;
    case 'switch':
      node.on = d.condition?.src;
      // Repeats were warned about; the lists themselves hold each id once.
      node.then = [...new Set(d.then.map((r) => r.id))];
      node.else = [...new Set(d.else.map((r) => r.id))];
      break;
    case 'merge':
      node.mode = f.mode ?? 'keyed';
      break;
    case 'workflow':
      node.file = f.file;
      break;
  }
  if (f.env !== undefined) node.env = f.env;
  if (f.cwd !== undefined) node.cwd = f.cwd;
  if (f.timeoutMs !== undefined) node.timeoutMs = f.timeoutMs;
  if (f.retries !== undefined) node.retries = f.retries;
  if (f.continueOnError !== undefined) node.continueOnError = f.continueOnError;
  if (f.tags !== undefined) node.tags = f.tags;
  return node;
}

/** sha256 of the definition as canonical JSON (sorted keys), without file or ranges. */
export function definitionHash(
  def: Pick<WorkflowDef, 'name' | 'runtime' | 'maxParallel' | 'nodes'>,
): string {
  const nodes = def.nodes.map(({ range: _range, ...rest }) => rest);
  const canonical = canonicalJson({
    name: def.name,
    runtime: def.runtime,
    maxParallel: def.maxParallel,
    nodes,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
