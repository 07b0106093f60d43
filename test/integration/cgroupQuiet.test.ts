/**
 * The sampler's cgroup check on real processes: a node run through startProcess under the reaper,
 * in its own cgroup2, observed side by side by a ProcTreeObserver that reads the cgroup's
 * cpu.stat and one that asks every process (schedstat). While the tree sleeps both give the same
 * figures, and the first skips the per-process reads; when it wakes and allocates, the next tick
 * sees it. The collector's own samples (which use the cgroup) show the allocation too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CgroupActivity, cgroupDirOf } from '../../src/measure/cgroupActivity';
import { cgroupBase } from '../../src/measure/cgroup';
import { ProcTable, realProcFiles, type ProcFiles } from '../../src/measure/procTable';
import { ProcTreeObserver, type TreeObservation } from '../../src/measure/procTree';
import { newCollector, start, tempDir } from '../fixtures/harness';

const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** These tests are about the cgroup path: fail, saying what is missing, where it is not there. */
function requireWritableCgroup(): void {
  const base = cgroupBase();
  if (!base.dir) {
    throw new Error(
      `this test needs a writable cgroup2 hierarchy (run as root, or with a delegated cgroup): ${base.why}`,
    );
  }
}

/** The real /proc, counting schedstat reads (each is one process asked whether it ran). */
class CountingFiles implements ProcFiles {
  schedstatReads = 0;
  private readonly schedFds = new Set<number>();
  open(p: string): number {
    const fd = realProcFiles.open(p);
    if (p.endsWith('/schedstat')) this.schedFds.add(fd);
    return fd;
  }
  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    if (this.schedFds.has(fd) && position === 0) this.schedstatReads += 1;
    return realProcFiles.pread(fd, buf, offset, length, position);
  }
  close(fd: number): void {
    this.schedFds.delete(fd);
    realProcFiles.close(fd);
  }
  readdir(p: string): string[] {
    return realProcFiles.readdir(p);
  }
}

async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (text) return Number(text.split(/\s+/)[0]);
    await sleep(10);
  }
  throw new Error(`no child of the reaper ${pid}`);
}

/** The node's cgroup the reaper moves its child into (just before exec: polled). */
async function nodeCgroupOf(pid: number): Promise<string> {
  let dir: string | null = null;
  for (let i = 0; i < 100; i++) {
    dir = cgroupDirOf(pid);
    if (dir && /node-\d+$/.test(dir)) return dir;
    await sleep(10);
  }
  throw new Error(`the command never joined its node's cgroup (it is in ${dir ?? 'none'})`);
}

/** The figures a sample is made of (a quiet tick hands back the same object: copied). */
const figures = (o: TreeObservation | null): Partial<TreeObservation> | null =>
  o && {
    processes: o.processes,
    keys: o.keys && [...o.keys],
    rssBytes: o.rssBytes,
    threads: o.threads,
    cpuMs: o.cpuMs,
    io: o.io && { ...o.io },
    hwm: o.hwm,
  };

test('cgroup check: an idle tree gives the same figures for fewer reads; waking up is seen at the next tick', async () => {
  requireWritableCgroup();
  const dir = tempDir('wp-cgroup-quiet-');
  const marker = path.join(dir, 'allocated');
  // Sleeps, then allocates (and touches) 100 MB, says so, and holds it while sleeping again.
  const py = `b = bytearray(100 * 1024 * 1024); open('${marker}', 'w').close(); import time; time.sleep(1.5)`;
  const collected = newCollector();
  collected.collector.start();
  const started = start(collected.collector, '/bin/sh', [
    '-c',
    `sleep 1.5; exec python3 -c "${py}"`,
  ]);
  try {
    const reaperPid = await started.proc.started;
    assert.ok(reaperPid, 'the node never reported its reaper pid');
    const cgroupDir = await nodeCgroupOf(await childOf(reaperPid));

    const withFiles = new CountingFiles();
    const withTable = new ProcTable({ files: withFiles });
    const withCgroup = new ProcTreeObserver(reaperPid, true, false, new CgroupActivity(cgroupDir));
    const perProcess = new ProcTreeObserver(reaperPid, true, false);
    const plainTable = new ProcTable();
    const observe = (table: ProcTable, o: ProcTreeObserver): TreeObservation | null => {
      table.beginTick();
      const obs = o.observe(table);
      table.endTick();
      return obs;
    };

    let idleTicks = 0;
    let skipped = 0;
    let seenAt: number | null = null;
    for (let i = 0; i < 40 && seenAt === null; i++) {
      const allocated = fs.existsSync(marker); // before the tick: this tick must see it
      const reads = withFiles.schedstatReads;
      const a = figures(observe(withTable, withCgroup));
      const b = figures(observe(plainTable, perProcess));
      if (allocated) {
        assert.ok(
          a && a.rssBytes !== undefined && a.rssBytes >= 100 * MB,
          `allocated before tick ${i}, seen: ${a?.rssBytes ?? 'no observation'} bytes`,
        );
        seenAt = i;
      } else if (i >= 2 && a?.processes === 2 && String(a.keys) === String(b?.keys)) {
        // sh and sleep, nothing running (and nothing exited between the two looks): the two
        // observers agree exactly.
        idleTicks += 1;
        assert.deepEqual(a, b, `tick ${i}`);
        if (withFiles.schedstatReads === reads) skipped += 1;
      }
      await sleep(100);
    }
    console.log(
      `  [cgroup] ${idleTicks} idle ticks compared, ${skipped} without any schedstat read; 100 MB seen at tick ${seenAt ?? 'never'}`,
    );
    assert.ok(seenAt !== null, 'the allocation was seen');
    assert.ok(idleTicks >= 5, `${idleTicks} idle ticks compared`);
    // A loaded machine may run a process between two ticks; most idle ticks are skips.
    assert.ok(skipped >= idleTicks / 2, `${skipped} of ${idleTicks} idle ticks skipped`);
    withCgroup.close();
    withTable.close();
    plainTable.close();

    const outcome = await started.proc.done;
    assert.equal(outcome.exitCode, 0, started.stderr());
    // The collector's samples (through its own cgroup check) show the 100 MB plateau.
    const peak = Math.max(...collected.samples.map((s) => s.rssBytes ?? 0));
    assert.ok(peak >= 100 * MB, `sampled peak ${peak}`);
  } finally {
    started.proc.cancel('test over');
    collected.collector.stop();
  }
});
