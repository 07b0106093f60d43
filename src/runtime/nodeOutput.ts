/**
 * Data between nodes: a node may write one JSON object to the file named by WORKFLOW_OUTPUT.
 * Its `_metrics` key (numbers) becomes the TaskRun's custom metrics, as in the original SDK.
 * The file lies in the run folder, so it is redacted in place before anything else reads it.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../store/atomicWrite';
import { holdsSecret, redactText, redactValue } from './redact';
import { redactFileInPlace } from './redactFile';

export type NodeOutputs = Record<string, unknown>;

/** Larger outputs are refused rather than read whole into the runner's memory. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ReadOutput {
  output: NodeOutputs | null;
  custom: Record<string, number>;
  problems: string[];
}

export function readNodeOutput(file: string, secrets: readonly string[] = []): ReadOutput {
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
    redactFileInPlace(file, secrets);
    return {
      output: null,
      custom: {},
      problems: [`output file is ${size} bytes, over the ${MAX_OUTPUT_BYTES}-byte limit; ignored`],
    };
  }
  const raw = fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    if (holdsSecret(raw, secrets)) writeFileAtomic(file, redactText(raw, secrets));
    return {
      output: null,
      custom: {},
      // The parser quotes the text it choked on.
      problems: [redactText(`output is not valid JSON: ${(err as Error).message}`, secrets)],
    };
  }
  const output = redactedOutput(file, raw, parsed, secrets);
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    return { output: null, custom: {}, problems: ['output must be one JSON object; ignored'] };
  }
  return { output: output as NodeOutputs, ...extractMetrics(parsed as NodeOutputs, secrets) };
}

/** The parsed output with secrets replaced; the file is rewritten when that changed anything. */
function redactedOutput(
  file: string,
  raw: string,
  parsed: unknown,
  secrets: readonly string[],
): unknown {
  // Most outputs hold neither a known secret nor a URL: nothing to walk.
  if (secrets.length === 0 && !raw.includes('://')) return parsed;
  const redacted = redactValue(parsed, secrets);
  const text = JSON.stringify(redacted);
  if (text !== JSON.stringify(parsed)) writeFileAtomic(file, text);
  return redacted;
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
