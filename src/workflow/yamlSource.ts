/**
 * Reading a parsed YAML document with positions: every value comes with the range it was
 * written at, so each problem points at the exact key or value at fault. The workflow rules
 * live in the modules parse.ts composes; this one only knows YAML (maps, lists, scalars,
 * aliases, `<<` merges).
 */
import { MAX_MESSAGE_LENGTH } from './limits';
import { clip } from './quote';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node as YamlNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { SourcePosition, SourceRange, WorkflowProblem } from './types';

export type { YamlNode };

/** One key of a map, with where the key and its value are. */
export interface Entry {
  key: string;
  keyRange: SourceRange;
  /** null when the key has no value (`timeout:`). Aliases are already resolved. */
  value: YamlNode | null;
  /** The value's range, or the key's when there is no value to point at. */
  valueRange: SourceRange;
}

/** A problem-collecting view of one document. */
export class Source {
  readonly problems: WorkflowProblem[] = [];
  /** Maps being merged right now, so `&a { <<: *a }` cannot recurse forever. */
  private readonly merging = new Set<YAMLMap>();
  /** Entries of maps already merged: nested `<<` of many aliases stays linear, not exponential. */
  private readonly merged = new Map<YAMLMap, Entry[]>();

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly lines: LineCounter,
    readonly doc: Document,
  ) {}

  pos(offset: number): SourcePosition {
    const p = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, col: p.col };
  }

  span(start: number, end: number): SourceRange {
    return { start: this.pos(start), end: this.pos(Math.max(start, end)) };
  }

  /** The node's value range (its trailing comment and newline excluded). */
  rangeOf(node: YamlNode | null | undefined, fallback: SourceRange): SourceRange {
    const r = node?.range;
    if (!r) return fallback;
    // Block collections end after their last line break; stop at the last visible character.
    let end = r[1];
    while (end > r[0] && /\s/.test(this.text[end - 1] ?? '')) end--;
    return this.span(r[0], end);
  }

  error(range: SourceRange, message: string): void {
    this.problems.push({
      file: this.file,
      message: clip(message, MAX_MESSAGE_LENGTH),
      range,
      severity: 'error',
    });
  }

  warn(range: SourceRange, message: string): void {
    this.problems.push({
      file: this.file,
      message: clip(message, MAX_MESSAGE_LENGTH),
      range,
      severity: 'warning',
    });
  }

  /** Follows an alias to its anchored node; an alias to no anchor is a problem. */
  resolve(node: unknown, at: SourceRange): YamlNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.error(
          this.rangeOf(node, at),
          `\`*${node.source}\` refers to no anchor \`&${node.source}\``,
        );
        return null;
      }
      return target;
    }
    return node as YamlNode;
  }

  /**
   * The raw text of a plain scalar, so `1.10` stays `1.10` when a number is used as a string
   * (an env value, a version); other scalars give their parsed value.
   */
  scalarText(s: Scalar): string {
    if (typeof s.value === 'string') return s.value;
    if (s.type === 'PLAIN' && s.range) return this.text.slice(s.range[0], s.range[1]);
    return String(s.value);
  }

  /**
   * A map's entries in file order. A repeated key is a problem at the repetition that says
   * where the first one is, and the first one wins. `<<: *anchor` merges are expanded, their
   * keys losing to the map's own, as YAML merge keys do.
   */
  entries(map: YAMLMap, duplicateLabel: string): Entry[] {
    const own: Entry[] = [];
    const merged: Entry[] = [];
    const seen = new Map<string, SourceRange>();
    const fallback = this.rangeOf(map, this.span(0, 0));
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key, fallback);
      const keyRange = this.rangeOf(isAlias(pair.key) ? pair.key : keyNode, fallback);
      if (keyNode === null && isAlias(pair.key)) continue; // reported by resolve
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.error(keyRange, 'keys must be plain text');
        continue;
      }
      const key = this.scalarText(keyNode);
      const value = this.resolve(pair.value, keyRange);
      // A dangling alias was just reported; checking the missing value would report it again.
      if (value === null && isAlias(pair.value)) continue;
      // The value as written here: for `key: *anchor`, the alias (problems inside the anchored
      // value still point into it).
      const valueRange = isAlias(pair.value)
        ? this.rangeOf(pair.value, keyRange)
        : this.valueRange(value, keyRange);
      const entry: Entry = { key, keyRange, value, valueRange };
      if (key === '<<' && keyNode.type === 'PLAIN') {
        merged.push(...this.mergeSources(entry));
        continue;
      }
      const first = seen.get(key);
      if (first) {
        this.error(
          keyRange,
          `duplicate ${duplicateLabel} \`${key}\` (first defined at line ${first.start.line}, column ${first.start.col})`,
        );
        continue;
      }
      seen.set(key, keyRange);
      own.push(entry);
    }
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.set(e.key, e.keyRange);
      own.push(e);
    }
    return own;
  }

  private mergeSources(entry: Entry): Entry[] {
    const sources: YamlNode[] = [];
    if (isMap(entry.value)) sources.push(entry.value);
    else if (isSeq(entry.value)) {
      for (const item of entry.value.items) {
        const node = this.resolve(item, entry.valueRange);
        if (node) sources.push(node);
      }
    } else {
      this.error(entry.valueRange, '`<<` merges a map, or a list of maps (usually `*anchor`s)');
      return [];
    }
    const out: Entry[] = [];
    for (const source of sources) {
      if (!isMap(source)) {
        this.error(this.rangeOf(source, entry.valueRange), '`<<` can only merge maps');
        continue;
      }
      if (this.merging.has(source)) {
        this.error(entry.valueRange, '`<<` merges a map into itself');
        continue;
      }
      // Earlier sources win over later ones; within one source the usual duplicate rule holds.
      let entries = this.merged.get(source);
      if (!entries) {
        this.merging.add(source);
        entries = this.entries(source, 'key');
        this.merging.delete(source);
        this.merged.set(source, entries);
      }
      for (const x of entries) out.push(x);
    }
    return out;
  }

  private valueRange(value: YamlNode | null, keyRange: SourceRange): SourceRange {
    // An empty value (`key:`) is a null scalar with an empty range: point at the key instead.
    if (!value?.range || value.range[0] === value.range[1]) return keyRange;
    return this.rangeOf(value, keyRange);
  }

  /** List items with their ranges (aliases resolved). */
  items(seq: YAMLSeq, fallback: SourceRange): { node: YamlNode | null; range: SourceRange }[] {
    const out: { node: YamlNode | null; range: SourceRange }[] = [];
    for (const item of seq.items) {
      const range = this.rangeOf(item as YamlNode | null, fallback);
      const node = this.resolve(item, range);
      if (node === null && isAlias(item)) continue; // reported by resolve
      out.push({ node, range });
    }
    return out;
  }
}

/** `a map`, `a list`, `the number 3`, … for "expected X, found Y" messages. */
export function describe(node: YamlNode | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string')
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return String(v);
  }
  return 'an unsupported value';
}

export { isMap, isScalar, isSeq };
