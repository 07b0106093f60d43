/**
 * The value of each node key: which reader checks it and where the result goes. Whether a key
 * applies to the node's type is decided before, in readNode.ts.
 */
import { isWorkflowFile } from './discover';
import { didYouMean } from './suggest';
import { clip } from './quote';
import { conditionValue } from './condition';
import type { Draft } from './draft';
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
import type { Entry, Source } from './yamlSource';
import { readResources } from './slurmFields';
import type { MergeMode, NodeDef } from './types';

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

/** Reads one key's value, for the node field of the same name; undefined after a problem. */
type FieldReader<K extends keyof NodeDef> = (src: Source, e: Entry) => NodeDef[K] | undefined;

/** The keys that fill the node field of their own name, each with its reader. */
const FIELD_READERS: { readonly [K in keyof NodeDef]?: FieldReader<K> } = {
  run: nonEmptyString,
  script: nonEmptyString,
  code: nonEmptyString,
  cwd: nonEmptyString,
  args: (src, e) => stringList(src, e, { coerce: true, single: false })?.map((r) => r.id),
  tags: (src, e) => stringList(src, e, { coerce: true, single: true })?.map((r) => r.id),
  url: urlValue,
  method: methodValue,
  headers: headersValue,
  body: plainData,
  mode: (src, e) => enumValue(src, e, MERGE_MODES),
  file: fileValue,
  env: envValue,
  retries: (src, e) => integerValue(src, e, 0),
  continueOnError: booleanValue,
};

/** Reads a key that applies to the node's type into the draft. */
export function readField(src: Source, d: Draft, e: Entry): void {
  switch (e.key) {
    case 'needs':
    case 'then':
    case 'else':
      d[e.key] = stringList(src, e, { coerce: false, single: true }) ?? [];
      break;
    case 'on':
      d.condition = conditionValue(src, e);
      break;
    case 'timeout':
      d.fields.timeoutMs = timeoutValue(src, e);
      break;
    case 'resources':
      d.fields.resources = readResources(src, e);
      break;
    default:
      // Only keys of KEY_TYPES reach here, and each of the others fills its own field.
      setField(src, d.fields, e.key as keyof NodeDef, e);
  }
}

/** Generic so that each key's reader is checked against that key's field type. */
function setField<K extends keyof NodeDef>(
  src: Source,
  fields: Partial<NodeDef>,
  key: K,
  e: Entry,
): void {
  const read: FieldReader<K> | undefined = FIELD_READERS[key];
  if (read) fields[key] = read(src, e);
}

function nonEmptyString(src: Source, e: Entry): string | undefined {
  return stringValue(src, e, { nonEmpty: true });
}

function fileValue(src: Source, e: Entry): string | undefined {
  const file = stringValue(src, e, { nonEmpty: true });
  if (file !== undefined && !isWorkflowFile(file)) {
    src.warn(
      e.valueRange,
      '`file` does not look like a workflow file (`*.workflow.yaml`, `.yml` or `.json`)',
    );
  }
  return file;
}

function envValue(src: Source, e: Entry): Record<string, string> | undefined {
  return stringMap(src, e, (name, at) => {
    if (name === '' || name.includes('=') || name.includes('\0')) {
      src.error(at, `\`${clip(name)}\` is not a valid environment variable name`);
    } else if (RUNTIME_ENV.includes(name)) {
      src.warn(at, `\`${clip(name)}\` is set by the runtime for every node; this value is ignored`);
    }
  });
}

function headersValue(src: Source, e: Entry): Record<string, string> | undefined {
  return stringMap(
    src,
    e,
    (name, at) => {
      if (!HEADER_NAME.test(name))
        src.error(at, `\`${clip(name)}\` is not a valid HTTP header name`);
    },
    // CR or LF would end the header and start another (header injection); Node refuses them
    // anyway, but only when the request is made, in the middle of a run.
    (value, at) => {
      if (/[\r\n\0]/.test(value))
        src.error(at, 'an HTTP header value cannot contain CR, LF or NUL characters');
    },
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
      `\`url\` must be an absolute http:// or https:// URL, found \`${clip(raw)}\``,
    );
    return undefined;
  }
  return raw;
}

function methodValue(src: Source, e: Entry): string | undefined {
  const raw = stringValue(src, e, { nonEmpty: true });
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z]+$/.test(raw)) {
    src.error(e.valueRange, `\`${clip(raw)}\` is not an HTTP method (${HTTP_METHODS.join(', ')})`);
    return undefined;
  }
  const method = raw.toUpperCase();
  if (!HTTP_METHODS.includes(method)) {
    src.warn(
      e.valueRange,
      `\`${clip(raw)}\` is not a standard HTTP method${didYouMean(method, HTTP_METHODS)}`,
    );
  }
  return method;
}
