/**
 * A timed HTTP request, measured phase by phase from the socket's own events. Runs inside the
 * runner, so it has no process tree of its own: its process metrics stay null.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { monoMs } from '../../model/clock';
import type { HttpTiming } from '../../model/run';
import { parseBoundedJson } from '../boundedJson';

export interface HttpRequestSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal;
  /** A JSON body nested deeper than this fails the node instead of reaching its dependents. */
  maxDepth: number;
}

export interface HttpResult {
  ok: boolean;
  error: string | null;
  timing: HttpTiming;
  output: Record<string, unknown> | null;
  startMono: number;
  endMono: number;
}

/** The response body kept for downstream nodes; the rest is counted, not kept. */
export const MAX_KEPT_BODY = 1024 * 1024;

export function httpRequest(spec: HttpRequestSpec): Promise<HttpResult> {
  return new Promise((resolve) => {
    const t0 = monoMs();
    let tLookup: number | null = null;
    let tConnect: number | null = null;
    let tSecure: number | null = null;
    let tFirstByte: number | null = null;
    let status: number | null = null;
    let bytes = 0;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let headers: Record<string, unknown> = {};
    let settled = false;

    const finish = (requestError: string | null): void => {
      if (settled) return;
      settled = true;
      const end = monoMs();
      const round = (v: number | null): number | null =>
        v === null ? null : Math.round(v * 1000) / 1000;
      const connectStart = tLookup ?? t0;
      const timing: HttpTiming = {
        status,
        bytes,
        dnsMs: round(tLookup === null ? null : tLookup - t0),
        connectMs: round(tConnect === null ? null : tConnect - connectStart),
        tlsMs: round(tSecure === null || tConnect === null ? null : tSecure - tConnect),
        firstByteMs: round(tFirstByte === null ? null : tFirstByte - t0),
        downloadMs: round(tFirstByte === null ? null : end - tFirstByte),
        totalMs: round(end - t0) ?? 0,
      };
      let error = requestError;
      let body: unknown = null;
      if (kept.length > 0) {
        const text = Buffer.concat(kept).toString('utf8');
        const contentType = headers['content-type'];
        const type = typeof contentType === 'string' ? contentType : '';
        const parsed = type.includes('json')
          ? parseBoundedJson(text, spec.maxDepth, 'body JSON')
          : null;
        if (parsed?.ok) body = parsed.value;
        else if (parsed?.limit) error ??= parsed.error;
        else body = text; // not JSON after all: kept as text, as it always was
      }
      const ok = error === null && status !== null && status < 400;
      resolve({
        ok,
        error: error ?? (ok ? null : `HTTP ${status}`),
        timing,
        output:
          status === null ? null : { status, headers, body, bytes, truncated: bytes > keptBytes },
        startMono: t0,
        endMono: end,
      });
    };

    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      finish(`invalid URL: ${spec.url}`);
      return;
    }
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) {
      finish(`unsupported protocol ${url.protocol}`);
      return;
    }
    let payload: Buffer | null = null;
    const reqHeaders: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined && spec.body !== null) {
      if (typeof spec.body === 'string') payload = Buffer.from(spec.body);
      else {
        payload = Buffer.from(JSON.stringify(spec.body));
        if (!Object.keys(reqHeaders).some((h) => h.toLowerCase() === 'content-type')) {
          reqHeaders['content-type'] = 'application/json';
        }
      }
      reqHeaders['content-length'] = String(payload.length);
    }
    // A fresh agent per request, so connect and TLS times are real and not a reused socket's.
    const agent = new lib.Agent({ keepAlive: false });
    const req = lib.request(url, {
      method: spec.method,
      headers: reqHeaders,
      agent,
      signal: spec.signal,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${spec.timeoutMs} ms`));
    }, spec.timeoutMs);
    req.on('socket', (socket) => {
      socket.once('lookup', () => (tLookup = monoMs()));
      socket.once('connect', () => (tConnect = monoMs()));
      socket.once('secureConnect', () => (tSecure = monoMs()));
    });
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      headers = { ...res.headers };
      // The status line has arrived: that is the first byte of the response.
      tFirstByte = monoMs();
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keptBytes + chunk.length <= MAX_KEPT_BODY) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        agent.destroy();
        finish(null);
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        agent.destroy();
        finish(err.message);
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      agent.destroy();
      finish(spec.signal.aborted ? 'cancelled' : err.message);
    });
    req.end(payload ?? undefined);
  });
}
