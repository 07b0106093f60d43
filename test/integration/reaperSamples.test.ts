/**
 * The reaper's --samples mode (what a Slurm job runs on its compute node): it writes one line per
 * interval that the runner's parser reads, and its exact totals are those of the same command run
 * without sampling: its own /proc reads and samples-file writes never reach the tree's figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireReaper, tempDir } from '../fixtures/harness';
import { parseReaperResult, type ReaperResult } from '../../src/measure/reaper';
import { parseJobSamples } from '../../src/runtime/slurm/jobSamples';

function runReaper(reaper: string, dir: string, name: string, extra: string[]): ReaperResult {
  const result = path.join(dir, `${name}.json`);
  // Writes 1 MB to a new file (write counters, write_bytes), then idles past one flush of the
  // samples file (the reaper writes them about once a second).
  const script = `head -c 1000000 /dev/zero > '${path.join(dir, `${name}.out`)}'; sleep 1.3`;
  const r = spawnSync(reaper, ['--result', result, ...extra, '--', 'sh', '-c', script], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return parseReaperResult(fs.readFileSync(result, 'utf8'));
}

test('--samples writes a line per interval and leaves the exact totals as without it', () => {
  const reaper = requireReaper();
  const dir = tempDir('wp-reaper-samples-');
  const samplesFile = path.join(dir, 'tree.samples.ndjson');
  const plain = runReaper(reaper, dir, 'plain', []);
  const sampled = runReaper(reaper, dir, 'sampled', [
    '--samples',
    samplesFile,
    '--interval-ms',
    '50',
  ]);

  const parsed = parseJobSamples(fs.readFileSync(samplesFile, 'utf8'));
  const durationMs = (sampled.endNs - sampled.startNs) / 1e6;
  const expected = durationMs / 50;
  console.log(
    `reaper --samples: ${parsed.points.length} lines over ${durationMs.toFixed(0)} ms (${expected.toFixed(1)} intervals); io plain ${JSON.stringify(plain.io)} sampled ${JSON.stringify(sampled.io)}`,
  );
  assert.equal(parsed.tornTail, false);
  assert.equal(parsed.skipped, 0);
  assert.ok(
    parsed.points.length >= Math.floor(expected * 0.8) && parsed.points.length <= expected + 1,
    `${parsed.points.length} lines for ${expected.toFixed(1)} intervals`,
  );
  const times = parsed.points.map((p) => p.t);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  assert.ok(parsed.points.every((p) => p.processes >= 1 && p.rssBytes > 0 && p.threads >= 1));
  // Cumulative figures: by the last line (sleeping, head long reaped by sh) the tree has written
  // what the reaper's exact total says, and used no more CPU than it (ticks round down).
  const last = parsed.points[parsed.points.length - 1];
  assert.ok(last && sampled.io, 'a last line, and exact I/O');
  assert.equal(last.writeBytes, sampled.io.writeBytes - sampled.io.cancelledWriteBytes);
  assert.ok(last.cpuMs <= (sampled.cpuUserUs + sampled.cpuSysUs) / 1000 + 1, `${last.cpuMs} ms`);

  // Exact totals unchanged: every I/O counter but read_bytes (which depends on the page cache),
  // and CPU within scheduling noise (the reaper's own sampling is not its children's CPU).
  assert.ok(plain.io && sampled.io, 'I/O measured in both runs');
  // write_bytes is charged per page dirtied: the samples file's own appends can move the tree's
  // storage-level count by one page (seen in CI: 1,007,616 against 1,003,520), never more.
  const { readBytes: _p, writeBytes: pw, ...plainIo } = plain.io;
  const { readBytes: _s, writeBytes: sw, ...sampledIo } = sampled.io;
  assert.deepEqual(sampledIo, plainIo);
  assert.ok(Math.abs(sw - pw) <= 4096, `write_bytes ${sw} vs ${pw}: more than one page apart`);
  const cpu = (r: ReaperResult): number => (r.cpuUserUs + r.cpuSysUs) / 1000;
  assert.ok(Math.abs(cpu(sampled) - cpu(plain)) < 15, `CPU ${cpu(sampled)} vs ${cpu(plain)} ms`);
  assert.equal(sampled.processesReaped, plain.processesReaped);
});

test('--samples without --interval-ms is a usage error, not a run', () => {
  const reaper = requireReaper();
  const dir = tempDir('wp-reaper-samples-');
  const r = spawnSync(
    reaper,
    ['--result', path.join(dir, 'r.json'), '--samples', path.join(dir, 's'), '--', 'true'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 125);
  assert.match(r.stderr, /--samples FILE --interval-ms N/);
  assert.equal(fs.existsSync(path.join(dir, 'r.json')), false);
});
