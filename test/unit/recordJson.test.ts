import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { recordJsonChunks } from '../../src/store/recordJson';
import { writeFileAtomic } from '../../src/store/atomicWrite';
import { makeRun, ran, unrun } from '../helpers/makeRun';

const whole = (r: unknown): string => `${JSON.stringify(r, null, 2)}\n`;

test('run.json in pieces is byte for byte the record stringified at once', () => {
  const tasks = Array.from({ length: 3000 }, (_, i) =>
    ran(`n${i}`, i, 1.5, { reason: i % 7 === 0 ? 'line\n"two"\ttabs ✓ \u2028 "tasks": []' : null }),
  );
  tasks.push(unrun('skipped', 'skipped', { tags: ['a', 'tasks'], custom: { tasks: 1 } }));
  // Keys after `tasks`, and a name that looks like the tasks key, must stay where they were.
  const run = makeRun(tasks, {
    workflow: { name: '\n  "tasks": []', file: '/w/x.yaml', hash: 'h' },
    cores: 2,
  });
  const pieces = [...recordJsonChunks(run)];
  assert.equal(pieces.join(''), whole(run));
  // Never the whole text as one string: the point of writing it in pieces.
  assert.ok(pieces.length > 2, `${pieces.length} pieces`);
  for (const p of pieces) assert.ok(p.length < whole(run).length / 2);
});

test('a record with no tasks, or one task, is written as JSON.stringify writes it', () => {
  for (const run of [makeRun([]), makeRun([ran('only', 0, 1)])]) {
    assert.equal([...recordJsonChunks(run)].join(''), whole(run));
  }
});

test('writeFileAtomic writes an iterable of pieces in order, replacing the file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-recordjson-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'run.json');
  fs.writeFileSync(file, 'old content that is longer than the new one');
  writeFileAtomic(file, ['{"a":', '1', '}\n']);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a":1}\n');
  assert.deepEqual(fs.readdirSync(dir), ['run.json']);
});
