/**
 * One node attempt's output: streamed straight to its log file (synchronous appends, so memory
 * stays bounded whatever the node prints) and forwarded live at a bounded rate.
 *
 * The file is created with its first byte: a node that prints nothing (and gets no note from the
 * runner) leaves no empty log behind. Creating a file is one of the dearer steps between two
 * nodes (0.3 to 0.8 ms each on an ext4 disk with many recently deleted files), and most short
 * nodes are silent.
 *
 * A log is capped (`maxBytes`): the first half of the cap goes to the file as it comes, the last
 * half is held in memory until the node ends, and what fell between them is dropped and marked
 * by one line, so a node printing gigabytes cannot fill the disk yet its start and end survive.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactText, StreamRedactor } from './redact';
import { OutputTail } from './outputTail';

export type LogForward = (stream: 'stdout' | 'stderr', text: string) => void;

/** Live views get at most this much output per node per second; the file gets everything. */
export const FORWARD_BYTES_PER_SEC = 64 * 1024;

/** Default cap of one node attempt's log. */
export const DEFAULT_MAX_LOG_BYTES = 64 * 1024 * 1024;

export interface NodeLogOptions {
  /** Cap of the file; past it the middle is dropped (head and tail kept). */
  maxBytes?: number;
  /** A write failed (disk full, I/O error): the log stops writing and says so once. */
  onWriteError?: (err: NodeJS.ErrnoException, file: string) => void;
}

export class NodeLog {
  private fd: number | null = null;
  private readonly redactors: Record<'stdout' | 'stderr', StreamRedactor>;
  private windowStart = 0;
  private windowBytes = 0;
  private droppedNotice = false;
  private closed = false;
  private failed = false;
  private readonly headLimit: number;
  /** What the cap holds back: the last half of the allowed bytes, written at close. */
  private readonly capTail: TailBuffer;
  // The end of each stream as written (redacted), for a failure to quote.
  private readonly tails = { stdout: new OutputTail(), stderr: new OutputTail() };
  bytesWritten = 0;

  constructor(
    readonly file: string,
    private readonly secrets: readonly string[],
    private readonly forward: LogForward | null,
    private readonly now: () => number = Date.now,
    private readonly opts: NodeLogOptions = {},
  ) {
    this.redactors = { stdout: new StreamRedactor(secrets), stderr: new StreamRedactor(secrets) };
    const max = Math.max(2, opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES);
    this.headLimit = Math.floor(max / 2);
    this.capTail = new TailBuffer(max - this.headLimit);
  }

  /** Bytes of output left out of the file by the cap (known for certain once closed). */
  get droppedBytes(): number {
    return this.capTail.dropped;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.closed) return;
    this.emit(stream, this.redactors[stream].push(chunk));
  }

  /**
   * A line from the runner itself (e.g. why a retry happens), marked so it can't pass for output.
   * Redacted too: notes quote URLs and error messages, which may carry credentials.
   */
  note(text: string): void {
    if (this.closed) return;
    // Output held back for secret matching goes first, so the note never lands mid-line.
    this.emit('stdout', this.redactors.stdout.flush());
    this.emit('stderr', this.redactors.stderr.flush());
    this.emit('stderr', `[workflow-profiler] ${redactText(text, this.secrets)}\n`);
  }

  /**
   * The end of what the node wrote to stderr as it stands in the log, or of its stdout when its
   * stderr is empty. Call before `note`-ing the failure, so the tail is the node's own words.
   */
  tail(): string {
    this.emit('stdout', this.redactors.stdout.flush());
    this.emit('stderr', this.redactors.stderr.flush());
    const err = this.tails.stderr.value;
    return err.length > 0 ? err : this.tails.stdout.value;
  }

  close(): void {
    if (this.closed) return;
    this.emit('stdout', this.redactors.stdout.end());
    this.emit('stderr', this.redactors.stderr.end());
    this.closed = true;
    if (this.capTail.dropped > 0) {
      this.writeFile(
        Buffer.from(
          `\n[workflow-profiler] ${this.capTail.dropped} bytes of output dropped here: the log is capped at ${this.headLimit + this.capTail.limit} bytes (first and last half kept)\n`,
        ),
      );
    }
    for (const chunk of this.capTail.take()) this.writeFile(chunk);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private emit(stream: 'stdout' | 'stderr', text: string): void {
    if (text.length === 0) return;
    this.tails[stream].push(text);
    const buf = Buffer.from(text, 'utf8');
    const room = Math.max(0, this.headLimit - this.bytesWritten);
    if (room >= buf.length && this.capTail.size === 0) this.writeFile(buf);
    else {
      if (room > 0) this.writeFile(buf.subarray(0, room));
      this.capTail.push(buf.subarray(room));
    }
    this.forwardLive(stream, text, buf.length);
  }

  /** Appends to the file; the first failure is reported once and ends writing (nothing throws). */
  private writeFile(buf: Buffer): void {
    if (this.failed || buf.length === 0) return;
    try {
      this.fd ??= openForAppend(this.file);
      fs.writeSync(this.fd, buf);
      this.bytesWritten += buf.length;
    } catch (err) {
      this.failed = true;
      if (this.fd !== null) {
        try {
          fs.closeSync(this.fd);
        } catch {
          // already failing; the write error is the one worth reporting
        }
      }
      this.fd = null;
      if (!this.opts.onWriteError) throw err;
      this.opts.onWriteError(err as NodeJS.ErrnoException, this.file);
    }
  }

  private forwardLive(stream: 'stdout' | 'stderr', text: string, bytes: number): void {
    if (!this.forward) return;
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.windowBytes = 0;
      this.droppedNotice = false;
    }
    if (this.windowBytes + bytes <= FORWARD_BYTES_PER_SEC) {
      this.windowBytes += bytes;
      this.forward(stream, text);
    } else if (!this.droppedNotice) {
      this.droppedNotice = true;
      this.forward(
        'stderr',
        `[workflow-profiler] live output throttled; the full log is ${this.file}\n`,
      );
    }
  }
}

/** The last `limit` bytes pushed, and how many before them were dropped. */
class TailBuffer {
  private chunks: Buffer[] = [];
  size = 0;
  dropped = 0;

  constructor(readonly limit: number) {}

  push(buf: Buffer): void {
    if (buf.length === 0) return;
    // Copied: the caller's buffer may be a view into a larger one that would stay alive.
    this.chunks.push(Buffer.from(buf));
    this.size += buf.length;
    while (this.size > this.limit) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  take(): Buffer[] {
    const out = this.chunks;
    this.chunks = [];
    this.size = 0;
    return out;
  }
}

/** Opens for appending; creates the folder only when it is missing (once per run, not per node). */
function openForAppend(file: string): number {
  try {
    return fs.openSync(file, 'a');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return fs.openSync(file, 'a');
  }
}
