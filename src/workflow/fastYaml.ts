/**
 * A fast reader for the plainest shape of a big workflow file: top-level `key: value` lines and
 * one level of block map under a key (`nodes:`), each value on its line as a plain or quoted
 * scalar or a flow map or list (`n1: { type: shell, run: "true", needs: [n0] }`). The yaml
 * package's full parse of such a file (CST, then compose) costs a quarter of a millisecond a
 * node; this builds the same nodes with the same ranges in one pass over the text.
 *
 * Anything else (comments, blank lines, block lists, anchors, tags, escapes, multi-line values,
 * tabs...) returns null and the caller parses with the yaml package as before, so every file
 * outside the shape keeps its exact positions and messages. Plain scalars are resolved by the
 * yaml package's own core-schema tags, as its composer resolves them.
 * test/unit/fastYaml.test.ts checks node for node against the yaml package on generated files.
 */
import {
  Document,
  LineCounter,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node as YamlNode,
  type ScalarTag,
} from 'yaml';

/** A document as parseDocument would give it, with its line starts, or null: not this shape. */
export interface FastParse {
  doc: Document;
  lines: LineCounter;
}

class NotPlain extends Error {}

const KEY = /[A-Za-z_$][\w$-]*/y;
/** Plain scalar characters: no indicator, no `:` or `#`, so no context can read them otherwise. */
const PLAIN = /[A-Za-z0-9_.~$+=/-]+(?: +[A-Za-z0-9_.~$+=/-]+)*/y;
const DOUBLE = /"[^"\\\n]*"/y;
const SINGLE = /'[^'\n]*'/y;
/**
 * Every tag of the core schema (null, bool, int, float) matches only text starting with one of
 * these; anything else is a string without trying each tag's pattern (most keys and values).
 */
const MAYBE_TAGGED = /^[~NnTtFf0-9+.-]|^$/;

type Range = [number, number, number];

export function parsePlainWorkflowYaml(text: string): FastParse | null {
  if (text.includes('\t') || text.includes('\r')) return null;
  try {
    return new Reader(text).read();
  } catch (err) {
    if (err instanceof NotPlain) return null;
    throw err;
  }
}

class Reader {
  private pos = 0;
  private readonly doc = new Document();
  /** The tags the composer tries on a plain scalar, in its order. */
  private readonly tags = this.doc.schema.tags.filter(
    (t): t is ScalarTag => t.default === true && 'test' in t && t.test !== undefined,
  );

  constructor(private readonly text: string) {}

  read(): FastParse {
    const root = this.blockMap(0);
    if (this.pos < this.text.length) throw new NotPlain();
    this.doc.contents = root;
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) {
      lines.addNewLine(i + 1);
    }
    return { doc: this.doc, lines };
  }

  /** Lines of `key: value` at exactly `indent` spaces, until a line indented less. */
  private blockMap(indent: number): YAMLMap {
    const map = new YAMLMap();
    const start = this.pos + indent;
    let end = start;
    while (this.pos < this.text.length && this.indentAt(this.pos) === indent) {
      this.pos += indent;
      const key = this.key();
      this.expect(':');
      let value: YamlNode;
      if (this.text[this.pos] === '\n') {
        // `key:` alone: a block map one level in (the only nesting this reader takes).
        this.pos++;
        const inner = this.indentAt(this.pos);
        if (indent !== 0 || inner === 0) throw new NotPlain();
        value = this.blockMap(inner);
      } else {
        this.spaces(1);
        value = this.inline();
        if (this.pos < this.text.length) this.expect('\n');
      }
      map.items.push(new Pair(key, value));
      end = (value.range as Range)[1];
    }
    if (map.items.length === 0) throw new NotPlain();
    map.range = [start, end, end];
    return map;
  }

  private indentAt(at: number): number {
    let i = at;
    while (this.text[i] === ' ') i++;
    const c = this.text[i];
    // A blank or a comment line: its place in ranges is the yaml package's to say.
    if (c === '\n' || c === '#' || c === undefined) throw new NotPlain();
    return i - at;
  }

  private key(): Scalar {
    KEY.lastIndex = this.pos;
    const m = KEY.exec(this.text);
    if (!m) throw new NotPlain();
    return this.plain(m[0]);
  }

  private inline(): YamlNode {
    const c = this.text[this.pos];
    if (c === '{') return this.flowMap();
    if (c === '[') return this.flowSeq();
    if (c === '"' || c === "'") {
      const re = c === '"' ? DOUBLE : SINGLE;
      re.lastIndex = this.pos;
      const m = re.exec(this.text);
      if (!m) throw new NotPlain();
      const value = m[0].slice(1, -1);
      const s = new Scalar(value);
      s.type = c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      s.source = value;
      s.range = [this.pos, this.pos + m[0].length, this.pos + m[0].length];
      this.pos += m[0].length;
      return s;
    }
    PLAIN.lastIndex = this.pos;
    const m = PLAIN.exec(this.text);
    // A plain scalar starting with `-` could be a list item.
    if (!m || c === '-') throw new NotPlain();
    return this.plain(m[0]);
  }

  /** A plain scalar at pos, resolved as the yaml package's composer resolves it. */
  private plain(source: string): Scalar {
    const tag = MAYBE_TAGGED.test(source) ? this.tags.find((t) => t.test?.test(source)) : undefined;
    const resolved: unknown = tag
      ? tag.resolve(
          source,
          () => {
            throw new NotPlain();
          },
          this.doc.options,
        )
      : source;
    const s = resolved instanceof Scalar ? resolved : new Scalar(resolved);
    s.type = 'PLAIN';
    s.source = source;
    if (tag?.format) s.format = tag.format;
    s.range = [this.pos, this.pos + source.length, this.pos + source.length];
    this.pos += source.length;
    return s;
  }

  private flowMap(): YAMLMap {
    const map = new YAMLMap();
    map.flow = true;
    const start = this.pos;
    this.items('}', () => {
      const key = this.key();
      this.expect(':');
      this.spaces(1);
      map.items.push(new Pair(key, this.inline()));
    });
    map.range = [start, this.pos, this.pos];
    return map;
  }

  private flowSeq(): YAMLSeq {
    const seq = new YAMLSeq();
    seq.flow = true;
    const start = this.pos;
    this.items(']', () => seq.items.push(this.inline()));
    seq.range = [start, this.pos, this.pos];
    return seq;
  }

  /** `{` or `[`, then items separated by `, ` up to `close`; no trailing comma, one line. */
  private items(close: string, item: () => void): void {
    this.pos++;
    this.spaces(0);
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    for (;;) {
      item();
      this.spaces(0);
      const c = this.text[this.pos];
      this.pos++;
      if (c === close) return;
      if (c !== ',') throw new NotPlain();
      this.spaces(1);
    }
  }

  private spaces(atLeast: number): void {
    const from = this.pos;
    while (this.text[this.pos] === ' ') this.pos++;
    if (this.pos - from < atLeast) throw new NotPlain();
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new NotPlain();
    this.pos++;
  }
}
