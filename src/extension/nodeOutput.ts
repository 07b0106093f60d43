/**
 * Where node output streams while a run goes on: one output channel, or one terminal per
 * workflow. Text arrives in rate-limited chunks from the runner; nothing is held here.
 */
import * as vscode from 'vscode';
import type { NodeOutputTarget } from './config';

export class NodeOutput implements vscode.Disposable {
  private channel: vscode.OutputChannel | null = null;
  private readonly terminals = new Map<
    string,
    { terminal: vscode.Terminal; emitter: vscode.EventEmitter<string> }
  >();

  writer(name: string, target: NodeOutputTarget): ((text: string) => void) | null {
    if (target === 'none') return null;
    if (target === 'terminal') return this.terminalWriter(name);
    this.channel ??= vscode.window.createOutputChannel('Workflow Profiler: Node Output');
    const channel = this.channel;
    channel.appendLine(`── ${name} ──`);
    return (text) => channel.append(text);
  }

  private terminalWriter(name: string): (text: string) => void {
    let entry = this.terminals.get(name);
    if (!entry || entry.terminal.exitStatus !== undefined) {
      const emitter = new vscode.EventEmitter<string>();
      const pty: vscode.Pseudoterminal = {
        onDidWrite: emitter.event,
        open: () => undefined,
        close: () => this.terminals.delete(name),
      };
      const terminal = vscode.window.createTerminal({ name: `Workflow: ${name}`, pty });
      entry = { terminal, emitter };
      this.terminals.set(name, entry);
    }
    const { emitter } = entry;
    return (text) => emitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  dispose(): void {
    this.channel?.dispose();
    for (const { terminal, emitter } of this.terminals.values()) {
      terminal.dispose();
      emitter.dispose();
    }
  }
}
