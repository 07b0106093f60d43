/**
 * The condition language of `switch` nodes, e.g. `transform.outputs.rows > 0 && !(check.status == 'failed')`.
 * Interpreted over a parsed tree (never eval or Function), so a workflow file cannot run code
 * through a condition, and errors carry offsets the parser turns into line:col.
 *
 * - Literals: numbers (`3`, `-1.5`, `2e3`), `'strings'` and `"strings"` (escapes `\\ \' \" \n \t`),
 *   `true`, `false`, `null`.
 * - Paths: `<node id>.outputs.<key>...` or `<node id>.status`; `[0]` or `['odd key']` index;
 *   `.length` of a list or a string. A missing key reads as undefined (like `?.`); only own
 *   properties of plain data are read, so `constructor` and friends are never reached.
 * - `==` `!=` compare JSON values deeply (undefined equals null); `<` `<=` `>` `>=` need two
 *   numbers or two strings, anything else is an error that names the path.
 * - `!`, `&&`, `||` (both give booleans), parentheses. Comparisons do not chain.
 * - Truthiness is Python's, as in the original SDK: null, false, 0, '', [] and {} are false.
 *
 * Node ids may contain `-` and there is no subtraction, so `load-db.outputs.rows` is one path.
 */

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicOp = '&&' | '||';

/** `start`/`end` are offsets into the source (end exclusive). */
interface Span {
  start: number;
  end: number;
}

export interface LiteralExpr extends Span {
  kind: 'literal';
  value: string | number | boolean | null;
}

export interface PathSegment extends Span {
  key: string | number;
}

export interface PathExpr extends Span {
  kind: 'path';
  /** The node id the path starts at. */
  root: string;
  segments: PathSegment[];
  /** As written, for error messages: `transform.outputs.rows`. */
  text: string;
}

export interface UnaryExpr extends Span {
  kind: 'not' | 'negate';
  operand: Expr;
}

export interface BinaryExpr extends Span {
  kind: 'compare' | 'logic';
  op: CompareOp | LogicOp;
  left: Expr;
  right: Expr;
}

export type Expr = LiteralExpr | PathExpr | UnaryExpr | BinaryExpr;

export type ParseResult = { ast: Expr } | { error: string; offset: number; end: number };

/** An evaluation error (a type mismatch); parse errors are reported by parseExpression. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

/** Deeper nesting is refused rather than risking the parser's stack. */
const MAX_DEPTH = 64;
const MAX_LENGTH = 10_000;

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | (Span & { t: 'num'; value: number })
  | (Span & { t: 'str'; value: string })
  | (Span & { t: 'ident'; value: string })
  | (Span & { t: 'op'; value: string })
  | (Span & { t: 'eof' });

