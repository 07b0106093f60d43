/**
 * User text quoted in a message is clipped: a 10 MB value must not become a 10 MB diagnostic
 * (the editor shows these as you type).
 */
export const QUOTE_MAX = 80;

/**
 * `s` itself, or its first QUOTE_MAX characters and `…`; control characters and line breaks
 * escaped (`\n`, `\u001b`), so a message stays one line and cannot restyle a terminal.
 */
export function clip(s: string, max = QUOTE_MAX): string {
  return oneLine(s.length <= max ? s : `${s.slice(0, max)}…`);
}

export function oneLine(s: string): string {
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
