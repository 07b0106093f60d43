/**
 * One parse per document version, shared by diagnostics, CodeLens, hovers and the Workflows
 * tree: each asks on every keystroke or refresh, and parsing is the expensive part.
 */
import type * as vscode from 'vscode';
import { parseWorkflowText, type ParseOutcome } from '../workflow/parse';

/** Open workflow documents are few; this only bounds a pathological case. */
const MAX_DOCUMENTS = 32;

export class ParsedWorkflows {
  private readonly cache = new Map<string, { version: number; outcome: ParseOutcome }>();

  /** The parse of this version of the document (parsed now if no one has asked before). */
  of(doc: vscode.TextDocument): ParseOutcome {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.outcome;
    const outcome = parseWorkflowText(doc.getText(), doc.uri.fsPath);
    this.cache.delete(key);
    if (this.cache.size >= MAX_DOCUMENTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { version: doc.version, outcome });
    return outcome;
  }

  /** A closed document's parse is of no more use. */
  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}