class SyntaxFault {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly end: number,
  ) {}
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_REST = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
};
const TWO_CHAR_OPS = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR_OPS = '<>!()[].-';

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (DIGIT.test(c)) {
      const m = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const text = (m.exec(src) as RegExpExecArray)[0];
      i += text.length;
      if (i < src.length && IDENT_REST.test(src[i] as string)) {
        throw new SyntaxFault(`\`${text}${src[i] ?? ''}\` is not a number`, start, i + 1);
      }
      tokens.push({ t: 'num', value: Number(text), start, end: i });
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < src.length && IDENT_REST.test(src[i] as string)) i++;
      tokens.push({ t: 'ident', value: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new SyntaxFault('this string is never closed', start, start + 1);
        const d = src[i] as string;
        if (d === c) break;
        if (d === '\\') {
          const e = src[i + 1];
          const mapped = e === undefined ? undefined : ESCAPES[e];
          if (mapped === undefined) {
            throw new SyntaxFault(
              `unknown escape \`\\${e ?? ''}\``,
              i,
              Math.min(i + 2, src.length),
            );
          }
          value += mapped;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ t: 'str', value, start, end: i });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (src.slice(i, i + 3) === '===' || src.slice(i, i + 3) === '!==') {
      throw new SyntaxFault(`use \`${two}\` (it already compares strictly)`, i, i + 3);
    }
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ t: 'op', value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '=') throw new SyntaxFault('use `==` to compare', i, i + 1);
    if (c === '&') throw new SyntaxFault('use `&&` for "and"', i, i + 1);
    if (c === '|') throw new SyntaxFault('use `||` for "or"', i, i + 1);
    if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ t: 'op', value: c, start, end: i + 1 });
      i++;
      continue;
    }
    throw new SyntaxFault(`unexpected character \`${c}\``, i, i + 1);
  }
  tokens.push({ t: 'eof', start: src.length, end: src.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser: or := and ('||' and)* ; and := cmp ('&&' cmp)* ; cmp := unary (CMP unary)? ;
// unary := ('!' | '-') unary | primary ; primary := literal | path | '(' or ')'

const COMPARE_OPS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];
const KEYWORDS: Record<string, boolean | null> = { true: true, false: false, null: null };

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parse(): Expr {
    const first = this.peek();
    if (first.t === 'eof') throw new SyntaxFault('the condition is empty', 0, 0);
    const expr = this.or();
    const rest = this.peek();
    if (rest.t !== 'eof') {
      const hint = rest.t === 'op' && rest.value === ')' ? ' (a `(` is missing)' : '';
      throw new SyntaxFault(
        `unexpected ${this.describe(rest)} after the condition${hint}`,
        rest.start,
        rest.end,
      );
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.tokens[this.pos] as Token;
    if (t.t !== 'eof') this.pos++;
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.value === value;
  }

  /** A fault at token `t`: at least one character wide, except at the end of the source. */
  private fault(message: string, t: Token): SyntaxFault {
    return new SyntaxFault(
      message,
      t.start,
      Math.min(Math.max(t.end, t.start + 1), this.src.length),
    );
  }

  private describe(t: Token): string {
    if (t.t === 'eof') return 'end of condition';
    return `\`${this.src.slice(t.start, t.end)}\``;
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_DEPTH)
      throw new SyntaxFault('the condition is nested too deeply', at.start, at.end);
  }

  private or(): Expr {
    return this.logic('||', () => this.and());
  }

  private and(): Expr {
    return this.logic('&&', () => this.compare());
  }

  /** Operands joined by `op`, grouped from the left: `a || b || c` is `(a || b) || c`. */
  private logic(op: LogicOp, operand: () => Expr): Expr {
    let left = operand();
    while (this.isOp(op)) {
      this.next();
      const right = operand();
      left = { kind: 'logic', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private compare(): Expr {
    const left = this.unary();
    const t = this.peek();
    if (t.t !== 'op' || !COMPARE_OPS.includes(t.value)) return left;
    this.next();
    const right = this.unary();
    const again = this.peek();
    if (again.t === 'op' && COMPARE_OPS.includes(again.value)) {
      throw new SyntaxFault(
        'comparisons do not chain: join them with `&&`',
        again.start,
        again.end,
      );
    }
    return {
      kind: 'compare',
      op: t.value as CompareOp,
      left,
      right,
      start: left.start,
      end: right.end,
    };
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.t === 'op' && (t.value === '!' || t.value === '-')) {
      this.next();
      this.enter(t);
      const operand = this.unary();
      this.depth--;
      return {
        kind: t.value === '!' ? 'not' : 'negate',
        operand,
        start: t.start,
        end: operand.end,
      };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'str':
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'ident': {
        // `true.outputs` is a node named `true`; a lone `true` is the literal.
        // hasOwn: `toString` is a node id, not Object.prototype's.
        if (Object.hasOwn(KEYWORDS, t.value) && !this.isOp('.') && !this.isOp('[')) {
          return { kind: 'literal', value: KEYWORDS[t.value] ?? null, start: t.start, end: t.end };
        }
        return this.path(t);
      }
      case 'op':
        if (t.value === '(') {
          this.enter(t);
          const inner = this.or();
          this.depth--;
          const close = this.next();
          if (close.t !== 'op' || close.value !== ')') {
            throw this.fault(
              `expected \`)\` to close the \`(\` at ${t.start + 1}, found ${this.describe(close)}`,
              close,
            );
          }
          return inner;
        }
        throw new SyntaxFault(`expected a value, found ${this.describe(t)}`, t.start, t.end);
      case 'eof':
        throw new SyntaxFault('the condition ends too early: a value is missing', t.start, t.end);
    }
  }

  private path(root: Token & { t: 'ident' }): PathExpr {
    const segments: PathSegment[] = [];
    let end = root.end;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.t !== 'ident') {
          const hint = name.t === 'num' ? ' (index a list with `[0]`)' : '';
          throw this.fault(`expected a key after \`.\`, found ${this.describe(name)}${hint}`, name);
        }
        segments.push({ key: name.value, start: name.start, end: name.end });
        end = name.end;
      } else if (this.isOp('[')) {
        const open = this.next();
        const key = this.next();
        if (key.t !== 'num' && key.t !== 'str') {
          throw this.fault(
            `expected a number or a quoted key inside \`[ ]\`, found ${this.describe(key)}`,
            key,
          );
        }
        const close = this.next();
        if (close.t !== 'op' || close.value !== ']') {
          throw this.fault(`expected \`]\` to close the \`[\` at ${open.start + 1}`, close);
        }
        segments.push({ key: key.value, start: open.start, end: close.end });
        end = close.end;
      } else {
        break;
      }
    }
    return {
      kind: 'path',
      root: root.value,
      segments,
      text: this.src.slice(root.start, end),
      start: root.start,
      end,
    };
  }
}

