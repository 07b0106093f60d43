/**
 * JSON from a node (its output file, an HTTP body) parsed within limits. Data nested thousands
 * deep parses, but JSON.stringify and every recursive walk after it overflow the stack, so the
 * depth is measured first, by a loop over the text that never recurses.
 */

export type Bounded = { ok: true; value: unknown } | { ok: false; error: string; limit: boolean };

/** How deep `text` nests arrays and objects, stopping as soon as it passes `max`. */
export function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** `what` names the data in messages: "output JSON", "body JSON". */
export function parseBoundedJson(text: string, maxDepth: number, what: string): Bounded {
  if (nestingExceeds(text, maxDepth))
    return {
      ok: false,
      limit: true,
      error: `${what} is nested deeper than ${maxDepth} levels`,
    };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      limit: false,
      error: `${what} is not valid JSON: ${(err as Error).message}`,
    };
  }
}
