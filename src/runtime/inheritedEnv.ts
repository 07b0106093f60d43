/**
 * The environment every node inherits from the runner, without what belongs to the editor
 * process that started it: ELECTRON_RUN_AS_NODE (set in the extension host) would turn any
 * Electron app a node starts into a bare Node, and the VS Code IPC hooks would connect a node's
 * `code` command to the editor.
 */
const EDITOR_ONLY =
  /^(ELECTRON_RUN_AS_NODE|VSCODE_IPC_HOOK.*|VSCODE_HANDLES_.*|VSCODE_PID|VSCODE_CWD|VSCODE_NLS_CONFIG|VSCODE_CRASH_REPORTER_.*|VSCODE_AMD_ENTRYPOINT|VSCODE_ESM_ENTRYPOINT)$/;

/** `env` without undefined values and without the editor's own variables. */
export function inheritedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !EDITOR_ONLY.test(k)) out[k] = v;
  return out;
}
