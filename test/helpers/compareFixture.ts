/**
 * The compare page's fixture, shared by the compare tests and the narrow-width layout test.
 */
import type { CompareSnapshot } from '../../src/protocol/compare';
import { XSS, RICH } from './chartFixtures';
import { sidesSnapshot, syntheticComparison } from './syntheticRun';

/**
 * Two series of five runs of a 30-node workflow (two nodes renamed to hostile names), the
 * candidate's with one node slower and one faster; one node ran only twice in the candidate, so
 * it is undecided. The choosers offer both series and a run.
 */
export function comparison(): CompareSnapshot {
  const { runs } = syntheticComparison(10, 30);
  const ids = [...new Set(runs[0]?.tasks.map((t) => t.nodeId))];
  const rename = new Map([
    [ids[3] as string, XSS],
    [ids[4] as string, RICH],
  ]);
  const flaky = ids[5] as string;
  runs.forEach((r, i) => {
    for (const t of r.tasks) t.nodeId = rename.get(t.nodeId) ?? t.nodeId;
    // In three candidate runs the flaky node did not complete: two measured runs are left.
    if (i >= 7) for (const t of r.tasks) if (t.nodeId === flaky) t.status = 'skipped';
  });
  const series = (spec: string, day: string) => ({
    kind: 'series' as const,
    spec,
    measuredRuns: 5,
    warmups: 1,
    startedAt: day,
    workflowName: XSS,
  });
  return sidesSnapshot(runs.slice(0, 5), runs.slice(5), {
    specs: ['series-20250101-020000-000-aaaa', 'series-20250106-020000-000-bbbb'],
    warmups: [['20250101-015900-000-w000'], ['20250106-015900-000-w001']],
    choices: [
      series('series-20250106-020000-000-bbbb', '2025-01-06T02:00:00.000Z'),
      series('series-20250101-020000-000-aaaa', '2025-01-01T02:00:00.000Z'),
      {
        kind: 'run',
        spec: runs[9]?.id ?? '',
        startedAt: runs[9]?.startedAt ?? '',
        status: 'completed',
        wallMs: 1234,
        workflowName: XSS,
      },
    ],
  });
}
