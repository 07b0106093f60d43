/** `merge`: combines the outputs of the upstream nodes that completed, like the SDK's MergeNode. */
import type { MergeMode } from '../../workflow/types';
import type { NodeOutputs } from '../nodeOutput';

/**
 * - keyed (default): `{ <upstream id>: <its output> }`
 * - shallow: the upstream objects merged key by key, later needs winning
 * - concat: `{ items: [...] }`, each upstream's `items` array concatenated (an upstream without
 *   one contributes its whole output as one item)
 */
export function mergeOutputs(mode: MergeMode, inputs: [string, NodeOutputs | null][]): NodeOutputs {
  const present = inputs.filter((e): e is [string, NodeOutputs] => e[1] !== null);
  switch (mode) {
    case 'shallow':
      return Object.assign({}, ...present.map(([, o]) => stripMetrics(o))) as NodeOutputs;
    case 'concat': {
      const items: unknown[] = [];
      for (const [, o] of present) {
        const list = o['items'];
        // One by one: spreading 200,000 items passes as many arguments and overflows the stack.
        if (Array.isArray(list)) for (const item of list as unknown[]) items.push(item);
        else items.push(stripMetrics(o));
      }
      return { items };
    }
    case 'keyed':
    default:
      return Object.fromEntries(present.map(([id, o]) => [id, stripMetrics(o)]));
  }
}

/** Custom metrics belong to the node that reported them, not to whoever merges its output. */
function stripMetrics(o: NodeOutputs): NodeOutputs {
  if (!('_metrics' in o)) return o;
  const { _metrics: _dropped, ...rest } = o;
  return rest;
}
