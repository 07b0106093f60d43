/**
 * Reads a zip (a .vsix) in Node alone: its entries with their Unix modes from the central
 * directory, and an entry's bytes. Enough for vsce's output (stored or deflated entries, no
 * ZIP64, no encryption); anything else is an error, not a guess.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Unix mode from the external attributes (0 when the zip was not made on Unix). */
  mode: number;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export class Zip {
  readonly entries: ZipEntry[] = [];
  private readonly buf: Buffer;

  constructor(file: string) {
    this.buf = fs.readFileSync(file);
    const buf = this.buf;
    // The end-of-central-directory record is in the last 22 + 65535 bytes (comment at most 64 KiB).
    let eocd = -1;
    for (let at = buf.length - 22; at >= Math.max(0, buf.length - 22 - 0xffff); at--) {
      if (buf.readUInt32LE(at) === EOCD_SIGNATURE) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file}: not a zip (no end of central directory)`);
    const count = buf.readUInt16LE(eocd + 10);
    let at = buf.readUInt32LE(eocd + 16);
    for (let i = 0; i < count; i++) {
      if (buf.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
        throw new Error(`${file}: central directory entry ${i} is malformed`);
      }
      const nameLength = buf.readUInt16LE(at + 28);
      const extraLength = buf.readUInt16LE(at + 30);
      const commentLength = buf.readUInt16LE(at + 32);
      this.entries.push({
        name: buf.toString('utf8', at + 46, at + 46 + nameLength),
        mode: buf.readUInt32LE(at + 38) >>> 16,
        method: buf.readUInt16LE(at + 10),
        compressedSize: buf.readUInt32LE(at + 20),
        size: buf.readUInt32LE(at + 24),
        localHeaderOffset: buf.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** The bytes of one entry, inflated. */
  read(name: string): Buffer {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no entry ${name}`);
    const at = entry.localHeaderOffset;
    if (this.buf.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new Error(`${name}: bad local header`);
    const start = at + 30 + this.buf.readUInt16LE(at + 26) + this.buf.readUInt16LE(at + 28);
    const data = this.buf.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return Buffer.from(data);
    if (entry.method === 8) return zlib.inflateRawSync(data);
    throw new Error(`${name}: compression method ${entry.method} is not supported here`);
  }
}
