/** The compute node's sampled series: the reaper's lines read back and merged into a run's samples. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  parseJobSamples,
  readJobSeries,
  toRunSeries,
  type SeriesContext,
} from '../../src/runtime/slurm/jobSamples';
import { openSamplesWriter, SampleReader } from '../../src/store/samplesFile';
import type { Sample } from '../../src/model/run';

const T0 = 1_700_000_000_000;
const line = (dt: number, cpuMs: number, mb: number, read: number | null = 0): string =>
  JSON.stringify({
    t: T0 + dt,
    cpuMs,
    rssBytes: mb * 1024 ** 2,
    threads: 2,
    processes: 1,
    readBytes: read,
    writeBytes: read === null ? null : 4096,
  });

const CTX: SeriesContext = {
  nodeId: 'n',
  attempt: 2,
  originEpochMs: T0 - 1000,
  startEpochMs: T0,
  intervalMs: 100,
};

function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-jobsamples-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, name);
}

test('the line parser keeps complete samples, leaves out a torn last line and damaged lines', () => {
  const whole = [line(100, 50, 10), line(200, 150, 20)].join('\n') + '\n';
  assert.deepEqual(parseJobSamples(whole).points.length, 2);
  assert.equal(parseJobSamples(whole).tornTail, false);

  const torn = whole + line(300, 250, 30).slice(0, 25);
  const p = parseJobSamples(torn);
  assert.equal(p.points.length, 2);
  assert.equal(p.tornTail, true);
  assert.equal(p.skipped, 0);

  // A last line whole but for its newline is a sample; a damaged middle line is counted.
  const damaged = `${line(100, 50, 10)}\n{"t":"x"}\nnot json\n${line(200, 150, 20)}`;
  const d = parseJobSamples(damaged);
  assert.equal(d.points.length, 2);
  assert.equal(d.skipped, 2);
  assert.equal(d.tornTail, false);
  assert.deepEqual(parseJobSamples(''), { points: [], skipped: 0, tornTail: false });
});

test("samples land on the run's time base with CPU % and I/O rates from the cumulative counters", () => {
  const { points } = parseJobSamples(
    [line(100, 100, 10, 0), line(200, 150, 30, 102_400), line(300, 140, 20, null)].join('\n'),
  );
  const { samples, stats } = toRunSeries(points, CTX);
  assert.deepEqual(
    samples.map((s) => [s.nodeId, s.attempt, s.t]),
    [
      ['n', 2, 1100],
      ['n', 2, 1200],
      ['n', 2, 1300],
    ],
  );
  // From the job's start (nothing used yet) to the first sample: 100 ms of CPU in 100 ms.
  assert.equal(samples[0]?.cpuPercent, 100);
  assert.equal(samples[1]?.cpuPercent, 50);
  // A low reading (a process gone before it was reaped) keeps the maximum: 0 %, never negative.
  assert.equal(samples[2]?.cpuPercent, 0);
  assert.equal(samples[1]?.readBytesPerSec, 1_024_000);
  assert.equal(samples[2]?.readBytesPerSec, null, 'unreadable io: no rate, never 0');
  assert.equal(stats.sampleCount, 3);
  assert.equal(stats.peakRssBytes, 30 * 1024 ** 2);
  assert.equal(stats.firstRssBytes, 10 * 1024 ** 2);
  assert.equal(stats.lastRssBytes, 20 * 1024 ** 2);
  assert.equal(stats.peakThreads, 2);

  // Without the job's start, the first sample has no window: null, not 0.
  const unknownStart = toRunSeries(points, { ...CTX, startEpochMs: null }).samples;
  assert.equal(unknownStart[0]?.cpuPercent, null);
  assert.equal(unknownStart[1]?.cpuPercent, 50);
});

test('merged into the samples file local runs use: a killed job keeps its complete lines and says why', async () => {
  const jobFile = tempFile('job.samples.ndjson');
  fs.writeFileSync(jobFile, `${line(100, 50, 10)}\n${line(200, 150, 20)}\n{"t":17000`);
  const series = readJobSeries(jobFile, CTX, false);
  assert.equal(series.samples.length, 2);
  assert.match(series.note ?? '', /^2 samples: the job was killed before the reaper finished/);
  assert.match(series.note ?? '', /last line was cut short/);

  const runFile = tempFile('samples.ndjson');
  const warnings: string[] = [];
  const writer = openSamplesWriter(runFile, (m) => warnings.push(m));
  const local: Sample = { ...(series.samples[0] as Sample), nodeId: 'local', attempt: 1 };
  writer.append([local]);
  writer.append(series.samples);
  await writer.close();
  const reader = new SampleReader(runFile);
  const back: Sample[] = [];
  for await (const s of reader) back.push(s);
  assert.deepEqual(warnings, []);
  assert.equal(reader.skipped, 0, 'every merged sample is a valid Sample');
  assert.deepEqual(back, [local, ...series.samples]);

  const whole = readJobSeries(jobFile, CTX, true);
  assert.match(whole.note ?? '', /^2 samples: its last line was cut short/);
  fs.writeFileSync(jobFile, `${line(100, 50, 10)}\n`);
  assert.equal(readJobSeries(jobFile, CTX, true).note, null, 'a whole series has no note');

  const missing = readJobSeries(`${jobFile}.gone`, CTX, false);
  assert.deepEqual(missing.samples, []);
  assert.equal(missing.stats.sampleCount, 0);
  assert.match(missing.note ?? '', /no samples file from the compute node \(ENOENT\)/);
});
