/**
 * The `workflow` task type: `{ "type": "workflow", "file": "...", "profile": true }` in tasks.json
 * runs through a CustomExecution pseudoterminal with the same runner and storage as the commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TASK_TYPE } from './contributionIds';
import { taskLine } from '../report/terminalProgress';
import type { RunController } from './runController';
import { findWorkflowFiles } from './workflowUri';

export interface WorkflowTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  file: string;
  profile?: boolean;
}

export class WorkflowTaskProvider implements vscode.TaskProvider {
  constructor(private readonly controller: RunController) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const files = await findWorkflowFiles();
    return files.map((uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const rel = folder ? path.relative(folder.uri.fsPath, uri.fsPath) : uri.fsPath;
      return this.build({ type: TASK_TYPE, file: rel }, folder ?? vscode.TaskScope.Workspace);
    });
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as WorkflowTaskDefinition;
    if (typeof def.file !== 'string') return undefined;
    return this.build(def, task.scope ?? vscode.TaskScope.Workspace, task.name);
  }

  private build(
    def: WorkflowTaskDefinition,
    scope: vscode.WorkspaceFolder | vscode.TaskScope,
    name?: string,
  ): vscode.Task {
    const task = new vscode.Task(
      def,
      scope,
      name ?? `${def.profile ? 'profile' : 'run'} ${def.file}`,
      'Workflow Profiler',
      new vscode.CustomExecution((resolved) => {
        const d = resolved as WorkflowTaskDefinition;
        const base =
          typeof scope === 'object'
            ? scope.uri.fsPath
            : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd());
        return Promise.resolve(
          new WorkflowTaskTerminal(
            this.controller,
            vscode.Uri.file(path.resolve(base, d.file)),
            d.profile === true,
          ),
        );
      }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }
}

/** Shows the run's progress and node output, and ends with the run's exit code (0 = completed). */
class WorkflowTaskTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private sub: vscode.Disposable | undefined;

  constructor(
    private readonly controller: RunController,
    private readonly uri: vscode.Uri,
    private readonly profile: boolean,
  ) {}

  open(): void {
    const out = (text: string): void => this.write.fire(text.replace(/\r?\n/g, '\r\n'));
    out(`${this.profile ? 'Profiling' : 'Running'} ${this.uri.fsPath}\n`);
    this.sub = this.controller.onDidEvent(({ run, event }) => {
      if (run.file !== this.uri.fsPath) return;
      if (event.type === 'task-finished') out(`${taskLine(event.task)}\n`);
      if (event.type === 'invalid') {
        for (const p of event.problems)
          out(
            `${p.file}:${p.range.start.line}:${p.range.start.col}: ${p.severity}: ${p.message}\n`,
          );
      }
    });
    void this.controller
      .run(this.uri, { profile: this.profile, silent: true, write: out })
      .then((r) => {
        const run = r.runDir
          ? `\nrun ${r.runId} ${r.status}; report: ${path.join(r.runDir, 'report.md')}\n`
          : `\n${r.status}\n`;
        out(run);
        this.sub?.dispose();
        this.closed.fire(r.status === 'completed' ? 0 : r.status === 'invalid' ? 2 : 1);
      })
      .catch((err: unknown) => {
        out(`\nerror: ${String(err)}\n`);
        this.closed.fire(1);
      });
  }

  handleInput(data: string): void {
    if (data === '\x03') this.controller.cancel(this.uri.fsPath); // Ctrl+C
  }

  close(): void {
    this.controller.cancel(this.uri.fsPath);
    this.sub?.dispose();
  }
}
