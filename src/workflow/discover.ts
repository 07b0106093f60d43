/** Which files are workflows, and the name a workflow gets when its file does not say. */
import * as path from 'node:path';

/**
 * Case-sensitive, like the `**\/*.workflow.{yaml,yml,json}` glob the extension activates and
 * searches with, so the tree, the diagnostics and the CLI agree on what a workflow file is.
 */
const WORKFLOW_FILE = /\.workflow\.(?:ya?ml|json)$/;

export function isWorkflowFile(file: string): boolean {
  return WORKFLOW_FILE.test(path.basename(file));
}

/** `a/nightly-etl.workflow.yaml` → `nightly-etl`; other names lose their last extension. */
export function workflowBaseName(file: string): string {
  const base = path.basename(file);
  if (WORKFLOW_FILE.test(base)) return base.replace(WORKFLOW_FILE, '') || base;
  const ext = path.extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}
