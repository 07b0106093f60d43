/**
 * Data between nodes: a node may write one JSON object to the file named by WORKFLOW_OUTPUT.
 * Its `_metrics` key (numbers) becomes the TaskRun's custom metrics, as in the original SDK.
 * The file lies in the run folder, so it is redacted in place before anything else reads it; the
 * runner keeps the real value in memory for the nodes downstream and for switch conditions.
 */
import * as fs from 'node:fs';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_DEPTH } from '../workflow/limits';
import { writeFileAtomic } from '../store/atomicWrite';
import { parseBoundedJson } from './boundedJson';
import { holdsSecret, nothingToRedact, redactText, redactValue } from './redact';
import { redactFileInPlace } from './redactFile';

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
  secrets: readonly string[] = [],
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
    redactFileInPlace(file, secrets);
    const failure = `output file is ${size} bytes, over the ${limits.maxBytes}-byte limit`;
    return { output: null, custom: {}, problems: [failure], failure };
  }
  const raw = fs.readFileSync(file, 'utf8');
  const read = parseBoundedJson(raw, limits.maxDepth, 'output JSON');
  if (!read.ok) {
    if (holdsSecret(raw, secrets)) writeFileAtomic(file, redactText(raw, secrets));
    // The parser quotes the text it choked on.
    const error = redactText(read.error, secrets);
    // Invalid JSON is only ignored, as it always was; a broken limit fails the node.
    return read.limit
      ? { output: null, custom: {}, problems: [error], failure: error }
      : { output: null, custom: {}, problems: [error.replace('output JSON', 'output')] };
  }
  const parsed = read.value;
  redactStored(file, raw, parsed, secrets);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { output: null, custom: {}, problems: ['output must be one JSON object; ignored'] };
  }
  return { output: parsed as NodeOutputs, ...extractMetrics(parsed as NodeOutputs, secrets) };
}

/** Rewrites the stored output with secrets replaced, when it held any. */
function redactStored(
  file: string,
  raw: string,
  parsed: unknown,
  secrets: readonly string[],
): void {
  if (nothingToRedact(raw, secrets)) return;
  const text = JSON.stringify(redactValue(parsed, secrets));
  if (text !== JSON.stringify(parsed)) writeFileAtomic(file, text);
}

/** Custom metrics; a key holding a secret is dropped (a metric name is shown everywhere). */
export function extractMetrics(
  output: NodeOutputs,
  secrets: readonly string[] = [],
): {
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
    if (holdsSecret(k, secrets)) {
      problems.push(
        `a \`_metrics\` key holds a secret (${redactText(k, secrets)}); dropped, and kept nowhere`,
      );
    } else if (typeof v === 'number' && Number.isFinite(v)) custom[k] = v;
    else if (typeof v === 'boolean') custom[k] = v ? 1 : 0;
    else problems.push(`\`_metrics.${k}\` is not a finite number; dropped`);
  }
  return { custom, problems };
}
