/**
 * A switch's `on` condition: parsed once when read, with the source range of any character
 * of it, so problems point inside the condition.
 */
import type { Scalar } from 'yaml';
import { parseExpression, type Expr } from './expression';
import { describe, isScalar, type Entry, type Source } from './yamlSource';
import type { SourceRange } from './types';

export interface Condition {
  src: string;
  scalar: Scalar;
  ast: Expr | null;
}

export function conditionValue(src: Source, e: Entry): Condition | null {
  const scalar = isScalar(e.value) ? e.value : null;
  const v = scalar?.value;
  if (!scalar || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
    src.error(
      e.valueRange,
      `\`on\` must be a condition such as \`transform.outputs.rows > 0\`, found ${describe(e.value)}`,
    );
    return null;
  }
  const text = src.scalarText(scalar);
  const parsed = parseExpression(text);
  if ('error' in parsed) {
    src.error(
      conditionRange(src, scalar, text, parsed.offset, parsed.end),
      `bad condition: ${parsed.error}`,
    );
    return { src: text, scalar, ast: null };
  }
  return { src: text, scalar, ast: parsed.ast };
}

/**
 * The source range of characters start..end of a condition. Exact when the scalar is written
 * on one line without escapes (plain or quoted); otherwise the whole value.
 */
export function conditionRange(
  src: Source,
  scalar: Scalar,
  text: string,
  start: number,
  end: number,
): SourceRange {
  const whole = src.rangeOf(scalar, src.span(0, 0));
  const r = scalar.range;
  if (!r) return whole;
  const raw = src.text.slice(r[0], r[1]);
  let base: number | null = null;
  if (scalar.type === 'PLAIN' && raw === text) base = r[0];
  else if (
    (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') &&
    raw.slice(1, -1) === text
  )
    base = r[0] + 1;
  if (base === null) return whole;
  // A zero-width error still marks one character: the next one, or the last when the
  // condition ends too early.
  let from = start;
  let to = end;
  if (to <= from) {
    if (from < text.length) to = from + 1;
    else if (from > 0) from = (to = from) - 1;
  }
  return src.span(base + from, base + to);
}
