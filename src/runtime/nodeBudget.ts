/**
 * How many nodes a workflow becomes once its nested workflows are expanded (each `workflow`
 * node runs its file's nodes once more), checked against a limit before anything runs: fifteen
 * small files that each name the next twice expand to tens of thousands of tasks.
 */
import * as path from 'node:path';
import { MAX_FILE_ID_LENGTH } from '../workflow/limits';
import type { NodeDef, WorkflowDef, WorkflowProblem } from '../workflow/types';

/** The nested file a `workflow` node runs, as loadWorkflowTree keys it. */
export function nestedFile(def: WorkflowDef, node: NodeDef): string {
  return path.resolve(path.dirname(def.file), node.file ?? node.script ?? '');
}

/** Nodes `def` expands to, nested ones included; memoised by file, so shared files cost once. */
export function expandedSize(
  def: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
  memo = new Map<string, number>(),
): number {
  const known = memo.get(def.file);
  if (known !== undefined) return known;
  // A file that is being counted again is a nested cycle, reported elsewhere: count it as 0.
  memo.set(def.file, 0);
  let total = 0;
  for (const n of def.nodes) total += 1 + nestedSize(def, n, all, memo);
  memo.set(def.file, total);
  return total;
}

function nestedSize(
  def: WorkflowDef,
  n: NodeDef,
  all: ReadonlyMap<string, WorkflowDef>,
  memo: Map<string, number>,
): number {
  if (n.type !== 'workflow') return 0;
  const nested = all.get(nestedFile(def, n));
  return nested ? expandedSize(nested, all, memo) : 0;
}

/** One error at the root's node where the running total passes `max`, or null within it. */
export function nodeBudgetProblem(
  root: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
  max: number,
): WorkflowProblem | null {
  const memo = new Map<string, number>();
  const total = expandedSize(root, all, memo);
  if (total <= max) return null;
  let running = 0;
  const at =
    root.nodes.find((n) => (running += 1 + nestedSize(root, n, all, memo)) > max) ?? root.nodes[0];
  if (!at) return null;
  const via = at.type === 'workflow' ? ` (nested workflow ${at.file ?? at.script ?? ''})` : '';
  const shown = Number.isFinite(total) ? String(total) : 'more than 1e308';
  return {
    file: root.file,
    range: at.range,
    severity: 'error',
    message: `with node \`${at.id}\`${via} this workflow expands to ${shown} nodes, over the limit of ${max} (--max-nodes, or the setting workflowProfiler.limits.maxNodes)`,
  };
}

/**
 * The longest full id under each file, as a file name (`/` becomes `__`): memoised by file,
 * and 0 for a file already being measured (a nested cycle, reported elsewhere).
 */
function longestFileId(
  def: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
  memo: Map<string, string>,
): string {
  const known = memo.get(def.file);
  if (known !== undefined) return known;
  memo.set(def.file, '');
  let longest = '';
  for (const n of def.nodes) {
    const full = n.id + nestedSuffix(def, n, all, memo);
    if (full.length > longest.length) longest = full;
  }
  memo.set(def.file, longest);
  return longest;
}

function nestedSuffix(
  def: WorkflowDef,
  n: NodeDef,
  all: ReadonlyMap<string, WorkflowDef>,
  memo: Map<string, string>,
): string {
  const nested = n.type === 'workflow' ? all.get(nestedFile(def, n)) : undefined;
  const inner = nested ? longestFileId(nested, all, memo) : '';
  return inner === '' ? '' : `__${inner}`;
}

/** One error at the root's node whose nested ids make the longest file name, if too long. */
export function fileIdProblem(
  root: WorkflowDef,
  all: ReadonlyMap<string, WorkflowDef>,
): WorkflowProblem | null {
  const memo = new Map<string, string>();
  for (const n of root.nodes) {
    const full = n.id + nestedSuffix(root, n, all, memo);
    if (full.length <= MAX_FILE_ID_LENGTH) continue;
    const shown = `${full.slice(0, 40).replace(/__/g, '/')}…`;
    return {
      file: root.file,
      range: n.range,
      severity: 'error',
      message: `the nested node id \`${shown}\` is ${full.length} characters as a file name, over ${MAX_FILE_ID_LENGTH}: shorten the ids of \`${n.id.slice(0, 40)}\` or of the nodes in ${n.file ?? n.script ?? ''}`,
    };
  }
  return null;
}
