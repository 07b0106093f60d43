/** The switch condition language: parsing, evaluation, errors with offsets, and safety. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ExpressionError,
  evaluate,
  evaluateCondition,
  parseExpression,
  pathsOf,
  referencedNodes,
  truthy,
  type Expr,
} from '../../src/workflow/expression';

const ctx = {
  extract: {
    status: 'completed',
    outputs: { items: [1, 2, 3], name: 'orders', empty: [], meta: { 'odd key': 5 } },
  },
  transform: { status: 'completed', outputs: { rows: 42, ratio: 0.25, ok: true, none: null } },
  'load-db': { status: 'failed', outputs: {} },
};

function ast(src: string): Expr {
  const r = parseExpression(src);
  if ('error' in r) assert.fail(`${src}: ${r.error} at ${r.offset}`);
  return r.ast;
}

function value(src: string): unknown {
  return evaluate(ast(src), ctx);
}

function parseError(src: string): { error: string; offset: number; end: number } {
  const r = parseExpression(src);
  assert.ok('error' in r, `expected a parse error for ${src}`);
  return r;
}

test('literals', () => {
  assert.equal(value('42'), 42);
  assert.equal(value('-1.5'), -1.5);
  assert.equal(value('2e3'), 2000);
  assert.equal(value("'it\\'s'"), "it's");
  assert.equal(value('"a\\"b\\n"'), 'a"b\n');
  assert.equal(value('true'), true);
  assert.equal(value('false'), false);
  assert.equal(value('null'), null);
});

test('paths read outputs and status; missing keys are undefined, never errors', () => {
  assert.equal(value('transform.outputs.rows'), 42);
  assert.equal(value('extract.status'), 'completed');
  assert.equal(value('extract.outputs.items.length'), 3);
  assert.equal(value('extract.outputs.name.length'), 6);
  assert.equal(value('extract.outputs.items[1]'), 2);
  assert.equal(value("extract.outputs.meta['odd key']"), 5);
  assert.equal(value('load-db.status'), 'failed');
  assert.equal(value('transform.outputs.nope'), undefined);
  assert.equal(value('transform.outputs.nope.deeper[3]'), undefined);
  assert.equal(value('ghost.outputs.x'), undefined);
  assert.equal(value('extract.outputs.items[9]'), undefined);
});

test('paths reach only own data: no prototype, constructor or functions', () => {
  assert.equal(value('transform.outputs.constructor'), undefined);
  assert.equal(value('transform.outputs.toString'), undefined);
  assert.equal(value("transform.outputs['__proto__']"), undefined);
  assert.equal(value('extract.outputs.items.map'), undefined);
  assert.equal(value('constructor.outputs'), undefined);
  assert.equal(
    evaluate(
      ast('x.outputs.y'),
      JSON.parse('{"x": {"outputs": {"__proto__": {"y": 1}}}}') as Record<string, unknown>,
    ),
    undefined,
  );
});

test('comparisons', () => {
  assert.equal(value('transform.outputs.rows > 0'), true);
  assert.equal(value('transform.outputs.rows >= 42'), true);
  assert.equal(value('transform.outputs.rows < 42'), false);
  assert.equal(value('transform.outputs.ratio <= 0.25'), true);
  assert.equal(value("extract.outputs.name == 'orders'"), true);
  assert.equal(value("extract.outputs.name != 'orders'"), false);
  assert.equal(value("'abc' < 'abd'"), true);
  // == compares JSON values deeply; a missing value equals null.
  assert.equal(value('extract.outputs.empty == extract.outputs.empty'), true);
  assert.equal(value('transform.outputs.none == null'), true);
  assert.equal(value('transform.outputs.missing == null'), true);
  assert.equal(value('transform.outputs.rows == 42'), true);
  assert.equal(value("transform.outputs.rows == '42'"), false);
});

test('logic, negation, precedence and parentheses', () => {
  assert.equal(value('transform.outputs.ok && transform.outputs.rows > 40'), true);
  assert.equal(value('false || transform.outputs.rows == 42'), true);
  assert.equal(value('!transform.outputs.ok'), false);
  assert.equal(value('!(transform.outputs.rows > 100)'), true);
  // && binds tighter than ||.
  assert.equal(value('true || false && false'), true);
  assert.equal(value('(true || false) && false'), false);
  assert.equal(value('- -3'), 3);
  // && and || give booleans, not operands.
  assert.equal(value("'x' && 2"), true);
  // The right side is not evaluated when the left decides: no error here.
  assert.equal(value('false && extract.outputs.name > 3'), false);
});

test('truthiness is Python-like: empty containers are false', () => {
  for (const v of [undefined, null, false, 0, Number.NaN, '', [], {}])
    assert.equal(truthy(v), false, JSON.stringify(v) ?? 'undefined');
  for (const v of [true, 1, -1, 'x', [0], { a: 0 }])
    assert.equal(truthy(v), true, JSON.stringify(v));
  assert.equal(evaluateCondition('extract.outputs.items', ctx), true);
  assert.equal(evaluateCondition('extract.outputs.empty', ctx), false);
  assert.equal(evaluateCondition('load-db.outputs', ctx), false);
});

test('ordering needs two numbers or two strings: the error names the path', () => {
  assert.throws(
    () => evaluateCondition('transform.outputs.missing > 0', ctx),
    (e: unknown) =>
      e instanceof ExpressionError &&
      e.message ===
        '`>` needs two numbers or two strings, but `transform.outputs.missing` is undefined',
  );
  assert.throws(
    () => evaluateCondition("transform.outputs.rows < 'x'", ctx),
    /`<` needs two numbers or two strings, but the string "x"/,
  );
  assert.throws(
    () => evaluateCondition('-extract.outputs.name', ctx),
    /`-` needs a number, but `extract.outputs.name` is the string "orders"/,
  );
});

test('evaluateCondition reports parse errors with the character position', () => {
  assert.throws(
    () => evaluateCondition('a.outputs.x >', ctx),
    (e: unknown) => e instanceof ExpressionError && /at character 14/.test(e.message),
  );
});

test('syntax errors carry offsets (0-based, end exclusive)', () => {
  assert.deepEqual(parseError(''), { error: 'the condition is empty', offset: 0, end: 0 });
  assert.deepEqual(parseError('a.outputs.x = 1'), {
    error: 'use `==` to compare',
    offset: 12,
    end: 13,
  });
  assert.deepEqual(parseError('a === 1'), {
    error: 'use `==` (it already compares strictly)',
    offset: 2,
    end: 5,
  });
  assert.deepEqual(parseError('a & b'), { error: 'use `&&` for "and"', offset: 2, end: 3 });
  assert.deepEqual(parseError('a | b'), { error: 'use `||` for "or"', offset: 2, end: 3 });
  assert.deepEqual(parseError("'abc"), { error: 'this string is never closed', offset: 0, end: 1 });
  assert.deepEqual(parseError("'a\\qb'"), { error: 'unknown escape `\\q`', offset: 2, end: 4 });
  assert.deepEqual(parseError('1 < 2 < 3'), {
    error: 'comparisons do not chain: join them with `&&`',
    offset: 6,
    end: 7,
  });
  assert.deepEqual(parseError('(a.status == 1'), {
    error: 'expected `)` to close the `(` at 1, found end of condition',
    offset: 14,
    end: 14,
  });
  assert.deepEqual(parseError('a.status)'), {
    error: 'unexpected `)` after the condition (a `(` is missing)',
    offset: 8,
    end: 9,
  });
  assert.deepEqual(parseError('a.'), {
    error: 'expected a key after `.`, found end of condition',
    offset: 2,
    end: 2,
  });
  assert.deepEqual(parseError('a.outputs.0'), {
    error: 'expected a key after `.`, found `0` (index a list with `[0]`)',
    offset: 10,
    end: 11,
  });
  assert.deepEqual(parseError('a.outputs[x]'), {
    error: 'expected a number or a quoted key inside `[ ]`, found `x`',
    offset: 10,
    end: 11,
  });
  assert.deepEqual(parseError('a.outputs[0'), {
    error: 'expected `]` to close the `[` at 10',
    offset: 11,
    end: 11,
  });
  assert.deepEqual(parseError('12abc'), { error: '`12a` is not a number', offset: 0, end: 3 });
  assert.deepEqual(parseError('a @ b'), { error: 'unexpected character `@`', offset: 2, end: 3 });
  assert.deepEqual(parseError('a &&'), {
    error: 'the condition ends too early: a value is missing',
    offset: 4,
    end: 4,
  });
  assert.deepEqual(parseError('a.status b'), {
    error: 'unexpected `b` after the condition',
    offset: 9,
    end: 10,
  });
  assert.deepEqual(parseError('== 1'), {
    error: 'expected a value, found `==`',
    offset: 0,
    end: 2,
  });
});

test('deep nesting and very long conditions are refused, not a stack overflow', () => {
  const deep = `${'('.repeat(200)}1${')'.repeat(200)}`;
  assert.match(parseError(deep).error, /nested too deeply/);
  assert.match(parseError('!'.repeat(200) + 'true').error, /nested too deeply/);
  assert.match(
    parseError(`a.status == '${'x'.repeat(20_000)}'`).error,
    /longer than 10000 characters/,
  );
  assert.equal(value(`${'('.repeat(50)}1${')'.repeat(50)}`), 1);
});

test('node ids with dashes are single paths; keywords followed by a path are node ids', () => {
  const p = pathsOf(ast('load-db.outputs.rows-total > 0'));
  assert.deepEqual(
    p.map((x) => [x.root, x.segments.map((s) => s.key), x.text]),
    [['load-db', ['outputs', 'rows-total'], 'load-db.outputs.rows-total']],
  );
  assert.equal(evaluate(ast('true.outputs.x'), { true: { outputs: { x: 7 } } }), 7);
});

test('referencedNodes lists each node once, in order; pathsOf keeps positions', () => {
  const a = ast("b.outputs.x > 0 && (a.status == 'completed' || b.outputs.y) && !c.outputs.z");
  assert.deepEqual(referencedNodes(a), ['b', 'a', 'c']);
  assert.deepEqual(
    pathsOf(a).map((p) => [p.root, p.start, p.end, p.segments[0]?.start]),
    [
      ['b', 0, 11, 2],
      ['a', 20, 28, 22],
      ['b', 47, 58, 49],
      ['c', 64, 75, 66],
    ],
  );
  assert.deepEqual(referencedNodes(ast('1 < 2')), []);
});

test('conditions are interpreted, never executed as JavaScript', () => {
  const marker = globalThis as { pwned?: boolean };
  for (const src of [
    'globalThis.pwned = true',
    'process.exit(1)',
    'require("fs")',
    '`x`',
    'a => 1',
    'x; y',
  ]) {
    const r = parseExpression(src);
    assert.ok('error' in r, src);
  }
  assert.equal(marker.pwned, undefined);
});

test('names of Object.prototype members are node ids, not keywords', () => {
  assert.deepEqual(referencedNodes(ast('toString')), ['toString']);
  assert.equal(value('toString'), undefined);
  assert.equal(value('hasOwnProperty.outputs'), undefined);
});
