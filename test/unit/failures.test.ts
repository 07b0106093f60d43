import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { failedTasks, failureLine, plainLine, taskError } from '../../src/model/failures';
import type { TaskRun } from '../../src/model/run';
import { renderReport } from '../../src/report/markdown';
import { failureSentence } from '../../src/report/failureSummary';
import { makeRun, ran } from '../helpers/makeRun';

const TAIL = 'boom: no table\n```\n<script>alert(1)</script>\n````x';

function failed(nodeId: string, error: unknown, reason = 'exit code 3'): TaskRun {
  return ran(nodeId, 0, 5, { status: 'failed', reason, exitCode: 3, error } as Partial<TaskRun>);
}

test('a failure line: the first error line, else the reason of a run stored without one', () => {
  const e = { kind: 'exit', message: 'exit code 3', exitCode: 3, signal: null, stderrTail: TAIL };
  assert.equal(failureLine(failed('a', e)), 'boom: no table');
  // Older run.json (no `error`) or a damaged one: the reason, and no throw.
  const old = failed('b', undefined);
  delete (old as Partial<TaskRun>).error;
  assert.equal(taskError(old), null);
  assert.equal(failureLine(old), 'exit code 3');
  assert.equal(failureLine(failed('c', { kind: 'exit', message: 3 })), 'exit code 3');
  assert.equal(failureLine(failed('d', 'boom')), 'exit code 3');
  assert.equal(failureLine(ran('ok', 0, 1)), null);
  assert.equal(plainLine('\u001b[31mred\u001b[0m \u202eevil'), '[31mred [0m evil');
});

test('the report opens with Failures: the tail fenced so nothing in it can break out', () => {
  const e = { kind: 'exit', message: 'exit code 3', exitCode: 3, signal: null, stderrTail: TAIL };
  const run = makeRun([ran('ok', 0, 10), failed('broken<b>', e), failed('old', null)], {
    status: 'failed',
  });
  assert.deepEqual(
    failedTasks(run.tasks).map((t) => t.nodeId),
    ['broken<b>', 'old'],
  );
  const md = renderReport(run);
  const section = md.slice(md.indexOf('## Failures'), md.indexOf('## Summary'));
  assert.ok(md.indexOf('## Failures') > 0 && md.indexOf('## Failures') < md.indexOf('## Summary'));
  assert.ok(section.includes('- **broken&lt;b&gt;** failed (exit: exit code 3).'), section);
  // The longest backtick run inside is 4: the fence is 5.
  assert.ok(section.includes(`\`\`\`\`\`text\n${TAIL}\n\`\`\`\`\`\n`), section);
  assert.ok(section.includes('- **old** failed (exit code 3).'), section);
  assert.equal(failureSentence(run), 'broken<b> failed: boom: no table (and 1 more failed)');
  // A run where nothing failed has no Failures section.
  assert.ok(!renderReport(makeRun([ran('ok', 0, 10)])).includes('## Failures'));
});
