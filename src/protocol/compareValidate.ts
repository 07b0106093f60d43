/**
 * Run-time checks of the compare protocol (./compare): the webview checks what the host sends
 * and what setState gave back; the host checks what the webview posts.
 */
import type { CompareSnapshot, CompareToHost, CompareUiState, HostToCompare } from './compare';
import { hasExactKeys, isDurationMs, isObject, isStringArray, stringMessage } from './validate';

export function isCompareSnapshot(v: unknown): v is CompareSnapshot {
  if (!isObject(v) || !isObject(v['comparison']) || !isObject(v['durationTrend'])) return false;
  const c = v['comparison'];
  return Array.isArray(v['runs']) && Array.isArray(c['nodes']) && Array.isArray(c['baselineIds']);
}

export function isHostToCompare(m: unknown): m is HostToCompare {
  return isObject(m) && m['type'] === 'snapshot' && isCompareSnapshot(m['snapshot']);
}

export function isCompareUiState(s: unknown): s is CompareUiState {
  return isObject(s) && Array.isArray(s['runIds']);
}

/** A message from the compare webview, rebuilt from its checked fields; null if malformed. */
export function parseCompareToHost(raw: unknown): CompareToHost | null {
  if (!isObject(raw)) return null;
  switch (raw['type']) {
    case 'ready':
      return hasExactKeys(raw, ['type']) ? { type: 'ready' } : null;
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
