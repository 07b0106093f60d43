/**
 * Clicks on a chart with one row per node. The y axis's categories are node ids, so a click on a
 * label names its node; a click on a series item is looked up by the chart.
 */
import type { ChartHit } from './chartSpec';

export function rowNodeAt(
  hit: ChartHit,
  itemNode: (hit: ChartHit) => string | null,
): string | null {
  if (hit.componentType === 'yAxis' && typeof hit.value === 'string') return hit.value;
  return hit.componentType === 'series' ? itemNode(hit) : null;
}

/** `nodeAt` for a chart whose series item i stands for the node `ids[i]`. */
export function nodeAtRows(ids: readonly string[]): (hit: ChartHit) => string | null {
  return (hit) => rowNodeAt(hit, (h) => ids[h.dataIndex ?? -1] ?? null);
}
