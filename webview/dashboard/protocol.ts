/** Runtime checks of what arrives from the host or from setState, before it is trusted. */
import type {
  DashboardSnapshot,
  DashboardUiState,
  HostToDashboard,
} from '../../src/protocol/dashboard';
import { isObject } from '../shared/vscodeApi';

export function isSnapshot(v: unknown): v is DashboardSnapshot {
  if (!isObject(v) || !isObject(v['run'])) return false;
  const run = v['run'];
  return (
    typeof run['id'] === 'string' &&
    Array.isArray(run['tasks']) &&
    Array.isArray(v['samples']) &&
    Array.isArray(v['plan']) &&
    Array.isArray(v['customHistory'])
  );
}

export function isHostMessage(m: unknown): m is HostToDashboard {
  if (!isObject(m)) return false;
  switch (m['type']) {
    case 'snapshot':
      return isSnapshot(m['snapshot']);
    case 'update': {
      const u = m['update'];
      return (
        isObject(u) &&
        typeof u['runId'] === 'string' &&
        Array.isArray(u['tasks']) &&
        Array.isArray(u['samples'])
      );
    }
    case 'focusNode':
      return typeof m['nodeId'] === 'string';
    default:
      return false;
  }
}

export function isUiState(s: unknown): s is DashboardUiState {
  return isObject(s) && typeof s['runId'] === 'string';
}
