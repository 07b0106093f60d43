/** One node as read (a Draft), and the NodeDef it becomes once the whole workflow is checked. */
import type { Condition } from './condition';
import type { Ref } from './values';
import type { NodeDef, NodeType, SourceRange } from './types';

/** A dependency edge with where it was written: a `needs` item, or a switch branch item. */
export interface Dep extends Ref {
  via?: { switchId: string; branch: 'then' | 'else' };
}

/** One node as read, before the checks that need the whole workflow. */
export interface Draft {
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

export function toNodeDef(d: Draft): NodeDef {
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
  if (f.resources !== undefined) node.resources = f.resources;
  return node;
}
