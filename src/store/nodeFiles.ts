/**
 * File names of a node's files (logs/, outputs/, inputs/). Node ids are `[A-Za-z_][A-Za-z0-9_-]*`
 * and nested ones join them with `/`, so the encoding keeps plain ids as they are, turns `/` into
 * `~` and escapes anything else (a future id character, `~` and `%` themselves) as `%XX` per
 * UTF-8 byte. It is injective: `sub/c1` is `sub~c1`, `sub__c1` stays `sub__c1`, and no encoded id
 * holds a `.`, so the `.attempt-N` suffix cannot collide with an id either.
 */

const KEPT = /[A-Za-z0-9_-]/;

export function encodeNodeId(nodeId: string): string {
  let out = '';
  for (const ch of nodeId) {
    if (KEPT.test(ch)) out += ch;
    else if (ch === '/') out += '~';
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `<node>.<ext>`; attempts after the first get `<node>.attempt-N.<ext>`. */
export function nodeFileName(nodeId: string, attempt: number, ext: string): string {
  const suffix = attempt > 1 ? `.attempt-${attempt}` : '';
  return `${encodeNodeId(nodeId)}${suffix}.${ext}`;
}
