/**
 * One node attempt's output: streamed straight to its log file (synchronous appends, so memory
 * stays bounded whatever the node prints) and forwarded live at a bounded rate.
 *
 * The file is created with its first byte: a node that prints nothing (and gets no note from the
 * runner) leaves no empty log behind. Creating a file is one of the dearer steps between two
 * nodes (0.3 to 0.8 ms each on an ext4 disk with many recently deleted files), and most short
 * nodes are silent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactText, StreamRedactor } from './redact';
import { OutputTail } from './outputTail';

export type LogForward = (stream: 'stdout' | 'stderr', text: string) => void;

/** Live views get at most this much output per node per second; the file gets everything. */
export const FORWARD_BYTES_PER_SEC = 64 * 1024;

export class NodeLog {
  private fd: number | null = null;
  private readonly redactors: Record<'stdout' | 'stderr', StreamRedactor>;
  private windowStart = 0;
  private windowBytes = 0;
  private droppedNotice = false;
  private closed = false;
  // The end of each stream as written (redacted), for a failure to quote.
  private readonly tails = { stdout: new OutputTail(), stderr: new OutputTail() };
  bytesWritten = 0;

  constructor(
    readonly file: string,
    private readonly secrets: readonly string[],
    private readonly forward: LogForward | null,
    private readonly now: () => number = Date.now,
  ) {
    this.redactors = { stdout: new StreamRedactor(secrets), stderr: new StreamRedactor(secrets) };
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
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private emit(stream: 'stdout' | 'stderr', text: string): void {
    if (text.length === 0) return;
    this.tails[stream].push(text);
    const buf = Buffer.from(text, 'utf8');
    this.fd ??= openForAppend(this.file);
    fs.writeSync(this.fd, buf);
    this.bytesWritten += buf.length;
    if (!this.forward) return;
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.windowBytes = 0;
      this.droppedNotice = false;
    }
    if (this.windowBytes + buf.length <= FORWARD_BYTES_PER_SEC) {
      this.windowBytes += buf.length;
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
