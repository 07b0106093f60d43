/**
 * A node's inputs hold its upstream outputs as they were: a token one node fetched is what the
 * next one needs. The copy in the run folder is redacted; when that changed anything, the node
 * reads the real inputs from a private file outside the store (mode 0600 in a 0700 folder of the
 * runner's own), removed when the node ends and when the runner exits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let folder: string | null = null;

function privateFolder(): string {
  if (folder === null) {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), `wp-inputs-${process.pid}-`));
    fs.chmodSync(folder, 0o700);
    const dir = folder;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return folder;
}

/** Writes the real inputs privately; returns the path and its removal. */
export function writePrivateInputs(text: string): { file: string; remove: () => void } {
  const file = path.join(
    privateFolder(),
    `${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  fs.writeFileSync(file, text, { mode: 0o600 });
  return { file, remove: () => fs.rmSync(file, { force: true }) };
}
