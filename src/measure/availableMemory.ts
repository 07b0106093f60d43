/**
 * Memory a new run can use without pushing the machine into swap: the kernel's own estimate
 * (MemAvailable in /proc/meminfo: free memory plus the page cache and reclaimable slabs it can
 * drop) on Linux, os.freemem() elsewhere (which on Linux would leave the page cache out and warn
 * far too early).
 */
import * as os from 'node:os';
import { readProcFile } from './procfs';

export interface AvailableMemory {
  bytes: number;
  source: 'MemAvailable' | 'os.freemem()';
}

/** MemAvailable in bytes from the text of /proc/meminfo, or null when it has none. */
export function parseMemAvailable(meminfo: string): number | null {
  const m = /^MemAvailable:\s+(\d+)\s*kB$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : null;
}

export function availableMemory(): AvailableMemory {
  const meminfo = process.platform === 'linux' ? readProcFile('/proc/meminfo') : null;
  const bytes = meminfo === null ? null : parseMemAvailable(meminfo);
  return bytes !== null
    ? { bytes, source: 'MemAvailable' }
    : { bytes: os.freemem(), source: 'os.freemem()' };
}
