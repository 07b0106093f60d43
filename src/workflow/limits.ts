/**
 * Bounds on what a workflow may ask for and what a run will carry. Those a file can break are
 * checked when it is parsed; the run-time ones have defaults that a run request may change.
 */

/** Node ids become file names (logs, outputs), and nested ids join several of them. */
export const MAX_NODE_ID_LENGTH = 128;
/**
 * A nested node's full id (`parent/child`, `/` written `__`) names its log and output files;
 * with `.attempt-N.json` after it, this keeps them under the usual 255-byte file name limit.
 */
export const MAX_FILE_ID_LENGTH = 200;
/** `maxParallel` and `--max-parallel`: each slot costs memory before anything runs. */
export const MAX_PARALLEL = 1024;
/** Nodes of a workflow with its nested workflows expanded, unless the run request says. */
export const DEFAULT_MAX_NODES = 10_000;
/** A node's output file (and an HTTP body kept for downstream nodes) is refused above this. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Output JSON nested deeper than this fails its node: deeper data overflows JSON.stringify. */
export const DEFAULT_MAX_OUTPUT_DEPTH = 256;
/** Any one problem message is cut here, whatever it quotes. */
export const MAX_MESSAGE_LENGTH = 1000;

/** The run-time limits a run request carries; absent fields take the defaults above. */
export interface RunLimits {
  maxOutputBytes?: number;
  maxOutputDepth?: number;
  maxNodes?: number;
}
