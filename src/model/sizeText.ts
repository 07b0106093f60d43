/**
 * Sizes as people type them, for caps such as `--memory-limit` and `workflowProfiler.memoryLimit`:
 * `536870912`, `512M`, `2G`, `1.5GiB`. Units are binary (K = 1024), as everywhere in this
 * project's figures (`formatBytes` prints KiB, MiB, GiB); a trailing `B` or `iB` is allowed.
 */

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};

export const SIZE_EXAMPLES = '512M, 2G, 1.5GiB or a number of bytes';

/** Bytes (a whole number of at least 1), or why `text` is not a size. */
export function parseSize(text: string): { bytes: number } | { error: string } {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  const unit = m ? UNITS[(m[2] ?? '').toUpperCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    return { error: `must be a size such as ${SIZE_EXAMPLES}, not ${JSON.stringify(text)}` };
  }
  return { bytes };
}
