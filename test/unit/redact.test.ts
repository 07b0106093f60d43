import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { looksSecret, secretValues, StreamRedactor } from '../../src/runtime/redact';

test('names that look secret are recognised', () => {
  for (const name of [
    'API_KEY',
    'GITHUB_TOKEN',
    'DB_PASSWORD',
    'aws_secret_access_key',
    'SESSION_COOKIE',
  ]) {
    assert.ok(looksSecret(name), name);
  }
  for (const name of ['PATH', 'HOME', 'ROWS', 'LANG']) assert.ok(!looksSecret(name), name);
});

test('secret values are collected longest first and short ones ignored', () => {
  assert.deepEqual(
    secretValues({ API_KEY: 'abcd', TOKEN: 'abcdefgh', PASSWORD: 'x', PATH: '/usr/bin' }),
    ['abcdefgh', 'abcd'],
  );
});

test('a secret split across chunks is still redacted', () => {
  const r = new StreamRedactor(['hunter2hunter2']);
  let text = '';
  for (const part of ['password is hun', 'ter2hu', 'nter2 ok\n', 'again hunter2hunter2']) {
    text += r.push(Buffer.from(part));
  }
  text += r.end();
  assert.equal(text, 'password is *** ok\nagain ***');
  assert.ok(!text.includes('hunter2'));
});

test('without secrets the stream passes through, multi-byte characters intact', () => {
  const r = new StreamRedactor([]);
  const bytes = Buffer.from('héllo ✓');
  const text = r.push(bytes.subarray(0, 2)) + r.push(bytes.subarray(2)) + r.end();
  assert.equal(text, 'héllo ✓');
});
