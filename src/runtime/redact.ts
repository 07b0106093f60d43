/**
 * Secrets never land in run records: values of environment variables whose names look secret are
 * replaced in node output before it reaches a log file or a live view.
 */
import { StringDecoder } from 'node:string_decoder';

const SECRET_NAME =
  /(secret|token|passw(or)?d|pwd|api[_-]?key|private[_-]?key|credential|auth|session|cookie|access[_-]?key|signature)/i;
export const REDACTED = '***';

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Values worth redacting: long enough that replacing them cannot mangle ordinary text. */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && v.length >= 4 && looksSecret(k)) out.add(v);
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Redacts a byte stream chunk by chunk. A secret may be split across chunks, so the tail that
 * could be the start of one is held back until more arrives (at most the longest secret's length).
 */
export class StreamRedactor {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private readonly hold: number;

  constructor(private readonly secrets: readonly string[]) {
    this.hold = secrets.reduce((m, s) => Math.max(m, s.length - 1), 0);
  }

  push(chunk: Buffer): string {
    const text = this.carry + this.decoder.write(chunk);
    if (this.secrets.length === 0) {
      this.carry = '';
      return text;
    }
    const redacted = redactText(text, this.secrets);
    // Hold back only the shortest tail that could still grow into a secret, so ordinary output
    // is never delayed and a secret split across chunks is still caught.
    const cut = this.holdFrom(redacted);
    this.carry = redacted.slice(cut);
    return redacted.slice(0, cut);
  }

  /** Releases what is held back (at a boundary the runner chooses, e.g. before its own note). */
  flush(): string {
    const rest = this.carry;
    this.carry = '';
    return rest;
  }

  private holdFrom(text: string): number {
    for (let i = Math.max(0, text.length - this.hold); i < text.length; i++) {
      const tail = text.slice(i);
      if (this.secrets.some((s) => s.startsWith(tail))) return i;
    }
    return text.length;
  }

  end(): string {
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    return redactText(rest, this.secrets);
  }
}
