/** How a `shell`, `python` or `node` node becomes an executable and its arguments. */
import * as path from 'node:path';
import type { NodeDef } from '../../workflow/types';

export interface CommandLine {
  file: string;
  args: string[];
  /** Extra environment the interpreter needs (not from the workflow). */
  env: Record<string, string>;
}

export function pythonExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env['WORKFLOW_PROFILER_PYTHON'] || (process.platform === 'win32' ? 'python' : 'python3');
}

export function commandLine(node: NodeDef, workflowDir: string): CommandLine {
  const args = node.args ?? [];
  switch (node.type) {
    case 'shell':
      if (process.platform === 'win32') {
        return {
          file: process.env['ComSpec'] ?? 'cmd.exe',
          args: ['/d', '/s', '/c', node.run ?? ''],
          env: {},
        };
      }
      return { file: '/bin/sh', args: ['-c', node.run ?? ''], env: {} };
    case 'python':
      return node.code !== undefined
        ? {
            file: pythonExecutable(),
            args: ['-c', node.code, ...args],
            env: { PYTHONUNBUFFERED: '1' },
          }
        : {
            file: pythonExecutable(),
            args: [path.resolve(workflowDir, node.script ?? ''), ...args],
            env: { PYTHONUNBUFFERED: '1' },
          };
    case 'node': {
      // Inside an Electron-based editor process.execPath is the editor; this makes it act as Node.
      const env: Record<string, string> = process.versions['electron']
        ? { ELECTRON_RUN_AS_NODE: '1' }
        : {};
      return node.code !== undefined
        ? { file: process.execPath, args: ['-e', node.code, ...args], env }
        : {
            file: process.execPath,
            args: [path.resolve(workflowDir, node.script ?? ''), ...args],
            env,
          };
    }
    default:
      throw new Error(`node type ${node.type} does not run a process`);
  }
}
