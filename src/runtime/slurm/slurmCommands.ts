/**
 * Slurm's client commands, run as child processes. Each says in words what went wrong: a missing
 * command names the Debian package that has it.
 */
import { execFile } from 'node:child_process';

export interface CommandResult {
  ok: boolean;
  stdout: string;
  /** stderr, or why the command could not run at all. */
  error: string;
}

/** Every client command the runtime uses is in Debian's slurm-client (pulled in by slurm-wlm). */
const PACKAGE = 'slurm-client (or slurm-wlm)';

export function slurmCommand(
  command: 'sbatch' | 'sinfo' | 'scontrol' | 'scancel' | 'sacct',
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ ok: true, stdout, error: '' });
          return;
        }
        const code = (err as NodeJS.ErrnoException).code;
        const error =
          code === 'ENOENT'
            ? `\`${command}\` was not found on PATH: install Slurm's client commands (Debian: ${PACKAGE}) or run on a machine that has them`
            : ((stderr.trim() || err.message).split('\n')[0] ?? err.message);
        resolve({ ok: false, stdout, error });
      },
    );
  });
}
