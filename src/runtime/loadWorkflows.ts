/**
 * Parses a workflow and every nested workflow it names before anything runs, so a broken file
 * anywhere in the tree stops the run before its first node starts.
 */
import * as path from 'node:path';
import { DEFAULT_MAX_NODES } from '../workflow/limits';
import { parseWorkflowFile } from '../workflow/parse';
import type { WorkflowDef, WorkflowProblem } from '../workflow/types';
import { fileIdProblem, nestedFile, nodeBudgetProblem } from './nodeBudget';

export interface LoadedWorkflows {
  root: WorkflowDef | null;
  all: Map<string, WorkflowDef>;
  problems: WorkflowProblem[];
}

export async function loadWorkflowTree(
  file: string,
  maxNodes = DEFAULT_MAX_NODES,
): Promise<LoadedWorkflows> {
  const all = new Map<string, WorkflowDef>();
  const problems: WorkflowProblem[] = [];
  const visit = async (abs: string, stack: string[]): Promise<WorkflowDef | null> => {
    const { workflow, problems: p } = await parseWorkflowFile(abs);
    for (const x of p) problems.push(x);
    if (!workflow) return null;
    all.set(abs, workflow);
    for (const node of workflow.nodes) {
      if (node.type !== 'workflow') continue;
      const nested = nestedFile(workflow, node);
      if (stack.includes(nested) || nested === abs) {
        problems.push({
          file: abs,
          range: node.range,
          severity: 'error',
          message: `nested workflow cycle: ${[...stack, abs, nested].map((f) => path.basename(f)).join(' -> ')}`,
        });
        continue;
      }
      if (!all.has(nested)) await visit(nested, [...stack, abs]);
    }
    return workflow;
  };
  const root = await visit(path.resolve(file), []);
  if (root && !problems.some((p) => p.severity === 'error')) {
    const tooBig = nodeBudgetProblem(root, all, maxNodes) ?? fileIdProblem(root, all);
    if (tooBig) problems.push(tooBig);
  }
  const hasErrors = problems.some((p) => p.severity === 'error');
  return { root: hasErrors ? null : root, all, problems };
}
