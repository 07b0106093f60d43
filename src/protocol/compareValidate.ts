/**
 * Run-time checks of the compare protocol (./compare): the webview checks what the host sends
 * and what setState gave back; the host checks what the webview posts and what a restored panel
 * kept. Deep enough that the page never reads a field of the wrong type.
 */
import { COMPARE_METRICS, type CompareMetric } from '../model/comparison';
import type { SeriesVerdict } from '../model/seriesComparison';
import type { CompareSnapshot, CompareToHost, CompareUiState, HostToCompare } from './compare';
import {
  hasExactKeys,
  isDurationMs,
  isNonEmptyString,
  isObject,
  isStringArray,
  stringMessage,
} from './validate';

const VERDICTS: readonly SeriesVerdict[] = ['regressed', 'improved', 'unchanged', 'insufficient'];
/** A side's spec: ids and commas; far longer than any real list is not one the page made. */
const MAX_SPEC = 20_000;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isCount = (v: unknown): boolean => isNum(v) && Number.isInteger(v) && v >= 0;

export function isCompareMetric(v: unknown): v is CompareMetric {
  return isStr(v) && (COMPARE_METRICS as readonly string[]).includes(v);
}

function isSideStats(v: unknown): boolean {
  return (
    isObject(v) &&
    isNumOrNull(v['median']) &&
    isCount(v['n']) &&
    isNumOrNull(v['mad']) &&
    isStringArray(v['outliers'])
  );
}

function isMetricStats(v: unknown): boolean {
  return (
    isObject(v) &&
    isSideStats(v['baseline']) &&
    isSideStats(v['candidate']) &&
    ['change', 'low', 'high', 'p', 'pAdjusted'].every((k) => isNumOrNull(v[k])) &&
    isNum(v['noiseBand']) &&
    (VERDICTS as readonly unknown[]).includes(v['verdict']) &&
    (v['note'] === null || isStr(v['note']))
  );
}

function isNodeStats(v: unknown): boolean {
  if (!isObject(v) || !isStr(v['nodeId']) || !isObject(v['metrics'])) return false;
  return Object.entries(v['metrics']).every(([k, m]) => isCompareMetric(k) && isMetricStats(m));
}

function isSeriesComparison(v: unknown): boolean {
  return (
    isObject(v) &&
    isObject(v['baseline']) &&
    isStringArray(v['baseline']['runs']) &&
    isObject(v['candidate']) &&
    isStringArray(v['candidate']['runs']) &&
    Array.isArray(v['metrics']) &&
    v['metrics'].every(isCompareMetric) &&
    Array.isArray(v['nodes']) &&
    v['nodes'].every(isNodeStats) &&
    isCount(v['moreRunsNeeded']) &&
    isObject(v['settings']) &&
    isCount(v['settings']['minRuns'])
  );
}

function isSideInfo(v: unknown): boolean {
  return (
    isObject(v) &&
    isStr(v['spec']) &&
    isStringArray(v['runs']) &&
    isStringArray(v['warmups']) &&
    isStr(v['description'])
  );
}

function isRunInfo(v: unknown): boolean {
  return (
    isObject(v) &&
    isStr(v['id']) &&
    isStr(v['startedAt']) &&
    isStr(v['status']) &&
    isNumOrNull(v['wallMs']) &&
    (v['side'] === 'baseline' || v['side'] === 'candidate')
  );
}

function isChoice(v: unknown): boolean {
  if (!isObject(v) || !isStr(v['spec']) || !isStr(v['startedAt']) || !isStr(v['workflowName']))
    return false;
  if (v['kind'] === 'series') return isCount(v['measuredRuns']) && isCount(v['warmups']);
  return v['kind'] === 'run' && isStr(v['status']) && isNumOrNull(v['wallMs']);
}

function isRecordOf(v: unknown, item: (x: unknown) => boolean): boolean {
  return isObject(v) && Object.values(v).every(item);
}

export function isCompareSnapshot(v: unknown): v is CompareSnapshot {
  if (!isObject(v)) return false;
  const words = v['words'];
  return (
    isStr(v['workflowName']) &&
    isSideInfo(v['baseline']) &&
    isSideInfo(v['candidate']) &&
    isSeriesComparison(v['stats']) &&
    isObject(words) &&
    isStr(words['verdict']) &&
    isStr(words['method']) &&
    isStringArray(words['outliers']) &&
    isStringArray(words['load']) &&
    isRecordOf(v['nodeTypes'], isStr) &&
    Array.isArray(v['runs']) &&
    v['runs'].every(isRunInfo) &&
    isRecordOf(v['durationTrend'], (xs) => Array.isArray(xs) && xs.every(isNumOrNull)) &&
    Array.isArray(v['choices']) &&
    v['choices'].every(isChoice)
  );
}

export function isHostToCompare(m: unknown): m is HostToCompare {
  if (!isObject(m)) return false;
  if (m['type'] === 'snapshot') return isCompareSnapshot(m['snapshot']);
  return m['type'] === 'error' && isStr(m['message']);
}

const isSpec = (v: unknown): v is string => isNonEmptyString(v) && v.length <= MAX_SPEC;

export function isCompareUiState(s: unknown): s is CompareUiState {
  if (!isObject(s) || !isSpec(s['baseline']) || !isSpec(s['candidate'])) return false;
  return s['metric'] === undefined || isCompareMetric(s['metric']);
}

/**
 * The sides a restored panel compares: its UI state, or the form kept before series existed
 * (`runIds`, oldest first, the last the candidate); null when neither.
 */
export function restoredSides(state: unknown): { baseline: string; candidate: string } | null {
  if (isCompareUiState(state)) return { baseline: state.baseline, candidate: state.candidate };
  if (!isObject(state) || !isStringArray(state['runIds'])) return null;
  const ids = state['runIds'].filter((x) => x !== '');
  const candidate = ids[ids.length - 1];
  if (ids.length < 2 || candidate === undefined) return null;
  return { baseline: ids.slice(0, -1).join(','), candidate };
}

/** A message from the compare webview, rebuilt from its checked fields; null if malformed. */
export function parseCompareToHost(raw: unknown): CompareToHost | null {
  if (!isObject(raw)) return null;
  const type = raw['type'];
  switch (type) {
    case 'ready':
    case 'openReport':
      return hasExactKeys(raw, ['type']) ? { type } : null;
    case 'choose': {
      const { baseline, candidate } = raw;
      return hasExactKeys(raw, ['type', 'baseline', 'candidate']) &&
        isSpec(baseline) &&
        isSpec(candidate)
        ? { type: 'choose', baseline, candidate }
        : null;
    }
    case 'revealNode':
      return stringMessage(raw, 'revealNode', 'nodeId');
    case 'openDashboard':
      return stringMessage(raw, 'openDashboard', 'runId');
    case 'rendered': {
      const { ms, charts } = raw;
      return hasExactKeys(raw, ['type', 'ms', 'charts']) &&
        isDurationMs(ms) &&
        isStringArray(charts)
        ? { type: 'rendered', ms, charts: [...charts] }
        : null;
    }
    default:
      return null;
  }
}
