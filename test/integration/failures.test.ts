/**
 * A failure explains itself: a node that writes why to stderr and exits 3 shows that line in
 * `run`'s progress, in `show`, in the report's Failures section and in run.json's `error`, with
 * a secret in it redacted as in the log and Markdown in it kept as text.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';

const LINE = 'boom: the widget table is missing';
const SECRET = 'hunter2-very-secret';

const WORKFLOW = `name: failing
runtime: local
nodes:
  slow:
    type: shell
    run: sleep 0.3
  broken:
    type: shell
    needs: slow
    env:
      API_TOKEN: ${SECRET}
    run: |
      echo "starting up"
      echo "${LINE}" >&2
      echo "token was $API_TOKEN" >&2
      echo '\`\`\`<img src=x onerror=alert(1)>' >&2
      exit 3
`;

test('a node that writes to stderr and exits 3 says why in run, show, report and run.json', async () => {
  const dir = tempWorkspace({ 'failing.workflow.yaml': WORKFLOW });
  const ran = await runCli(['run', 'failing.workflow.yaml', '--store', 'runs'], { cwd: dir });
  assert.equal(ran.code, 1, ran.stderr);
  // The progress line of the failed node, then its first error line under it.
  const lines = ran.stdout.split('\n');
  const at = lines.findIndex((l) => /✗ broken\s/.test(l));
  assert.ok(at >= 0, ran.stdout);
  assert.match(lines[at] ?? '', /exit code 3/);
  assert.equal(lines[at + 1]?.trim(), `↳ ${LINE}`);

  const runId = (/run (\S+)\)/.exec(ran.stdout) ?? [])[1] as string;
  const run = JSON.parse(
    fs.readFileSync(path.join(dir, 'runs', runId, 'run.json'), 'utf8'),
  ) as RunRecord;
  const broken = run.tasks.find((t) => t.nodeId === 'broken');
  assert.equal(broken?.reason, 'exit code 3', 'the old reason stays as it was');
  assert.equal(broken?.error?.kind, 'exit');
  assert.equal(broken?.error?.message, 'exit code 3');
  assert.equal(broken?.error?.exitCode, 3);
  assert.equal(broken?.error?.signal, null);
  const tail = broken?.error?.stderrTail ?? '';
  assert.ok(tail.startsWith(LINE), tail);
  assert.ok(!tail.includes(SECRET), 'the tail is redacted like the log');
  assert.ok(!tail.includes('[workflow-profiler]'), "the tail is the node's, not the runner's");
  assert.equal(run.tasks.find((t) => t.nodeId === 'slow')?.error, null);
  // The tail is the log's own text (the log redacts too).
  const log = fs.readFileSync(path.join(dir, 'runs', runId, 'logs', 'broken.log'), 'utf8');
  for (const l of tail.split('\n')) assert.ok(log.includes(l), l);

  const show = await runCli(['show', runId, '--store', 'runs'], { cwd: dir });
  assert.equal(show.code, 0, show.stderr);
  assert.ok(show.stdout.includes(`↳ ${LINE}`), show.stdout);
  assert.match(show.stdout, /^failures:\n {2}broken: exit: exit code 3\n {4}\| boom: the widget/m);
  assert.ok(!show.stdout.includes(SECRET));

  const report = await runCli(['report', runId, '--store', 'runs'], { cwd: dir });
  assert.equal(report.code, 0, report.stderr);
  const md = report.stdout;
  const failures = md.indexOf('## Failures');
  assert.ok(failures >= 0, 'the report has a Failures section');
  assert.ok(failures < md.indexOf('## Summary'), 'it opens the report');
  const section = md.slice(failures, md.indexOf('## Summary'));
  assert.match(section, /\*\*broken\*\* failed \(exit: exit code 3\)/);
  // The tail in a fence longer than any backtick run in it, so it cannot break out.
  assert.ok(section.includes(`\`\`\`\`text\n${LINE}\n`), section);
  assert.ok(section.includes('\n````\n'), section);
  assert.ok(!section.includes(SECRET));
  assert.equal(
    fs.readFileSync(path.join(dir, 'runs', runId, 'report.md'), 'utf8'),
    md.trimEnd() + '\n',
  );
});

test('a node that times out records a timeout error with what it had written', async () => {
  const dir = tempWorkspace({
    'slow.workflow.yaml': `name: slow
runtime: local
nodes:
  stuck:
    type: shell
    timeout: 300ms
    run: |
      echo "waiting for the lock" >&2
      sleep 30
`,
  });
  const ran = await runCli(['run', 'slow.workflow.yaml', '--store', 'runs', '--json'], {
    cwd: dir,
  });
  assert.equal(ran.code, 1, ran.stderr);
  const { runDir } = JSON.parse(ran.stdout) as { runDir: string };
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  const stuck = run.tasks.find((t) => t.nodeId === 'stuck');
  assert.equal(stuck?.status, 'failed');
  assert.equal(stuck?.error?.kind, 'timeout');
  assert.match(stuck?.error?.message ?? '', /^timed out after 300 ms/);
  assert.equal(stuck?.error?.stderrTail, 'waiting for the lock');
  // The progress line goes to stderr with --json: the line is there too.
  assert.ok(ran.stderr.includes('↳ waiting for the lock'), ran.stderr);
});
