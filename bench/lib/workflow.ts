/** Running workflows through the real CLI and runner, as a user would. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord, TaskRun } from '../../src/model/run';
import { mustSucceed, runCommand, type Ran } from './proc';
import type { CaseContext } from './types';

export interface NodeSpec {
  id: string;
  run: string;
  needs?: string[];
}

/** A workflow file of shell nodes; strings are written as JSON, which YAML reads as is. */
export function writeWorkflow(
  file: string,
  name: string,
  nodes: readonly NodeSpec[],
  opts: { runtime?: 'local' | 'parallel'; maxParallel?: number } = {},
): string {
  const lines = [`name: ${JSON.stringify(name)}`, `runtime: ${opts.runtime ?? 'local'}`];
  if (opts.maxParallel !== undefined) lines.push(`maxParallel: ${opts.maxParallel}`);
  lines.push('nodes:');
  for (const n of nodes) {
    const needs = n.needs && n.needs.length > 0 ? `, needs: [${n.needs.join(', ')}]` : '';
    lines.push(`  ${n.id}: { type: shell, run: ${JSON.stringify(n.run)}${needs} }`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export interface CliRun {
  ran: Ran;
  record: RunRecord;
}

/**
 * `node dist/cli.js run FILE --store STORE --json --quiet [extra]`, then its run.json. Throws when
 * the run did not complete: a workload that crashed breaks the suite.
 */
export async function runCli(
  ctx: CaseContext,
  file: string,
  store: string,
  extra: string[] = [],
): Promise<CliRun> {
  // The runner picks its collector when it starts: exact (`reaper`) when dist/wp-reaper is there
  // and executable, sampled (`procfs`) otherwise. A build running at that moment (rewriting
  // dist/) silently turns exact figures into estimates: such a run is not what we measure.
  for (let attempt = 1; ; attempt++) {
    const got = await runCliOnce(ctx, file, store, extra);
    if (got.record.collector.mode === 'reaper') return got;
    const why = `run ${got.record.id} of ${path.basename(file)} sampled in ${got.record.collector.mode} mode, not with the reaper (was dist/ being rebuilt?)`;
    if (attempt >= 3) throw new Error(why);
    ctx.log(`${why}: running it again`);
  }
}

async function runCliOnce(
  ctx: CaseContext,
  file: string,
  store: string,
  extra: string[],
): Promise<CliRun> {
  const ran = await runCommand(process.execPath, [
    ctx.cliPath,
    'run',
    file,
    '--store',
    store,
    '--json',
    '--quiet',
    ...extra,
  ]);
  let out: { runDir?: string | null; status?: string; error?: string | null };
  try {
    out = JSON.parse(ran.stdout) as typeof out;
  } catch {
    mustSucceed(`workflow-profiler run ${path.basename(file)}`, ran);
    throw new Error(`workflow-profiler run printed no JSON: ${ran.stdout.slice(0, 200)}`);
  }
  if (!out.runDir) throw new Error(`no run folder for ${path.basename(file)}: ${ran.stderr}`);
  const record = JSON.parse(
    fs.readFileSync(path.join(out.runDir, 'run.json'), 'utf8'),
  ) as RunRecord;
  if (record.status !== 'completed' || out.status !== 'completed') {
    const failed = record.tasks.find((t) => t.status !== 'completed');
    throw new Error(
      `run of ${path.basename(file)} ended ${out.status ?? '?'} (run.json: ${record.status})` +
        (failed ? `: node ${failed.nodeId} ${failed.status}, ${failed.reason ?? ''}` : '') +
        (out.error ? `; ${out.error}` : ''),
    );
  }
  return { ran, record };
}

export function task(record: RunRecord, nodeId: string): TaskRun {
  const t = record.tasks.find((x) => x.nodeId === nodeId);
  if (!t) throw new Error(`run ${record.id} has no task ${nodeId}`);
  return t;
}
