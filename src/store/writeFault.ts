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

/** What file-system errors mean, for errors a person caused and can fix (a path, a mount). */
const FS_CODES: Readonly<Record<string, string>> = {
  ...STORAGE_CODES,
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder (or a part of the path is not)',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** "read-only file system" for a file-system error a person can fix; null otherwise. */
export function fsProblem(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (typeof code === 'string' ? FS_CODES[code] : undefined) ?? null;
}

/** "<path>: read-only file system" for a file-system error that names a path; null otherwise. */
export function describeFsError(err: unknown): string | null {
  const what = fsProblem(err);
  const file = (err as NodeJS.ErrnoException | null)?.path;
  return what && typeof file === 'string' ? `${file}: ${what}` : null;
}
