/**
 * Run-time checks of the dashboard protocol (./dashboard): the webview checks what the host
 * sends and what setState gave back; the host checks what the webview posts.
 */
import type {
  DashboardSnapshot,
  DashboardToHost,
  DashboardUiState,
  HostToDashboard,
} from './dashboard';
import {
  hasExactKeys,
  isDurationMs,
  isNonEmptyString,
  isObject,
  isStringArray,
  stringMessage,
} from './validate';
import { checkMachineContext } from '../model/machine';
import { isMemoryForecast } from '../model/memoryForecast';
import { isWhatIfInput } from './whatIfValidate';

export function isDashboardSnapshot(v: unknown): v is DashboardSnapshot {
  if (!isObject(v) || !isObject(v['run'])) return false;
  const run = v['run'];
  return (
    typeof run['id'] === 'string' &&
    Array.isArray(run['tasks']) &&
    // Absent for runs recorded before it existed; when present, the header trusts its shape.
    (run['machine'] === undefined || checkMachineContext(run['machine']) === null) &&
    // Absent in runs recorded before forecasts existed; null when there was nothing to replay.
    (run['memoryForecast'] === undefined ||
      run['memoryForecast'] === null ||
      isMemoryForecast(run['memoryForecast'])) &&
    Array.isArray(v['samples']) &&
    Array.isArray(v['plan']) &&
    Array.isArray(v['customHistory']) &&
    (v['customPrevious'] === undefined || Array.isArray(v['customPrevious'])) &&
    (v['whatIf'] === undefined || isWhatIfInput(v['whatIf']))
  );
}

export function isHostToDashboard(m: unknown): m is HostToDashboard {
  if (!isObject(m)) return false;
  switch (m['type']) {
    case 'snapshot':
      return isDashboardSnapshot(m['snapshot']);
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

export function isDashboardUiState(s: unknown): s is DashboardUiState {
  return isObject(s) && typeof s['runId'] === 'string';
}

/** A message from the dashboard webview, rebuilt from its checked fields; null if malformed. */
export function parseDashboardToHost(raw: unknown): DashboardToHost | null {
  if (!isObject(raw)) return null;
  switch (raw['type']) {
    case 'ready':
      return hasExactKeys(raw, ['type']) ? { type: 'ready' } : null;
    case 'openReport':
      return hasExactKeys(raw, ['type']) ? { type: 'openReport' } : null;
    case 'revealNode':
      return stringMessage(raw, 'revealNode', 'nodeId');
    case 'rendered': {
      const { runId, ms, charts } = raw;
      return hasExactKeys(raw, ['type', 'runId', 'ms', 'charts']) &&
        isNonEmptyString(runId) &&
        isDurationMs(ms) &&
        isStringArray(charts)
        ? { type: 'rendered', runId, ms, charts: [...charts] }
        : null;
    }
    default:
      return null;
  }
}
