/** A stable fingerprint of a workflow definition, so runs of the same definition can be grouped. */
import { createHash } from 'node:crypto';
import type { WorkflowDef } from './types';

/** sha256 of the definition as canonical JSON (sorted keys), without file or ranges. */
export function definitionHash(
  def: Pick<WorkflowDef, 'name' | 'runtime' | 'maxParallel' | 'nodes'> &
    Partial<Pick<WorkflowDef, 'slurm'>>,
): string {
  const nodes = def.nodes.map(({ range: _range, ...rest }) => rest);
  const canonical = canonicalJson({
    name: def.name,
    runtime: def.runtime,
    maxParallel: def.maxParallel,
    // Left out when absent, so runs recorded before `slurm:` existed keep their hash.
    slurm: def.slurm ?? undefined,
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
