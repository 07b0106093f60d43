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

test('fsyncs are grouped: one at once, then one per window for what came meanwhile, and close() syncs the rest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-journal-'));
  const file = path.join(dir, 'tasks.ndjson');
  const synced: number[] = []; // lines on disk at each fsync
  const lines = (): number => fs.readFileSync(file, 'utf8').split('\n').length - 1;
  const journal = openTaskJournal(file, (e) => assert.fail(e), {
    syncEveryMs: 50,
    sync: (fd, done) => {
      synced.push(lines());
      fs.fdatasync(fd, done);
    },
  });
  const add = (id: string): void =>
    journal.append(emptyTaskRun(id, 'shell', { status: 'completed' }));
  add('a'); // after a quiet spell: synced at once
  assert.deepEqual(synced, [1]);
  add('b');
  add('c');
  add('d'); // within the window: one fsync covers all three, once the window is over
  assert.deepEqual(synced, [1]);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(synced, [1, 4]);
  add('e'); // a quiet spell again: at once
  add('f'); // within the window, left for close()
  assert.deepEqual(synced, [1, 4, 5]);
  // Every task is in the file the moment append returns (a killed runner loses none).
  assert.equal(lines(), 6);
  journal.close(); // synchronous fdatasync of what is left, whatever the window
  assert.deepEqual(
    readTaskJournal(file).map((t) => t.nodeId),
    ['a', 'b', 'c', 'd', 'e', 'f'],
  );
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(synced, [1, 4, 5], "the window's pending fsync was dropped at close");
});
