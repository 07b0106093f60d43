/**
 * Planted secrets never land anywhere the project writes: the run folder (logs, runner notes,
 * outputs/, inputs/, run.json, report.md), the exports and the dashboard; and redaction leaves
 * what is not a secret alone (the working directory in a node's log).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace, type CliResult } from '../helpers/cli';

const tag = crypto.randomBytes(4).toString('hex');
const SECRETS = {
  cliEnvToken: `envtok-${tag}-a1`,
  dbPassword: `dbpass-${tag}-b2`,
  nodeEnvSecret: `nodesecret-${tag}-c3`,
  urlPassword: `webpass-${tag}-d4`,
  urlToken: `urltok-${tag}-e5`,
  userNamed: `myname-${tag}-f6`,
};

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every planted secret found in `bytes`, by name. */
function leaks(bytes: Buffer | string): string[] {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return Object.entries(SECRETS)
    .filter(([, v]) => buf.includes(Buffer.from(v)))
    .map(([k]) => k);
}

function workflow(port: number): string {
  const url = `http://webuser:${SECRETS.urlPassword}@127.0.0.1:${port}/ping?token=${SECRETS.urlToken}&page=2`;
  return `name: secrets
runtime: local
nodes:
  web:
    type: http
    url: "${url}"
  leak:
    type: shell
    needs: [web]
    env: { DEPLOY_SECRET: "${SECRETS.nodeEnvSecret}" }
    run: |
      echo "out $SERVICE_API_TOKEN $DATABASE_URL $DEPLOY_SECRET $MY_NAME"
      echo "err $SERVICE_API_TOKEN $DEPLOY_SECRET $MY_NAME ${url}" >&2
      printf '{"token":"%s","db":"%s","secret":"%s","mine":"%s","_metrics":{"%s":1,"m_%s":2,"rows":3}}' "$SERVICE_API_TOKEN" "$DATABASE_URL" "$DEPLOY_SECRET" "$MY_NAME" "$SERVICE_API_TOKEN" "$MY_NAME" > "$WORKFLOW_OUTPUT"
  down:
    type: shell
    needs: [leak]
    run: |
      cat "$WORKFLOW_INPUTS"; echo
      echo "cwd=$(pwd)"
      echo "old=$OLDPWD class=$XDG_SESSION_CLASS sock=$SSH_AUTH_SOCK"
`;
}

/** The environment of a terminal that cd'ed into `dir`, with secrets and session plumbing. */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PWD: dir,
    OLDPWD: path.dirname(dir),
    XDG_SESSION_CLASS: 'user',
    SSH_AUTH_SOCK: path.join(dir, 'agent.sock'),
    SERVICE_API_TOKEN: SECRETS.cliEnvToken,
    DATABASE_URL: `postgres://dbuser:${SECRETS.dbPassword}@db.invalid:5432/app`,
    MY_NAME: SECRETS.userNamed,
  };
}

async function withServer<T>(fn: (port: number) => Promise<T>): Promise<T> {
  // Echoes the request URL, so the http node's output (and the next node's input) carries the
  // token from its query string.
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn((server.address() as { port: number }).port);
  } finally {
    server.close();
  }
}

function runJson(r: CliResult): { runId: string; runDir: string; status: string } {
  try {
    return JSON.parse(r.stdout) as { runId: string; runDir: string; status: string };
  } catch {
    throw new Error(`stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

test('planted secrets are in none of the run folder, the exports and the dashboard', async () => {
  await withServer(async (port) => {
    const dir = tempWorkspace({ 'w.workflow.yaml': workflow(port) });
    const env = cliEnv(dir);
    const r = await runCli(
      ['run', 'w.workflow.yaml', '--store', 'store', '--json', '--redact', 'MY_NAME'],
      { cwd: dir, env },
    );
    assert.equal(r.code, 0, r.stderr);
    const { runId, runDir } = runJson(r);
    const terminal = [r.stdout, r.stderr];

    const out = path.join(dir, 'exported');
    fs.mkdirSync(out);
    const written: string[] = [];
    for (const format of ['json', 'csv', 'chrome-trace']) {
      const file = path.join(out, `run.${format}`);
      const e = await runCli(
        ['export', runId, '--format', format, '-o', file, '--store', 'store'],
        {
          cwd: dir,
          env,
        },
      );
      assert.equal(e.code, 0, e.stderr);
      terminal.push(e.stdout, e.stderr);
      written.push(file);
    }
    const html = path.join(out, 'dash.html');
    const d = await runCli(['dashboard', runId, '-o', html, '--store', 'store'], { cwd: dir, env });
    assert.equal(d.code, 0, d.stderr);
    written.push(html);
    const rep = await runCli(['report', runId, '--store', 'store'], { cwd: dir, env });
    terminal.push(rep.stdout, rep.stderr);

    const storeFiles = filesUnder(path.join(dir, 'store'));
    for (const sub of ['run.json', 'report.md', 'logs', 'outputs', 'inputs']) {
      assert.ok(
        storeFiles.some((f) => f.startsWith(path.join(runDir, sub))),
        `the run folder has ${sub}: nothing was left out to pass the search`,
      );
    }
    for (const file of [...storeFiles, ...written]) {
      assert.deepEqual(leaks(fs.readFileSync(file)), [], path.relative(dir, file));
    }
    for (const text of terminal) assert.deepEqual(leaks(text), [], text);

    // Redacted, not dropped: what the nodes wrote is still there, with *** in the secrets' place.
    const leakLog = fs.readFileSync(path.join(runDir, 'logs', 'leak.log'), 'utf8');
    assert.match(leakLog, /out \*\*\* postgres:\/\/\*\*\*@db\.invalid:5432\/app \*\*\* \*\*\*/);
    const output = fs.readFileSync(path.join(runDir, 'outputs', 'leak.json'), 'utf8');
    assert.match(output, /"token":"\*\*\*"/);
    const webLog = fs.readFileSync(path.join(runDir, 'logs', 'web.log'), 'utf8');
    assert.match(webLog, /GET http:\/\/\*\*\*@127\.0\.0\.1:\d+\/ping\?token=\*\*\*&page=2/);

    // _metrics keys holding a secret are dropped, with a note; the others are kept.
    const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
    const leakTask = run.tasks.find((t) => t.nodeId === 'leak');
    assert.deepEqual(leakTask?.custom, { rows: 3 });
    assert.match(leakLog, /\[workflow-profiler\] .*_metrics.*secret/);
  });
});

test('the working directory and the session plumbing stay visible in a node log', async () => {
  await withServer(async (port) => {
    const dir = tempWorkspace({ 'w.workflow.yaml': workflow(port) });
    const env = cliEnv(dir);
    const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], {
      cwd: dir,
      env,
    });
    const { runDir } = runJson(r);
    const log = fs.readFileSync(path.join(runDir, 'logs', 'down.log'), 'utf8');
    assert.ok(
      log.includes(`cwd=${dir}\n`) || log.includes(`cwd=${fs.realpathSync(dir)}\n`),
      `pwd shows the real directory:\n${log}`,
    );
    assert.ok(log.includes(`old=${path.dirname(dir)} class=user sock=${dir}/agent.sock`), log);
  });
});
