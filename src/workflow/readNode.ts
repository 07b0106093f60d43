/**
 * One node of a workflow file: its id, its type, the keys its type uses and their values, and
 * the keys its type requires. References to other nodes are checked later, in crossCheck.ts.
 */
import { isWorkflowFile } from './discover';
import { didYouMean } from './suggest';
import { conditionValue } from './condition';
import type { Draft } from './draft';
import { KEY_ALIASES, KEY_TYPES, NODE_ID, NODE_KEYS, TYPE_ALIASES } from './keys';
import {
  booleanValue,
  enumValue,
  integerValue,
  plainData,
  stringList,
  stringMap,
  stringValue,
  timeoutValue,
} from './values';
import { describe, isMap, isScalar, type Entry, type Source } from './yamlSource';
import { NODE_TYPES, type MergeMode, type NodeType, type SourceRange } from './types';

const MERGE_MODES: readonly MergeMode[] = ['keyed', 'shallow', 'concat'];

/** Names the runtime sets for every node; a workflow's own value would be overwritten. */
const RUNTIME_ENV = [
  'WORKFLOW_INPUTS',
  'WORKFLOW_OUTPUT',
  'WORKFLOW_NODE_ID',
  'WORKFLOW_RUN_ID',
  'WORKFLOW_ATTEMPT',
];

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function readNode(src: Source, e: Entry): Draft {
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

function before(a: SourceRange, b: SourceRange): boolean {
  return (
    a.start.line < b.start.line || (a.start.line === b.start.line && a.start.col < b.start.col)
  );
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
