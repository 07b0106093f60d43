/**
 * The spawn helper's wire format (native/serve.h): frames of a u32 little-endian length of what
 * follows, a one-byte type, a u32 little-endian key (the runner's number for a node), a payload.
 * Pure functions, so partial and malformed input is tested without a process.
 */

export interface Frame {
  type: string;
  key: number;
  payload: Buffer;
}

/** What decodeFrames made of the bytes so far. */
export interface Decoded {
  frames: Frame[];
  /** An incomplete frame's bytes, to prepend to the next chunk. */
  rest: Buffer;
  /** Set when the stream cannot be trusted any more (a length too small to hold a header). */
  error: string | null;
}

const HEADER = 5;

/** Splits `pending` + `chunk` into whole frames; what is left waits for more bytes. */
export function decodeFrames(pending: Buffer, chunk: Buffer): Decoded {
  const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
  const frames: Frame[] = [];
  let at = 0;
  while (buf.length - at >= 4) {
    const len = buf.readUInt32LE(at);
    if (len < HEADER) {
      return { frames, rest: Buffer.alloc(0), error: `bad frame length ${len}` };
    }
    if (buf.length - at - 4 < len) break;
    frames.push({
      type: String.fromCharCode(buf[at + 4] ?? 0),
      key: buf.readUInt32LE(at + 5),
      // A copy: the chunk's memory is reused by the stream.
      payload: Buffer.from(buf.subarray(at + 4 + HEADER, at + 4 + len)),
    });
    at += 4 + len;
  }
  return { frames, rest: Buffer.from(buf.subarray(at)), error: null };
}

export function encodeFrame(type: string, key: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(4 + HEADER);
  head.writeUInt32LE(HEADER + payload.length, 0);
  head.writeUInt8(type.charCodeAt(0), 4);
  head.writeUInt32LE(key, 5);
  return Buffer.concat([head, payload]);
}

export interface StartRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  graceMs: number;
  cgroupDir: string | null;
}

/** The 'S' frame; null when a string holds a NUL byte, which the C side cannot carry. */
export function encodeStart(key: number, req: StartRequest): Buffer | null {
  const env = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const argv = [req.file, ...req.args];
  const strings = [req.cwd, req.cgroupDir ?? '', ...argv, ...env];
  if (strings.some((s) => s.includes('\0'))) return null;
  const counts = Buffer.alloc(12);
  counts.writeUInt32LE(Math.max(0, Math.round(req.graceMs)), 0);
  counts.writeUInt32LE(argv.length, 4);
  counts.writeUInt32LE(env.length, 8);
  return encodeFrame('S', key, Buffer.concat([counts, Buffer.from(strings.join('\0') + '\0')]));
}

/** The 'X' frame's payload: the reaper's exit code (null when signalled) and signal number. */
export function decodeExit(payload: Buffer): { code: number | null; signal: number | null } {
  if (payload.length < 8) return { code: null, signal: null };
  const code = payload.readInt32LE(0);
  const signal = payload.readInt32LE(4);
  return { code: code >= 0 ? code : null, signal: signal > 0 ? signal : null };
}
