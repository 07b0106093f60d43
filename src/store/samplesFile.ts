/**
 * samples.ndjson: one Sample per line, appended while the run goes. NDJSON so that writing never
 * rewrites what is there, reading streams (a long profiled run can hold millions of samples), and
 * a crash tears at most the last line, which readers skip.
 */
import * as fs from 'node:fs';
import { toSample } from './runRecordCheck';
import type { Sample } from '../model/run';

/** Buffered lines are written once they reach this size... */
const FLUSH_BYTES = 64 * 1024;
/** ...or this long after the first of them was appended, so a crash loses little. */
const FLUSH_AFTER_MS = 1000;

export interface SamplesWriter {
  /** Queues samples; never blocks and never throws (write errors go to `warn`). */
  append(samples: readonly Sample[]): void;
  /** Writes everything appended so far. */
  flush(): Promise<void>;
  /** Flushes and closes the file. Appends after close are dropped. */
  close(): Promise<void>;
  /** Samples appended so far, and how many of them were lost to write errors. */
  readonly appended: number;
  readonly dropped: number;
}

export function openSamplesWriter(
  file: string,
  warn: (message: string) => void,
  onError?: (err: NodeJS.ErrnoException) => void,
): SamplesWriter {
  return new NdjsonSamplesWriter(file, warn, onError);
}

class NdjsonSamplesWriter implements SamplesWriter {
  private lines: string[] = [];
  private bufferedBytes = 0;
  private bufferedCount = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Writes run one after another, in append order. */
  private chain: Promise<void> = Promise.resolve();
  private handle: fs.promises.FileHandle | null = null;
  private closed = false;
  private warned = false;
  appended = 0;
  dropped = 0;

  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void,
    private readonly onError?: (err: NodeJS.ErrnoException) => void,
  ) {}

  append(samples: readonly Sample[]): void {
    if (this.closed) {
      this.dropped += samples.length;
      return;
    }
    for (const s of samples) {
      const line = JSON.stringify(s) + '\n';
      this.lines.push(line);
      this.bufferedBytes += line.length;
    }
    this.bufferedCount += samples.length;
    this.appended += samples.length;
    if (this.bufferedBytes >= FLUSH_BYTES) {
      void this.flush();
    } else if (!this.timer && this.lines.length > 0) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
      // A pending flush must not keep a finished process alive; close() flushes anyway.
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.lines.length > 0) {
      const data = this.lines.join('');
      const count = this.bufferedCount;
      this.lines = [];
      this.bufferedBytes = 0;
      this.bufferedCount = 0;
      this.chain = this.chain.then(() => this.write(data, count));
    }
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.closed) return this.chain;
    await this.flush();
    this.closed = true;
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close().catch(() => undefined);
  }

  private async write(data: string, count: number): Promise<void> {
    try {
      // Opened on the first write: a run without samples leaves no empty file behind.
      this.handle ??= await fs.promises.open(this.file, 'a');
      await this.handle.write(data);
    } catch (err) {
      this.dropped += count;
      // Losing samples must not fail the run; say it once, not on every flush.
      if (!this.warned) {
        this.warned = true;
        this.onError?.(err as NodeJS.ErrnoException);
        this.warn(`could not write samples to ${this.file}: ${(err as Error).message}`);
      }
    }
  }
}

/**
 * Streams the samples of one file. Malformed lines are skipped and counted: `skipped` counts all
 * of them, `tornTail` is true when the last one was an unterminated final line (what a crash
 * mid-write leaves, expected rather than a sign of damage). A missing file yields nothing.
 */
export class SampleReader implements AsyncIterable<Sample> {
  skipped = 0;
  tornTail = false;

  constructor(private readonly file: string) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Sample> {
    let stream: fs.ReadStream;
    try {
      // Open before streaming so a missing file is an empty result, not a stream error.
      const handle = await fs.promises.open(this.file, 'r');
      stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 256 * 1024 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let rest = '';
    try {
      for await (const chunk of stream) {
        const text = rest + (chunk as string);
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const sample = this.parse(line);
          if (sample) yield sample;
        }
      }
    } finally {
      stream.destroy();
    }
    if (rest.trim() !== '') {
      const sample = this.parse(rest);
      if (sample) yield sample;
      else this.tornTail = true;
    }
  }

  private parse(line: string): Sample | null {
    if (line.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.skipped++;
      return null;
    }
    const sample = toSample(value);
    if (!sample) this.skipped++;
    return sample;
  }
}
