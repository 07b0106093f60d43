/**
 * `latest`, `latest~1`, `latest~2`, …: names for the newest finished run, the one before it, and
 * so on, accepted wherever a run id is. A running run is skipped: its numbers are not final.
 */
import type { RunSource } from './runSource';

/** How far back `spec` reaches (0 for `latest`), or null when it is not a latest reference. */
export function latestOffset(spec: string): number | null {
  const m = /^latest(?:~(\d+))?$/.exec(spec);
  if (!m) return null;
  const n = m[1] === undefined ? 0 : Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

export class RunRefError extends Error {
  override name = 'RunRefError';
}

/** The run id `spec` names when it is a latest reference, else `spec` unchanged. */
export async function resolveRunRef(source: RunSource, spec: string): Promise<string> {
  const offset = latestOffset(spec);
  if (offset === null) return spec;
  const finished = (await source.list()).filter((r) => r.status !== 'running');
  const run = finished[offset];
  if (run) return run.id;
  const have =
    finished.length === 0
      ? 'there are no finished runs'
      : `there ${finished.length === 1 ? 'is 1 finished run' : `are ${finished.length} finished runs`}`;
  throw new RunRefError(`no run ${spec}: ${have} in the store (latest~N needs N + 1)`);
}

/** A comma-separated list of run specs (compare's sides), each latest reference resolved. */
export async function resolveRunRefs(source: RunSource, specs: string): Promise<string> {
  const parts = specs.split(',');
  const ids: string[] = [];
  for (const p of parts) ids.push(await resolveRunRef(source, p.trim()));
  return ids.join(',');
}
