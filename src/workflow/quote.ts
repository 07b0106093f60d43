/**
 * User text quoted in a message is clipped: a 10 MB value must not become a 10 MB diagnostic
 * (the editor shows these as you type).
 */
export const QUOTE_MAX = 80;

/** `s` itself, or its first QUOTE_MAX characters and `…`. */
export function clip(s: string, max = QUOTE_MAX): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
