/**
 * Readers for one value of a workflow file: each checks the value's kind, reports a problem at
 * the value when it is wrong, and returns undefined then.
 */
import { didYouMean } from './suggest';
import { clip } from './quote';
import { MAX_DURATION_MS, formatDuration, parseDuration } from './duration';
import {
  describe,
  isMap,
  isScalar,
  isSeq,
  type Entry,
  type Source,
  type YamlNode,
} from './yamlSource';
import type { SourceRange } from './types';

/** An id as written in a list, with where. */
export interface Ref {
  id: string;
  range: SourceRange;
}

export function stringValue(
  src: Source,
  e: Entry,
  opts: { nonEmpty: boolean },
): string | undefined {
  if (!isScalar(e.value) || typeof e.value.value !== 'string') {
    src.error(e.valueRange, `\`${clip(e.key)}\` must be a string, found ${describe(e.value)}`);
    return undefined;
  }
  if (opts.nonEmpty && e.value.value.trim() === '') {
    src.error(e.valueRange, `\`${clip(e.key)}\` is empty`);
    return undefined;
  }
  return e.value.value;
}

export function enumValue<T extends string>(
  src: Source,
  e: Entry,
  allowed: readonly T[],
): T | undefined {
  const raw = isScalar(e.value) && typeof e.value.value === 'string' ? e.value.value : null;
  if (raw !== null && (allowed as readonly string[]).includes(raw)) return raw as T;
  const shown = raw === null ? describe(e.value) : `\`${clip(raw)}\``;
  const hint = raw === null ? '' : didYouMean(raw, allowed);
  src.error(
    e.valueRange,
    `\`${clip(e.key)}\` must be ${allowed.map((a) => `\`${a}\``).join(' or ')}, found ${shown}${hint}`,
  );
  return undefined;
}

export function integerValue(
  src: Source,
  e: Entry,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) {
    if (v <= max) return v;
    src.error(e.valueRange, `\`${clip(e.key)}\` must be at most ${max}, found the number ${v}`);
    return undefined;
  }
  const want = min === 0 ? 'a whole number, 0 or more' : `a whole number, ${min} or more`;
  src.error(e.valueRange, `\`${clip(e.key)}\` must be ${want}, found ${describe(e.value)}`);
  return undefined;
}

export function booleanValue(src: Source, e: Entry): boolean | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'boolean') return v;
  src.error(e.valueRange, `\`${clip(e.key)}\` must be true or false, found ${describe(e.value)}`);
  return undefined;
}

export function timeoutValue(src: Source, e: Entry): number | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'number' && typeof v !== 'string') {
    src.error(
      e.valueRange,
      `\`timeout\` must be a duration like 30s, 10m or 1m30s, or a number of seconds; found ${describe(e.value)}`,
    );
    return undefined;
  }
  const r = parseDuration(v);
  if ('error' in r) {
    src.error(e.valueRange, `bad \`timeout\`: ${r.error}`);
    return undefined;
  }
  if (r.ms <= 0) {
    src.error(
      e.valueRange,
      `\`timeout\` must be longer than 0 (at most ${formatDuration(MAX_DURATION_MS)}); leave it out for the default`,
    );
    return undefined;
  }
  return r.ms;
}

/** A list of strings, or (with `single`) one string meaning a one-item list. */
export function stringList(
  src: Source,
  e: Entry,
  opts: { coerce: boolean; single: boolean },
): Ref[] | undefined {
  const expected = opts.single ? 'a string or a list of strings' : 'a list of strings';
  if (isScalar(e.value) && typeof e.value.value === 'string' && opts.single) {
    return [{ id: e.value.value, range: e.valueRange }];
  }
  if (!isSeq(e.value)) {
    src.error(e.valueRange, `\`${clip(e.key)}\` must be ${expected}, found ${describe(e.value)}`);
    return undefined;
  }
  const out: Ref[] = [];
  for (const item of src.items(e.value, e.valueRange)) {
    const s = scalarString(src, item.node, opts.coerce);
    if (s === undefined)
      src.error(
        item.range,
        `each item of \`${clip(e.key)}\` must be a string, found ${describe(item.node)}`,
      );
    else out.push({ id: s, range: item.range });
  }
  return out;
}

/** A string; with `coerce`, numbers and booleans as written (`1.10` stays `1.10`). */
function scalarString(src: Source, node: YamlNode | null, coerce: boolean): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (coerce && (typeof v === 'number' || typeof v === 'boolean')) return src.scalarText(node);
  return undefined;
}

/** `env` and `headers`: string values, numbers and booleans coerced as written. */
export function stringMap(
  src: Source,
  e: Entry,
  checkName: (name: string, at: SourceRange) => void,
  checkValue: (value: string, at: SourceRange) => void = () => undefined,
): Record<string, string> | undefined {
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) return {};
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `\`${clip(e.key)}\` must be a map of names to strings, found ${describe(e.value)}`,
    );
    return undefined;
  }
  // Collected as pairs: `out[key] = …` with a key like `__proto__` would not make a property.
  const out: [string, string][] = [];
  for (const x of src.entries(e.value, 'name')) {
    checkName(x.key, x.keyRange);
    const s = scalarString(src, x.value, true);
    if (s === undefined) {
      src.error(
        x.valueRange,
        `\`${clip(e.key)}.${clip(x.key)}\` must be a string (numbers and true/false are turned into strings), found ${describe(x.value)}`,
      );
    } else {
      checkValue(s, x.valueRange);
      out.push([x.key, s]);
    }
  }
  return Object.fromEntries(out);
}

export function plainData(src: Source, e: Entry): unknown {
  if (e.value === null) return null;
  try {
    // maxAliasCount keeps an alias bomb from expanding into gigabytes.
    return e.value.toJS(src.doc, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    src.error(e.valueRange, `\`${clip(e.key)}\` cannot be read: ${(err as Error).message}`);
    return undefined;
  }
}
