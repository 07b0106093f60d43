/**
 * `run … --memory-limit SIZE`: taken out of argv before the shared parser (args.ts) sees it, so a
 * bad size is one line that names the flag and the value, like the series flags' errors.
 */
import { parseSize } from '../model/sizeText';

export const MEMORY_LIMIT_FLAG = '--memory-limit';

/** The cap in bytes (null when not given) and argv without the flag. Throws on a bad value. */
export function takeMemoryLimit(argv: readonly string[]): {
  capBytes: number | null;
  rest: string[];
} {
  let capBytes: number | null = null;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if ((eq > 0 ? a.slice(0, eq) : a) !== MEMORY_LIMIT_FLAG) {
      rest.push(a);
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new Error(`${MEMORY_LIMIT_FLAG} needs a size`);
    const size = parseSize(v);
    if ('error' in size) throw new Error(`${MEMORY_LIMIT_FLAG} ${size.error}`);
    capBytes = size.bytes;
  }
  return { capBytes, rest };
}
