/**
 * Data between nodes: a node may write one JSON object to the file named by WORKFLOW_OUTPUT.
 * Its `_metrics` key (numbers) becomes the TaskRun's custom metrics, as in the original SDK.
 */
import * as fs from 'node:fs';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_DEPTH } from '../workflow/limits';
import { parseBoundedJson } from './boundedJson';

export type NodeOutputs = Record<string, unknown>;

/** Larger outputs are refused rather than read whole into the runner's memory. */
export const MAX_OUTPUT_BYTES = DEFAULT_MAX_OUTPUT_BYTES;

export interface OutputLimits {
  maxBytes: number;
  maxDepth: number;
}

export interface ReadOutput {
  output: NodeOutputs | null;
  custom: Record<string, number>;
  problems: string[];
  /** A limit the output broke: the node fails with this reason. */
  failure?: string;
}

export function readNodeOutput(
  file: string,
  limits: OutputLimits = { maxBytes: MAX_OUTPUT_BYTES, maxDepth: DEFAULT_MAX_OUTPUT_DEPTH },
): ReadOutput {
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
  if (size > limits.maxBytes) {
    const failure = `output file is ${size} bytes, over the ${limits.maxBytes}-byte limit`;
    return { output: null, custom: {}, problems: [failure], failure };
  }
  const read = parseBoundedJson(fs.readFileSync(file, 'utf8'), limits.maxDepth, 'output JSON');
  if (!read.ok) {
    // Invalid JSON is only ignored, as it always was; a broken limit fails the node.
    return read.limit
      ? { output: null, custom: {}, problems: [read.error], failure: read.error }
      : { output: null, custom: {}, problems: [read.error.replace('output JSON', 'output')] };
  }
  const parsed = read.value;
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
