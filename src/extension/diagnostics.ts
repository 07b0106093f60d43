/**
 * Problems in workflow files appear in the Problems panel as you type, at the exact line and
 * column the parser reports.
 */
import * as vscode from 'vscode';
import { isWorkflowFile } from '../workflow/discover';
import type { SourceRange, WorkflowProblem } from '../workflow/types';
import type { ParsedWorkflows } from './parsedWorkflows';

const DEBOUNCE_MS = 200;

export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(
    Math.max(0, r.start.line - 1),
    Math.max(0, r.start.col - 1),
    Math.max(0, r.end.line - 1),
    Math.max(0, r.end.col - 1),
  );
}

export class WorkflowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('workflow-profiler');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly parsed: ParsedWorkflows) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.parsed.forget(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  /** Problems found elsewhere (e.g. by the runner in a nested file). */
  setProblems(problems: WorkflowProblem[]): void {
    const byFile = new Map<string, WorkflowProblem[]>();
    for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    for (const [file, list] of byFile)
      this.collection.set(vscode.Uri.file(file), list.map(toDiagnostic));
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isWorkflowDocument(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(doc);
      }, DEBOUNCE_MS),
    );
  }

  check(doc: vscode.TextDocument): WorkflowProblem[] {
    if (!isWorkflowDocument(doc)) return [];
    const { problems } = this.parsed.of(doc);
    this.collection.set(
      doc.uri,
      problems.filter((p) => p.file === doc.uri.fsPath).map(toDiagnostic),
    );
    return problems;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

export function isWorkflowDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && isWorkflowFile(doc.uri.fsPath);
}

function toDiagnostic(p: WorkflowProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    toRange(p.range),
    p.message,
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = 'workflow-profiler';
  return d;
}
