/** Runtime checks of what arrives from the host or from setState, before it is trusted. */
import type { CompareSnapshot, CompareUiState, HostToCompare } from '../../src/protocol/compare';
import { isObject } from '../shared/vscodeApi';

export function isCompareSnapshot(v: unknown): v is CompareSnapshot {
  if (!isObject(v) || !isObject(v['comparison']) || !isObject(v['durationTrend'])) return false;
  const c = v['comparison'];
  return Array.isArray(v['runs']) && Array.isArray(c['nodes']) && Array.isArray(c['baselineIds']);
}

export function isHostMessage(m: unknown): m is HostToCompare {
  return isObject(m) && m['type'] === 'snapshot' && isCompareSnapshot(m['snapshot']);
}

export function isUiState(s: unknown): s is CompareUiState {
  return isObject(s) && Array.isArray(s['runIds']);
}
