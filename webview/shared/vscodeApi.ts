/**
 * A typed face over `acquireVsCodeApi()`: what the webview may post (the panel's protocol) and
 * the UI state it persists. Outside VS Code (the CLI's standalone HTML) there is no host: posts
 * are kept on `window.__wpPosted` for tests, state lives in memory, and the snapshot comes from
 * the `<script type="application/json" id="wp-snapshot">` element.
 */

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => RawVsCodeApi;
    __wpPosted?: unknown[];
  }
}

export interface HostApi<ToHost, State> {
  readonly inVsCode: boolean;
  post(message: ToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

export function hostApi<ToHost, State>(
  isState: (s: unknown) => s is State,
): HostApi<ToHost, State> {
  const acquire = window.acquireVsCodeApi;
  if (typeof acquire === 'function') {
    // acquireVsCodeApi may be called once per page load.
    const raw = acquire();
    return {
      inVsCode: true,
      post: (m) => raw.postMessage(m),
      getState: () => {
        const s = raw.getState();
        return isState(s) ? s : undefined;
      },
      setState: (s) => raw.setState(s),
    };
  }
  let state: State | undefined;
  const posted: unknown[] = (window.__wpPosted = []);
  return {
    inVsCode: false,
    post: (m) => posted.push(m),
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  };
}

/** Messages from the host arrive as window `message` events; anything malformed is ignored. */
export function onHostMessage<FromHost>(
  isMessage: (m: unknown) => m is FromHost,
  handle: (m: FromHost) => void,
): void {
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isMessage(e.data)) handle(e.data);
  });
}

/** The snapshot embedded in standalone HTML, or null. */
export function embeddedSnapshot(): unknown {
  const el = document.getElementById('wp-snapshot');
  if (!el || !el.textContent) return null;
  try {
    return JSON.parse(el.textContent) as unknown;
  } catch {
    return null;
  }
}
