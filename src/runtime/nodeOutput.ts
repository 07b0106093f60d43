/**
 * Data between nodes: a node may write one JSON object to the file named by WORKFLOW_OUTPUT.
 * Its `_metrics` key (numbers) becomes the TaskRun's custom metrics, as in the original SDK.
 */
import * as fs from 'node:fs';

export type NodeOutputs = Record<string, unknown>;

/** Larger outputs are refused rather than read whole into the runner's memory. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ReadOutput {
  output: NodeOutputs | null;
  custom: Record<string, number>;
  problems: string[];
}

export function readNodeOutput(file: string): ReadOutput {
  let size: number;
  try {
    // throwIfNoEntry: most nodes write no output, and building an ENOENT error for each costs.
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st) return { output: null, custom: {}, problems: [] }; // the node wrote none: allowed
    size = st.size;
  } catch {
    return { output: null, custom: {}, problems: [] };
  }
  if (size === 0) return { output: null, custom: {}, problems: [] };
  if (size > MAX_OUTPUT_BYTES) {
    return {
      output: null,
      custom: {},
      problems: [`output file is ${size} bytes, over the ${MAX_OUTPUT_BYTES}-byte limit; ignored`],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return {
      output: null,
      custom: {},
      problems: [`output is not valid JSON: ${(err as Error).message}`],
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { output: null, custom: {}, problems: ['output must be one JSON object; ignored'] };
  }
  return { output: parsed as NodeOutputs, ...extractMetrics(parsed as NodeOutputs) };
}

export function extractMetrics(output: NodeOutputs): {
  custom: Record<string, number>;
  problems: string[];
} {
  const custom: Record<string, number> = {};
  const problems: string[] = [];
  const raw = output['_metrics'];
  if (raw === undefined) return { custom, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { custom, problems: ['`_metrics` must be an object of numbers; ignored'] };
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'number' && Number.isFinite(v)) custom[k] = v;
    else if (typeof v === 'boolean') custom[k] = v ? 1 : 0;
    else problems.push(`\`_metrics.${k}\` is not a finite number; dropped`);
  }
  return { custom, problems };
}
