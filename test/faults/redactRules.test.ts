/**
 * Redaction hides secrets and only secrets: the name rules (whole tokens of the variable name),
 * the names that are never secrets (paths, sockets, the session's plumbing), credentials in URLs,
 * and names the user adds.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args';
import { extractMetrics } from '../../src/runtime/nodeOutput';
import { runSecrets } from '../../src/runtime/secretNames';
import {
  looksSecret,
  redactText,
  redactValue,
  secretValues,
  StreamRedactor,
} from '../../src/runtime/redact';

test('secret-ish words match as whole tokens of the name, in any case style', () => {
  for (const name of [
    'API_KEY',
    'APIKEY',
    'apiKey',
    'x-api-key',
    'GITHUB_TOKEN',
    'githubToken',
    'DB_PASSWORD',
    'DB_PASSWD',
    'MYSQL_PASS',
    'aws_secret_access_key',
    'AWS_ACCESS_KEY_ID',
    'SSH_PRIVATE_KEY',
    'GCP_CREDENTIALS',
    'CREDENTIAL',
    'BASIC_AUTH',
    'Authorization',
    'SESSION_COOKIE',
    'REQUEST_SIGNATURE',
    'SENTRY_DSN',
  ]) {
    assert.ok(looksSecret(name), `${name} is a secret name`);
  }
});

test('paths, sockets and ordinary names are never secrets', () => {
  for (const name of [
    'PWD',
    'OLDPWD',
    'HOME',
    'USER',
    'SHELL',
    'PATH',
    'XDG_SESSION_CLASS',
    'XDG_RUNTIME_DIR',
    'XDG_SESSION_TYPE',
    'SSH_AUTH_SOCK',
    'GPG_AGENT_SOCK',
    'PASSWORD_FILE',
    'GIT_ASKPASS',
    'AUTHOR',
    'GIT_AUTHOR_NAME',
    'TOKENIZERS_PARALLELISM',
    'COMPASS_HEADING',
    'KEYBOARD',
    'LANG',
    'ROWS',
  ]) {
    assert.ok(!looksSecret(name), `${name} is not a secret name`);
  }
});

test('the working directory and the session plumbing are not collected as secrets', () => {
  const values = secretValues({
    PWD: '/home/someone/project',
    OLDPWD: '/home/someone',
    XDG_SESSION_CLASS: 'user',
    SSH_AUTH_SOCK: '/tmp/ssh-abc/agent.42',
    API_TOKEN: 'tok-1234567890',
  });
  assert.deepEqual(values, ['tok-1234567890']);
});

test('credentials inside *_URL values are secrets, the rest of the URL is not', () => {
  const values = secretValues({
    DATABASE_URL: 'postgres://app:db-pass-9876@db.example:5432/app',
    CALLBACK_URL: 'https://h.example/cb?page=2&access_token=cb-tok-5555',
    HOMEPAGE_URL: 'https://h.example/about',
  });
  assert.ok(values.includes('db-pass-9876'), 'the password of the userinfo');
  assert.ok(values.includes('cb-tok-5555'), 'a query parameter named like a token');
  assert.ok(!values.includes('2'), 'an ordinary query parameter is not a secret');
  assert.ok(!values.some((v) => v.includes('about')), 'a URL without credentials is no secret');
  assert.equal(
    redactText('connecting to postgres://app:db-pass-9876@db.example:5432/app', values),
    'connecting to postgres://***@db.example:5432/app',
  );
});

test('names the user adds are secrets whatever they look like', () => {
  assert.deepEqual(
    secretValues({ MY_NAME: 'my-planted-value', OTHER: 'x-visible-x' }, ['MY_NAME']),
    ['my-planted-value'],
  );
});

test('a URL with credentials in a runner note is scrubbed even when no value is known', () => {
  assert.equal(
    redactText('GET http://alice:pw-123456@127.0.0.1:8080/x?token=t0k3n-abc&page=2', []),
    'GET http://***@127.0.0.1:8080/x?token=***&page=2',
  );
  assert.equal(
    redactText('see https://example.com/a?sig=abcd1234&X-Amz-Signature=ffff0000&n=1', []),
    'see https://example.com/a?sig=***&X-Amz-Signature=***&n=1',
  );
  assert.equal(
    redactText('plain https://example.com/a?page=3 text', []),
    'plain https://example.com/a?page=3 text',
  );
});

test('values are redacted through objects, in keys and in strings', () => {
  const secret = 'sek-rit-value-1';
  const out = redactValue(
    { a: `x ${secret} y`, list: [secret, 3, null, true], [secret]: { nested: secret } },
    [secret],
  );
  const text = JSON.stringify(out);
  assert.ok(!text.includes(secret), text);
  assert.deepEqual(out, { a: 'x *** y', list: ['***', 3, null, true], '***': { nested: '***' } });
});

test('_metrics keys that hold a secret are dropped with a note that does not repeat it', () => {
  const secret = 'metric-secret-42';
  const { custom, problems } = extractMetrics(
    { _metrics: { [secret]: 1, [`rows_${secret}`]: 2, rows: 3 } },
    [secret],
  );
  assert.deepEqual(custom, { rows: 3 });
  assert.equal(problems.length, 2);
  for (const p of problems) {
    assert.ok(!p.includes(secret), p);
    assert.match(p, /secret/);
  }
});

test('the streaming redactor still catches a secret split across chunks', () => {
  const values = secretValues({ DATABASE_URL: 'postgres://app:split-pass-77@h/db' });
  const r = new StreamRedactor(values);
  let text = '';
  for (const part of ['pw is split-', 'pa', 'ss-77 ok\n']) text += r.push(Buffer.from(part));
  text += r.end();
  assert.equal(text, 'pw is *** ok\n');
});

test('`run --redact NAME` is repeatable and takes only names', () => {
  const args = parseArgs(['run', 'w.yaml', '--redact', 'MY_NAME', '--redact=other.name']);
  assert.deepEqual(args.redact, ['MY_NAME', 'other.name']);
  assert.deepEqual(parseArgs(['run', 'w.yaml']).redact, []);
  assert.throws(() => parseArgs(['run', 'w.yaml', '--redact', 'a b']), UsageError);
  assert.throws(() => parseArgs(['run', 'w.yaml', '--redact']), UsageError);
});

test('a run collects secrets from each node: env, http URL and secret-named headers', () => {
  const values = runSecrets(
    { HOME: '/home/someone' },
    [
      { env: { DEPLOY_KEY_SECRET: 'node-secret-1' } },
      {
        env: {},
        url: 'https://bot:url-pass-2@api.example/v1?api_key=url-key-3&page=2',
        headers: { Authorization: 'Bearer header-tok-4', Accept: 'application/json' },
      },
    ],
    [],
  );
  for (const v of ['node-secret-1', 'url-pass-2', 'url-key-3', 'header-tok-4']) {
    assert.ok(values.includes(v), v);
  }
  assert.ok(!values.includes('application/json') && !values.includes('/home/someone'));
});
