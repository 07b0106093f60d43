// The node side of Workflow Profiler's data passing, for the example's Node.js scripts:
// WORKFLOW_INPUTS names a JSON file of {upstream id: its output}; WORKFLOW_OUTPUT is where a
// node writes one JSON object, whose `_metrics` (numbers) become the node's custom metrics.
import { readFileSync, writeFileSync } from 'node:fs';

export function readInputs() {
  const file = process.env.WORKFLOW_INPUTS;
  return file ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

export function writeOutput(output) {
  const file = process.env.WORKFLOW_OUTPUT;
  if (file) writeFileSync(file, JSON.stringify(output));
}

/** The run's work folder, created by `prepare` and passed along by every step. */
export function workDir(inputs) {
  for (const upstream of Object.values(inputs)) {
    if (upstream && typeof upstream.workDir === 'string') return upstream.workDir;
  }
  throw new Error(
    'no upstream output names a workDir; does this node need `prepare` or `generate`?',
  );
}
