/** The task journal alone: a torn last line, finished tasks laid over run.json's older copies. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyTaskRun } from '../../src/model/run';
import { mergeJournal, openTaskJournal, readTaskJournal } from '../../src/store/taskJournal';

test('a journal torn mid-line yields every complete task', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-journal-'));
  const file = path.join(dir, 'tasks.ndjson');
  const errors: unknown[] = [];
  const journal = openTaskJournal(file, (e) => errors.push(e));
  journal.append(emptyTaskRun('a', 'shell', { status: 'completed' }));
  journal.append(emptyTaskRun('b', 'shell', { status: 'failed' }));
  journal.close();
  fs.appendFileSync(file, '{"nodeId":"c","type":"sh'); // a crash mid-write
  assert.deepEqual(
    readTaskJournal(file).map((t) => [t.nodeId, t.status]),
    [
      ['a', 'completed'],
      ['b', 'failed'],
    ],
  );
  assert.deepEqual(errors, []);
});

test('journalled tasks win over pending or running copies, never over finished ones', () => {
  const saved = [
    emptyTaskRun('a', 'shell', { status: 'running' }),
    emptyTaskRun('b', 'shell', { status: 'completed', exitCode: 0 }),
  ];
  const journal = [
    emptyTaskRun('a', 'shell', { status: 'completed' }),
    emptyTaskRun('b', 'shell', { status: 'failed' }),
    emptyTaskRun('c', 'shell', { status: 'completed' }),
  ];
  const merged = mergeJournal(saved, journal);
  assert.equal(merged.recovered, 2);
  assert.deepEqual(
    merged.tasks.map((t) => [t.nodeId, t.status]),
    [
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'completed'],
    ],
  );
});

test('a journal that cannot be written reports it once instead of throwing', () => {
  const errors: NodeJS.ErrnoException[] = [];
  const journal = openTaskJournal(
    path.join(os.tmpdir(), 'no-such-folder-wp', 'tasks.ndjson'),
    (e) => errors.push(e),
  );
  journal.append(emptyTaskRun('a', 'shell', { status: 'completed' }));
  journal.append(emptyTaskRun('b', 'shell', { status: 'completed' }));
  journal.close();
  assert.deepEqual(
    errors.map((e) => e.code),
    ['ENOENT'],
  );
});
