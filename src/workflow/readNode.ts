/**
 * One node of a workflow file: its id, its type, which of its keys its type uses, and the keys
 * its type requires. Each value is read in nodeFields.ts; references to other nodes are
 * checked later, in crossCheck.ts.
 */
import { didYouMean } from './suggest';
import { clip } from './quote';
import type { Draft } from './draft';
import { KEY_ALIASES, KEY_TYPES, NODE_ID, NODE_KEYS, TYPE_ALIASES } from './keys';
import { MAX_NODE_ID_LENGTH } from './limits';
import { readField } from './nodeFields';
import { describe, isMap, isScalar, type Entry, type Source } from './yamlSource';
import { NODE_TYPES, type NodeType, type SourceRange } from './types';

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
  } else if (e.key.length > MAX_NODE_ID_LENGTH) {
    // Ids name log and output files, where 255 bytes is the usual limit.
    src.error(
      e.keyRange,
      `node id \`${clip(e.key)}\` is ${e.key.length} characters, longer than ${MAX_NODE_ID_LENGTH} characters`,
    );
  } else if (!NODE_ID.test(e.key)) {
    src.error(
      e.keyRange,
      `\`${clip(e.key)}\` is not a valid node id: ids start with a letter or \`_\` and go on with letters, digits, \`_\` or \`-\``,
    );
  }
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) {
    src.error(e.keyRange, `node \`${clip(e.key)}\` is empty: it needs a \`type\` (${typeList()})`);
    return draft;
  }
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `node \`${clip(e.key)}\` must be a map with a \`type\`, found ${describe(e.value)}`,
    );
    return draft;
  }

  const entries = src.entries(e.value, 'key');
  const typeEntry = entries.find((x) => x.key === 'type');
  if (typeEntry) draft.type = nodeType(src, typeEntry);
  else src.error(e.keyRange, `node \`${clip(e.key)}\` has no \`type\` (${typeList()})`);

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
      src.error(x.keyRange, `unknown key \`${clip(x.key)}\`${hint}`);
      continue;
    }
    if (draft.type && !types.includes(draft.type)) {
      src.warn(
        x.keyRange,
        `\`${clip(x.key)}\` is not used by ${draft.type} nodes (only by ${types.join(', ')}); it is ignored`,
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
  const shown = raw === null ? describe(e.value) : `\`${clip(raw)}\``;
  // Aliases are short words: lower-casing a 10 MB value to look one up costs tens of ms.
  const alias = raw === null || raw.length > 40 ? undefined : TYPE_ALIASES.get(raw.toLowerCase());
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

/** Required keys, and the python/node rule of exactly one of `script` and `code`. */
function requireFields(src: Source, d: Draft, byKey: Map<string, Entry>): void {
  const missing = (what: string): void =>
    src.error(d.idRange, `${d.type} node \`${clip(d.id)}\` needs ${what}`);
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
          `switch \`${clip(d.id)}\` has neither \`then\` nor \`else\`: it routes nothing`,
        );
      }
      break;
    case 'merge':
      if (d.needs.length === 0)
        src.warn(d.idRange, `merge \`${clip(d.id)}\` has no \`needs\`: it has nothing to merge`);
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