/** Parses a condition. Offsets in errors are 0-based into `src`; `end` is exclusive. */
export function parseExpression(src: string): ParseResult {
  if (src.length > MAX_LENGTH) {
    return { error: `the condition is longer than ${MAX_LENGTH} characters`, offset: 0, end: 0 };
  }
  try {
    return { ast: new Parser(tokenize(src), src).parse() };
  } catch (err) {
    if (err instanceof SyntaxFault) return { error: err.message, offset: err.offset, end: err.end };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function member(value: unknown, key: string | number): unknown {
  if (typeof value === 'string' || Array.isArray(value)) {
    if (key === 'length') return value.length;
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < value.length) {
      return value[key] as unknown;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    const k = String(key);
    return Object.hasOwn(value, k) ? value[k] : undefined;
  }
  return undefined;
}

/** Python-like: empty containers are false, so `on: extract.outputs.items` means "any items". */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => jsonEqual(v, y[i]));
  }
  if (isPlainObject(x) && isPlainObject(y)) {
    const kx = Object.keys(x).filter((k) => x[k] !== undefined);
    const ky = Object.keys(y).filter((k) => y[k] !== undefined);
    return kx.length === ky.length && kx.every((k) => Object.hasOwn(y, k) && jsonEqual(x[k], y[k]));
  }
  return false;
}

function show(expr: Expr, value: unknown): string {
  const what =
    value === undefined
      ? 'undefined'
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'a list'
          : typeof value === 'object'
            ? 'an object'
            : typeof value === 'string'
              ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
              : typeof value === 'number'
                ? `the number ${value}`
                : typeof value === 'boolean'
                  ? String(value)
                  : typeof value;
  return expr.kind === 'path' ? `\`${expr.text}\` is ${what}` : what;
}

/**
 * Evaluates a parsed condition. `context` maps node ids to `{ outputs, status }`. Throws
 * ExpressionError when an ordering compares values that are not both numbers or both strings.
 */
export function evaluate(ast: Expr, context: Readonly<Record<string, unknown>>): unknown {
  switch (ast.kind) {
    case 'literal':
      return ast.value;
    case 'path': {
      let v: unknown = Object.hasOwn(context, ast.root) ? context[ast.root] : undefined;
      for (const s of ast.segments) v = member(v, s.key);
      return v;
    }
    case 'not':
      return !truthy(evaluate(ast.operand, context));
    case 'negate': {
      const v = evaluate(ast.operand, context);
      if (typeof v !== 'number')
        throw new ExpressionError(`\`-\` needs a number, but ${show(ast.operand, v)}`);
      return -v;
    }
    case 'logic': {
      const left = truthy(evaluate(ast.left, context));
      if (ast.op === '&&') return left && truthy(evaluate(ast.right, context));
      return left || truthy(evaluate(ast.right, context));
    }
    case 'compare': {
      const l = evaluate(ast.left, context);
      const r = evaluate(ast.right, context);
      switch (ast.op) {
        case '==':
          return jsonEqual(l, r);
        case '!=':
          return !jsonEqual(l, r);
        default: {
          const comparable =
            (typeof l === 'number' && typeof r === 'number') ||
            (typeof l === 'string' && typeof r === 'string');
          if (!comparable) {
            const bad =
              typeof l === 'number' || typeof l === 'string'
                ? show(ast.right, r)
                : show(ast.left, l);
            throw new ExpressionError(`\`${ast.op}\` needs two numbers or two strings, but ${bad}`);
          }
          const a = l;
          const b = r;
          if (ast.op === '<') return a < b;
          if (ast.op === '<=') return a <= b;
          if (ast.op === '>') return a > b;
          return a >= b;
        }
      }
    }
  }
}

/** Parses and evaluates `src`, then applies truthiness. Throws ExpressionError on any error. */
export function evaluateCondition(
  src: string,
  context: Readonly<Record<string, unknown>>,
): boolean {
  const parsed = parseExpression(src);
  if ('error' in parsed) {
    throw new ExpressionError(`${parsed.error} (at character ${parsed.offset + 1})`);
  }
  return truthy(evaluate(parsed.ast, context));
}

/** Every path in the condition, in source order, for the validator to check and locate. */
export function pathsOf(ast: Expr): PathExpr[] {
  switch (ast.kind) {
    case 'literal':
      return [];
    case 'path':
      return [ast];
    case 'not':
    case 'negate':
      return pathsOf(ast.operand);
    case 'compare':
    case 'logic':
      return [...pathsOf(ast.left), ...pathsOf(ast.right)];
  }
}

/** The node ids a condition reads, each once, in source order. */
export function referencedNodes(ast: Expr): string[] {
  return [...new Set(pathsOf(ast).map((p) => p.root))];
}
