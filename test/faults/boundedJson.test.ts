/** The depth check that runs before a node's JSON is parsed: a loop, and strings do not count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nestingExceeds, parseBoundedJson } from '../../src/runtime/boundedJson';

test('brackets inside strings, escaped quotes included, do not count as nesting', () => {
  const text = JSON.stringify({ s: `"\\${'['.repeat(1000)}`, t: '{{{' });
  assert.equal(nestingExceeds(text, 1), false);
  assert.deepEqual(parseBoundedJson(text, 1, 'output JSON'), {
    ok: true,
    value: JSON.parse(text) as unknown,
  });
});

test('depth is counted exactly, and 1,000,000 levels are refused without recursion', () => {
  assert.equal(nestingExceeds('[[{"a":[]}]]', 4), false);
  assert.equal(nestingExceeds('[[{"a":[[]]}]]', 4), true);
  const huge = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
  const r = parseBoundedJson(huge, 256, 'body JSON');
  assert.deepEqual(r, {
    ok: false,
    limit: true,
    error: 'body JSON is nested deeper than 256 levels',
  });
});

test('invalid JSON is reported as such, not as a limit', () => {
  const r = parseBoundedJson('{"a": ', 256, 'output JSON');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.limit, false);
  assert.match(!r.ok ? r.error : '', /^output JSON is not valid JSON: /);
});
