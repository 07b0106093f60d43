/**
 * Whether two sets of runs ran under very different load, in which case a change of duration or
 * CPU time may be the machine's doing, not the workflow's. Pure: runs in, a warning (or null) out.
 */
import {
  isStarved,
  LOAD_DIFFERENCE_POINTS,
  machineOf,
  STARVED_MIN_MS,
  STARVED_SHARE_OF_DURATION,
} from '../../model/machine';
import type { RunRecord } from '../../model/run';
import type { CompareMetric } from '../../model/comparison';
import { formatPercent, formatRatio } from '../../model/format';
import { median } from './descriptive';

/**
 * The metrics whose change load can cause: a starved node takes longer, and on a busy machine
 * shared caches and frequency scaling move CPU time too. Memory and I/O do not follow load.
 */
export const LOAD_SENSITIVE_METRICS: readonly CompareMetric[] = ['durationMs', 'cpuTimeMs'];

/** Start of the note of a verdict held back because of load (see holdForLoad). */
export const LOAD_NOTE_PREFIX = 'not called: the two sides ran under very different load';

/** Median otherCpuPercent of the runs that recorded it; null when none did. */
export function medianOtherCpu(runs: readonly RunRecord[]): number | null {
  const xs = runs.flatMap((r) => {
    const v = machineOf(r)?.otherCpuPercent;
    return v === null || v === undefined ? [] : [v];
  });
  return median(xs);
}

/** Runs with at least one starved node (final attempts that ran). */
export function starvedRuns(runs: readonly RunRecord[]): number {
  return runs.filter((r) => r.tasks.some((t) => t.status !== 'retried' && isStarved(t))).length;
}

/**
 * Why the two sides' load differs too much to call a duration or CPU time change, or null when
 * it does not (or could not be told: runs without a machine context are not judged).
 */
export function compareLoadWarning(
  baseline: readonly RunRecord[],
  candidate: readonly RunRecord[],
): string | null {
  const reasons: string[] = [];
  const b = medianOtherCpu(baseline);
  const c = medianOtherCpu(candidate);
  if (b !== null && c !== null && Math.abs(b - c) > LOAD_DIFFERENCE_POINTS) {
    reasons.push(
      `other processes used a median ${formatPercent(b, 0)} of the machine during the baseline and ${formatPercent(c, 0)} during the candidate (more than ${LOAD_DIFFERENCE_POINTS} points apart)`,
    );
  }
  const sb = starvedRuns(baseline);
  const sc = starvedRuns(candidate);
  if ((sb === 0) !== (sc === 0)) {
    const [side, n, total] =
      sb > 0 ? ['baseline', sb, baseline.length] : ['candidate', sc, candidate.length];
    reasons.push(
      `${n} of ${total} ${side} runs had starved nodes (waiting for a CPU ≥ ${formatRatio(STARVED_SHARE_OF_DURATION, 0)} of their duration and ≥ ${STARVED_MIN_MS} ms), none on the other side`,
    );
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** Whether a verdict's note says it was held back because of load. */
export function heldForLoad(note: string | null): boolean {
  return note !== null && note.startsWith(LOAD_NOTE_PREFIX);
}
