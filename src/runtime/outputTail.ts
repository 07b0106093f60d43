/**
 * The end of a node's output, kept as it goes to the log (so already redacted) and bounded
 * whatever the node prints: a failure carries it so it explains itself without the log.
 */

export const TAIL_MAX_LINES = 20;
export const TAIL_MAX_BYTES = 4096;

/**
 * The last `maxLines` lines of `text`, at most `maxBytes` bytes of UTF-8, without a trailing
 * newline. A character cut by the byte limit is dropped whole, never split.
 */
export function tailText(
  text: string,
  maxLines = TAIL_MAX_LINES,
  maxBytes = TAIL_MAX_BYTES,
): string {
  let t = text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const buf = Buffer.from(t, 'utf8');
  if (buf.length > maxBytes) {
    let start = buf.length - maxBytes;
    // Skip UTF-8 continuation bytes: the first kept byte must start a character.
    while (start < buf.length && ((buf[start] as number) & 0xc0) === 0x80) start++;
    t = buf.subarray(start).toString('utf8');
  }
  const lines = t.split('\n');
  return lines.slice(Math.max(0, lines.length - maxLines)).join('\n');
}

/** Keeps only what `tailText` could need of a stream of text: memory stays bounded. */
export class OutputTail {
  private text = '';

  constructor(
    private readonly maxLines = TAIL_MAX_LINES,
    private readonly maxBytes = TAIL_MAX_BYTES,
  ) {}

  push(chunk: string): void {
    this.text += chunk;
    // Every UTF-16 unit is at least one UTF-8 byte, so the last 2 × maxBytes units hold every
    // byte the tail can keep; trimming only past 4 × keeps it rare.
    if (this.text.length > 4 * this.maxBytes) this.text = this.text.slice(-2 * this.maxBytes);
  }

  get value(): string {
    return tailText(this.text, this.maxLines, this.maxBytes);
  }
}
