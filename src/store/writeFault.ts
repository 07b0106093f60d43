/** Why a write into the run store failed, in words a person can act on. */
import * as path from 'node:path';

/** Errors that mean the storage itself failed, not a bug: the run ends `failed` with the reason. */
const STORAGE_CODES: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
};

export function isStorageFault(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in STORAGE_CODES;
}

/** "disk full while writing logs/x.log" (the file relative to the run's folder when inside it). */
export function describeWriteFault(err: unknown, file: string, runDir: string): string {
  const rel = path.relative(runDir, file);
  const where = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  const what = STORAGE_CODES[code];
  return what
    ? `${what} while writing ${where}`
    : `could not write ${where}: ${(err as Error).message}`;
}
