/**
 * The document as a whole: the top-level keys (`name`, `runtime`, `maxParallel`, `nodes`), then
 * each node, then the whole-workflow checks, composed into a WorkflowDef.
 */
import * as path from 'node:path';
import { workflowBaseName } from './discover';
import { didYouMean } from './suggest';
import { clip } from './quote';
import { crossCheck } from './crossCheck';
import { definitionHash } from './definitionHash';
import { toNodeDef, type Draft } from './draft';
import { KEY_ALIASES } from './keys';
import { MAX_PARALLEL } from './limits';
import { readNode } from './readNode';
import { enumValue, integerValue, stringValue } from './values';
import { describe, isMap, isScalar, isSeq, type Entry, type Source } from './yamlSource';
import type { RuntimeKind, SlurmDefaults, WorkflowDef } from './types';
import { readSlurmDefaults } from './slurmFields';

/** slurm: no bound of ours beyond Slurm's own; `maxParallel` bounds the jobs submitted at once. */
export const DEFAULT_MAX_PARALLEL: Record<RuntimeKind, number> = {
  local: 1,
  parallel: 4,
  slurm: MAX_PARALLEL,
};
const RUNTIMES: readonly RuntimeKind[] = ['local', 'parallel', 'slurm'];
/** The keys a workflow file's top level may have (besides `$schema` and `x-…`). */
export const TOP_KEYS: readonly string[] = ['name', 'runtime', 'maxParallel', 'slurm', 'nodes'];

export function readWorkflow(src: Source, file: string): WorkflowDef | null {
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
  let slurm: SlurmDefaults | null = null;
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
        maxParallel = integerValue(src, e, 1, MAX_PARALLEL);
        break;
      case 'slurm':
        slurm = readSlurmDefaults(src, e) ?? null;
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
  const def = {
    name,
    runtime,
    maxParallel: maxParallel ?? DEFAULT_MAX_PARALLEL[runtime],
    slurm,
    nodes,
  };
  // A workflow with errors is dropped by the caller: hashing it (a large file) would be waste.
  if (src.problems.some((p) => p.severity === 'error')) return null;
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
    `unknown key \`${clip(e.key)}\`${hint}; a workflow has ${TOP_KEYS.map((k) => `\`${k}\``).join(', ')}`,
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
