/**
 * Atomic file replacement: readers see either the old file or the new one, never a torn mix,
 * even if the writer crashes halfway. The data goes to a temporary file in the same directory
 * (rename is only atomic within one file system), is fsynced so the rename cannot land before
 * the bytes, and then replaces the target in one rename.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type AtomicData = string | Uint8Array;

/**
 * Writes `data` to `file` atomically (synchronous). The temporary file is removed on failure.
 * `data` may come in pieces (an iterable of strings), written one after another, so a big text
 * never has to exist whole in memory.
 */
export function writeFileAtomic(file: string, data: AtomicData | Iterable<string>): void {
  const tmp = tempPathFor(file);
  let fd: number | null = null;
  try {
    // 'wx': never follow or clobber something that already has our (unique) temporary name.
    fd = fs.openSync(tmp, 'wx');
    if (typeof data === 'string' || data instanceof Uint8Array) fs.writeFileSync(fd, data);
    else for (const piece of data) fs.writeFileSync(fd, piece);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== null) closeQuietly(fd);
    removeQuietly(tmp);
    throw err;
  }
  fsyncDirSync(path.dirname(file));
}

/** Writes `data` to `file` atomically without blocking the event loop. */
export async function writeFileAtomicAsync(file: string, data: AtomicData): Promise<void> {
  const tmp = tempPathFor(file);
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.promises.rename(tmp, file);
  } catch (err) {
    if (handle !== null) await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDirAsync(path.dirname(file));
}

/**
 * A unique sibling name: dot-prefixed so directory listings that skip hidden entries ignore it,
 * pid + random so concurrent writers (threads, processes) never share one. The base name is
 * shortened so the temporary name stays within NAME_MAX even for long targets.
 */
export function tempPathFor(file: string): string {
  const base = path.basename(file).slice(0, 100);
  return path.join(
    path.dirname(file),
    `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

/**
 * Makes the rename itself durable. Best effort: some platforms (Windows) and file systems cannot
 * open or fsync a directory, and the write has already succeeded by then.
 */
function fsyncDirSync(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort, see above
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

async function fsyncDirAsync(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see fsyncDirSync
  } finally {
    if (handle !== null) await handle.close().catch(() => undefined);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already failing; the original error is the one worth reporting
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // nothing more we can do; the name is hidden and unique, so it harms no reader
  }
}
