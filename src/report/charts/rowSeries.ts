/**
 * The custom series of a chart with one row per node: item i stands at row i (its first value;
 * the second is the value axis's origin), and `render` draws the whole row.
 */
import type { CustomSeriesRenderItem } from 'echarts' with { 'resolution-mode': 'import' };
import { groupRoot } from './chartSpec';

export function rowSeries(render: CustomSeriesRenderItem, rows: number) {
  return {
    type: 'custom' as const,
    renderItem: groupRoot(render),
    encode: { x: 1, y: 0 },
    data: Array.from({ length: rows }, (_, i) => [i, 0]),
    // Labels beside a bar may run past the grid.
    clip: false,
  };
}
