/**
 * Run-time checks shared by the webview protocols: messages cross a trust boundary (a webview is
 * a web page), so neither side acts on one before its shape is checked.
 */

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A duration the page measured: finite and not negative. */
export function isDurationMs(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** True when `o` has exactly these keys: a message with anything extra is not one we sent. */
export function hasExactKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

/** A short, log-safe description of a rejected message (its type, never its content). */
export function describeMessage(raw: unknown): string {
  if (!isObject(raw))
    return raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
  const type = raw['type'];
  return typeof type === 'string'
    ? `type ${JSON.stringify(type.slice(0, 40))}`
    : 'an object without a string type';
}

/** `{ type, <key>: a non-empty string }` and nothing else, rebuilt; null otherwise. */
export function stringMessage<T extends string, K extends string>(
  raw: Record<string, unknown>,
  type: T,
  key: K,
): ({ type: T } & Record<K, string>) | null {
  const value = raw[key];
  if (!hasExactKeys(raw, ['type', key]) || !isNonEmptyString(value)) return null;
  return { type, [key]: value } as { type: T } & Record<K, string>;
}
