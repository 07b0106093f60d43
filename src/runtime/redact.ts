/**
 * Secrets never land in what the runner writes: known secret values (see secretNames.ts) are
 * replaced in node output before it reaches a log file or a live view, and in everything else the
 * run folder holds (runner notes, outputs/, inputs/, run.json). Text the runner writes whole is
 * also scrubbed of URL credentials it was not told about (`user:pass@`, `?token=`).
 */
import { StringDecoder } from 'node:string_decoder';
import { isCredentialUserinfo, looksSecretParam, URL_PATTERN } from './secretNames';

export { looksSecret, secretValues } from './secretNames';

export const REDACTED = '***';

/** Replaces every known secret value, nothing else. */
function replaceKnown(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Hides the userinfo and the secret-named query values of one URL, as written. */
function scrubUrl(url: string): string {
  const out = url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i,
    (whole, scheme: string, info: string) =>
      isCredentialUserinfo(info) ? `${scheme}${REDACTED}@` : whole,
  );
  const q = out.indexOf('?');
  if (q < 0) return out;
  const query = out
    .slice(q + 1)
    .replace(/(^|&)([^=&#]+)=([^&#]*)/g, (whole, sep: string, name: string, value: string) =>
      value.length > 0 && looksSecretParam(name) ? `${sep}${name}=${REDACTED}` : whole,
    );
  return `${out.slice(0, q + 1)}${query}`;
}

/** Known secrets, then URL credentials: for text the runner writes whole (notes, reasons). */
export function redactText(text: string, secrets: readonly string[]): string {
  const known = replaceKnown(text, secrets);
  return known.includes('://') ? known.replace(URL_PATTERN, scrubUrl) : known;
}

/** A JSON-like value with every string and key redacted; the input is not changed. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  return redactUnknown(value, secrets) as T;
}

function redactUnknown(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactUnknown(v, secrets));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[redactText(k, secrets)] = redactUnknown(v, secrets);
  return out;
}

/**
 * Whether JSON text can be stored as it is without walking its value: with no known secret
 * there is nothing to find but URL credentials, and those need a `://`. Most node outputs and
 * inputs are such text, so the runner skips a walk and a second serialisation per node.
 */
export function nothingToRedact(text: string, secrets: readonly string[]): boolean {
  return secrets.length === 0 && !text.includes('://');
}

/** Whether `text` holds anything redactText would replace. */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return redactText(text, secrets) !== text;
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
    const redacted = replaceKnown(text, this.secrets);
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
    return replaceKnown(rest, this.secrets);
  }
}
