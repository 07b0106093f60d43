/**
 * Redacts a file a node wrote into the run folder, in place and without reading it whole: a node
 * may write an output too large (or too broken) for the runner to parse, and it must still not
 * keep a secret in the store.
 */
import * as fs from 'node:fs';
import { StreamRedactor } from './redact';

const CHUNK = 1024 * 1024;

/** Returns whether anything was replaced (the file is rewritten only then). */
export function redactFileInPlace(file: string, secrets: readonly string[]): boolean {
  if (secrets.length === 0) return false;
  const tmp = `${file}.redacting`;
  const redactor = new StreamRedactor(secrets);
  const buf = Buffer.alloc(CHUNK);
  const input = fs.openSync(file, 'r');
  const output = fs.openSync(tmp, 'w');
  let changed = false;
  try {
    const write = (text: string): void => {
      if (text.includes('***')) changed = true;
      if (text.length > 0) fs.writeSync(output, text);
    };
    for (let n = fs.readSync(input, buf); n > 0; n = fs.readSync(input, buf)) {
      write(redactor.push(buf.subarray(0, n)));
    }
    write(redactor.end());
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
  if (changed) fs.renameSync(tmp, file);
  else fs.rmSync(tmp, { force: true });
  return changed;
}
