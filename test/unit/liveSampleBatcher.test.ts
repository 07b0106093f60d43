/** Live samples leave the runner in batches, in order, and never after their run's end. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LiveSampleBatcher } from '../../src/protocol/liveSampleBatcher';
import type { RunnerEvent } from '../../src/protocol/runner';
import type { Sample } from '../../src/model/run';

const sample = (nodeId: string, t: number): Sample => ({
  nodeId,
  attempt: 1,
  t,
  cpuPercent: null,
  rssBytes: 1000 + t,
  threads: 1,
  processes: 1,
  readBytesPerSec: null,
  writeBytesPerSec: null,
});

const samples = (runId: string, ...xs: Sample[]): RunnerEvent => ({
  type: 'samples',
  runId,
  samples: xs,
});

function sink(): { sent: RunnerEvent[]; batcher: LiveSampleBatcher } {
  const sent: RunnerEvent[] = [];
  return { sent, batcher: new LiveSampleBatcher((e) => sent.push(e), 60_000) };
}

test('samples are held, then sent as one event in tick order on flush', () => {
  const { sent, batcher } = sink();
  batcher.emit(samples('r', sample('a', 1), sample('b', 1)));
  batcher.emit(samples('r', sample('a', 2)));
  assert.deepEqual(sent, []);
  batcher.flush();
  assert.deepEqual(sent, [samples('r', sample('a', 1), sample('b', 1), sample('a', 2))]);
  batcher.flush();
  assert.equal(sent.length, 1, 'nothing held: nothing sent');
});

test('other events pass at once; the end of a run sends the held samples first', () => {
  for (const end of [
    { type: 'run-finished', runId: 'r', runDir: 'd', run: null as never },
    { type: 'fatal', message: 'boom' },
  ] as RunnerEvent[]) {
    const { sent, batcher } = sink();
    batcher.emit(samples('r', sample('a', 1)));
    const log: RunnerEvent = {
      type: 'log',
      runId: 'r',
      nodeId: 'a',
      attempt: 1,
      stream: 'stdout',
      text: 'x',
    };
    batcher.emit(log);
    assert.deepEqual(sent, [log]);
    batcher.emit(end);
    assert.deepEqual(sent, [log, samples('r', sample('a', 1)), end]);
  }
});

test('a batch never mixes two runs', () => {
  const { sent, batcher } = sink();
  batcher.emit(samples('r1', sample('a', 1)));
  batcher.emit(samples('r2', sample('a', 2)));
  batcher.flush();
  assert.deepEqual(sent, [samples('r1', sample('a', 1)), samples('r2', sample('a', 2))]);
});

test('held samples go out by themselves after the interval', async () => {
  const sent: RunnerEvent[] = [];
  let arrived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (arrived = resolve));
  const batcher = new LiveSampleBatcher((e) => {
    sent.push(e);
    arrived();
  }, 10);
  batcher.emit(samples('r', sample('a', 1)));
  batcher.emit(samples('r', sample('a', 2)));
  // The timer is unref'd: something must keep this process alive while it waits.
  const keepAlive = setTimeout(() => undefined, 10_000);
  await done;
  clearTimeout(keepAlive);
  assert.deepEqual(sent, [samples('r', sample('a', 1), sample('a', 2))]);
});
