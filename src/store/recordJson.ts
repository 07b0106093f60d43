/**
 * run.json's text in pieces: exactly `JSON.stringify(record, null, 2) + '\n'`, but never as one
 * string. A 5,000-task record is ~6 MB of text (and as much again as the Buffer a write makes of
 * it), built at every save and at the run's end, when the runner's memory peaks; in pieces of
 * about CHUNK_CHARS, each task is stringified on its own and dropped once written.
 */
import type { RunRecord } from '../model/run';

/** Pieces are joined up to about this size: few write calls, still a small transient. */
const CHUNK_CHARS = 256 * 1024;
/** The top-level key: deeper keys are indented further, and no JSON string holds a raw newline. */
const TASKS_KEY = '\n  "tasks": ';
/** A task of run.json is one level deeper than JSON.stringify(task, null, 2) writes it. */
const ITEM_INDENT = '\n    ';

export function* recordJsonChunks(record: RunRecord): Generator<string> {
  const outer = JSON.stringify({ ...record, tasks: [] }, null, 2);
  const at = outer.indexOf(`${TASKS_KEY}[]`);
  if (record.tasks.length === 0 || at < 0) {
    yield `${JSON.stringify(record, null, 2)}\n`;
    return;
  }
  let chunk = `${outer.slice(0, at)}${TASKS_KEY}[`;
  for (let i = 0; i < record.tasks.length; i++) {
    const text = JSON.stringify(record.tasks[i], null, 2).replace(/\n/g, ITEM_INDENT);
    chunk += `${i === 0 ? '' : ','}${ITEM_INDENT}${text}`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n  ]${outer.slice(at + TASKS_KEY.length + 2)}\n`;
}
