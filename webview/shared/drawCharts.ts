/**
 * Builds and draws a page's charts in one pass, and says which drew (an empty spec shows its
 * notes instead): the ids the `rendered` signal reports.
 */
import type { ChartSpec } from '../../src/report/charts/chartSpec';
import type { ChartBoard } from './chartBoard';

/**
 * Each builder runs just before its chart is handed to ECharts; `lap` (optional) is called after
 * each build and each draw call, for the phase timings. Every draw starts before this returns,
 * so the page can fill its tables while ECharts paints.
 */
export function drawCharts(
  board: ChartBoard,
  builders: readonly (() => ChartSpec)[],
  lap: (phase: string) => void = () => undefined,
): Promise<string[]> {
  const specs: ChartSpec[] = [];
  const draws: Promise<boolean>[] = [];
  for (const build of builders) {
    const spec = build();
    lap(`build:${spec.id}`);
    specs.push(spec);
    draws.push(board.show(spec));
    lap(`draw:${spec.id}`);
  }
  return Promise.all(draws).then((drawn) => specs.filter((_, i) => drawn[i]).map((s) => s.id));
}
