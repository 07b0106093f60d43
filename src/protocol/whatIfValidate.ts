/**
 * Run-time check of the what-if input (./whatIf) inside a dashboard snapshot: the page runs the
 * simulator on it, so a malformed one (a negative span, a cycle of nesting deeper than any
 * workflow) is refused before it can hang or mislead the page.
 */
import type { SimNode, SimScope, WhatIfInput } from './whatIf';
import { isObject, isStringArray } from './validate';

/** Deeper nesting than this is no workflow we record; it bounds the recursion of the check. */
const MAX_DEPTH = 32;
const OUTCOMES: ReadonlySet<unknown> = new Set(['completed', 'failed', 'cancelled', null]);

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function isWhatIfInput(v: unknown): v is WhatIfInput {
  return (
    isObject(v) &&
    isSimScope(v['model'], 0) &&
    (v['recordedWallMs'] === null || isMs(v['recordedWallMs'])) &&
    (v['cores'] === null ||
      (typeof v['cores'] === 'number' && Number.isInteger(v['cores']) && v['cores'] > 0))
  );
}

function isSimScope(v: unknown, depth: number): v is SimScope {
  return (
    depth <= MAX_DEPTH &&
    isObject(v) &&
    typeof v['slots'] === 'number' &&
    Number.isInteger(v['slots']) &&
    v['slots'] >= 1 &&
    isMs(v['headMs']) &&
    isMs(v['tailMs']) &&
    Array.isArray(v['nodes']) &&
    v['nodes'].every((n) => isSimNode(n, depth))
  );
}

function isSimNode(v: unknown, depth: number): v is SimNode {
  return (
    isObject(v) &&
    typeof v['id'] === 'string' &&
    isStringArray(v['needs']) &&
    typeof v['isMerge'] === 'boolean' &&
    typeof v['continueOnError'] === 'boolean' &&
    OUTCOMES.has(v['outcome']) &&
    isMs(v['spanMs']) &&
    isMs(v['latencyMs']) &&
    isStringArray(v['excludes']) &&
    (v['peakRssBytes'] === null || isMs(v['peakRssBytes'])) &&
    (v['child'] === null || isSimScope(v['child'], depth + 1))
  );
}
