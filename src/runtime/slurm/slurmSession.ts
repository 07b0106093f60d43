/**
 * One run's dealings with Slurm: the run folder's `slurm/` subfolder (scripts, results, the
 * reaper), the check that jobs see that folder, one poll of every job of the run per tick, and
 * `scancel` of every job of the run on cancel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monoMs } from '../../model/clock';
import { slurmCommand } from './slurmCommands';
import { shQuote } from './batchScript';
import { isTerminal, parseSacct, parseScontrolJobs, type JobInfo } from './jobState';

/** How often the run's jobs are polled: one `scontrol` for all of them per tick. */
const POLL_MS = 500;
/** A job that no poll can find for this long after it was last seen has ended unseen. */
const LOST_AFTER_MS = 5_000;
/** Polls failing this long (slurmctld down, network gone) end the run's waits: none hangs forever. */
const UNREACHABLE_MS = 120_000;
/** How long the shared-storage check may wait for its job. */
const CHECK_TIMEOUT_MS = 60_000;

export interface JobEnd {
  /** The last state Slurm gave (COMPLETED, TIMEOUT, CANCELLED…), or null when none was seen. */
  state: string | null;
  reason: string | null;
  info: JobInfo | null;
}

interface Watch {
  lastSeen: number;
  info: JobInfo | null;
  onChange: ((info: JobInfo) => void) | null;
  resolve: (end: JobEnd) => void;
}

export class SlurmSession {
  readonly dir: string;
  /** The reaper copied into the run folder, so compute nodes without our install can run it. */
  reaper: string | null = null;
  private readonly watches = new Map<string, Watch>();
  private readonly all = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    runDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = path.join(runDir, 'slurm');
  }

  /**
   * Prepares the folder and checks, with a first tiny job, that the compute nodes see it. Returns
   * null when the run can go on, else why not, in words.
   */
  async open(localReaper: string | null, sharedCheck: boolean): Promise<string | null> {
    fs.mkdirSync(this.dir, { recursive: true });
    if (localReaper) {
      this.reaper = path.join(this.dir, path.basename(localReaper));
      fs.copyFileSync(localReaper, this.reaper);
      fs.chmodSync(this.reaper, 0o755);
    }
    const probe = await slurmCommand('sinfo', ['-h', '-o', '%P'], this.env);
    if (!probe.ok) return `Slurm is not reachable: ${probe.error}`;
    if (!sharedCheck) return null;
    return this.checkShared();
  }

  private async checkShared(): Promise<string | null> {
    const token = `${process.pid}-${Date.now()}`;
    const tokenFile = path.join(this.dir, 'shared-check.token');
    const seenFile = path.join(this.dir, 'shared-check.seen');
    fs.writeFileSync(tokenFile, token);
    const script = path.join(this.dir, 'shared-check.sh');
    fs.writeFileSync(
      script,
      `#!/bin/sh\n{ cat ${shQuote(tokenFile)}; echo " $(hostname)"; } > ${shQuote(seenFile)}\n`,
    );
    const sub = await this.submit([
      '--parsable',
      '--job-name=wp-shared-check',
      `--output=${path.join(this.dir, 'shared-check.out')}`,
      '--time=1',
      script,
    ]);
    if ('error' in sub) return `Slurm refused the shared-storage check job: ${sub.error}`;
    const end = await Promise.race([
      this.wait(sub.jobId, null),
      new Promise<null>((r) => setTimeout(() => r(null), CHECK_TIMEOUT_MS).unref()),
    ]);
    if (end === null) {
      await this.cancel([sub.jobId]);
      return `the shared-storage check job ${sub.jobId} did not finish within ${CHECK_TIMEOUT_MS / 1000} s (is the partition busy or down?)`;
    }
    let seen = '';
    try {
      seen = fs.readFileSync(seenFile, 'utf8');
    } catch {
      // handled below
    }
    if (!seen.startsWith(token))
      return `the run folder ${this.dir} is not visible from the compute nodes (check job ${sub.jobId} ended ${end.state ?? 'unseen'} without writing there): put the run store on storage every node shares`;
    return null;
  }

  /** sbatch; the job id, or why it was refused. */
  async submit(
    args: string[],
    env: NodeJS.ProcessEnv = this.env,
  ): Promise<{ jobId: string } | { error: string }> {
    const r = await slurmCommand('sbatch', args, env);
    // --parsable prints `id` or `id;cluster`.
    const jobId = r.stdout.trim().split(';')[0] ?? '';
    if (!r.ok || !/^\d+$/.test(jobId)) return { error: r.error || `sbatch printed ${r.stdout}` };
    this.all.add(jobId);
    return { jobId };
  }

  /** Resolves when the job has ended; `onChange` sees every state polled before. */
  wait(jobId: string, onChange: ((info: JobInfo) => void) | null): Promise<JobEnd> {
    return new Promise((resolve) => {
      this.watches.set(jobId, { lastSeen: monoMs(), info: null, onChange, resolve });
      this.timer ??= setInterval(() => void this.poll(), POLL_MS);
    });
  }

  /** scancel; every job of the run when `ids` is omitted. */
  async cancel(ids: readonly string[] = [...this.watches.keys()]): Promise<void> {
    if (ids.length === 0) return;
    await slurmCommand('scancel', [...ids], this.env);
  }

  /** Every job this session submitted. */
  jobIds(): string[] {
    return [...this.all];
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watches.size === 0) return;
    this.polling = true;
    try {
      const r = await slurmCommand('scontrol', ['show', 'job', '-o'], this.env);
      const jobs = r.ok ? parseScontrolJobs(r.stdout) : new Map<string, JobInfo>();
      const now = monoMs();
      const lost: string[] = [];
      for (const [id, w] of this.watches) {
        const info = jobs.get(id);
        if (info) {
          w.lastSeen = now;
          w.info = info;
          w.onChange?.(info);
          if (isTerminal(info.state))
            this.end(id, { state: info.state, reason: info.reason, info });
        } else if (r.ok && now - w.lastSeen > LOST_AFTER_MS) lost.push(id);
        else if (!r.ok && now - w.lastSeen > UNREACHABLE_MS) {
          // Best effort: the job may still run; it must not go on unwatched.
          void this.cancel([id]);
          this.end(id, {
            state: null,
            reason: `Slurm did not answer for ${UNREACHABLE_MS / 1000} s: ${r.error}`,
            info: w.info,
          });
        }
      }
      if (lost.length > 0) await this.endLost(lost);
    } finally {
      this.polling = false;
    }
  }

  /** Jobs Slurm no longer shows: accounting may know how they ended. */
  private async endLost(ids: string[]): Promise<void> {
    const r = await slurmCommand(
      'sacct',
      ['-n', '-P', '-X', '-o', 'JobID,State,Reason', '-j', ids.join(',')],
      this.env,
    );
    const acct = r.ok
      ? parseSacct(r.stdout)
      : new Map<string, { state: string; reason: string | null }>();
    for (const id of ids) {
      const a = acct.get(id);
      const w = this.watches.get(id);
      this.end(id, { state: a?.state ?? null, reason: a?.reason ?? null, info: w?.info ?? null });
    }
  }

  private end(id: string, end: JobEnd): void {
    const w = this.watches.get(id);
    if (!w) return;
    this.watches.delete(id);
    w.resolve(end);
    if (this.watches.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
