/**
 * Stand-ins activate() registers in place of the real providers: each loads the extension's
 * services on its first call and forwards to the real provider. VS Code subscribes to a
 * provider's change event at registration, before anything is loaded, so those events are relayed.
 */
import * as vscode from 'vscode';

/** An event that exists from registration on and, once `follow`ed, repeats the real one's. */
class Relay<T> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T>();
  readonly event = this.emitter.event;
  private followed: vscode.Disposable | null = null;

  follow(source: vscode.Event<T> | undefined): void {
    if (this.followed || !source) return;
    this.followed = source((e) => this.emitter.fire(e));
  }

  dispose(): void {
    this.followed?.dispose();
    this.emitter.dispose();
  }
}

type TreeChange<T> = T | T[] | undefined | null | void;

export class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly relay = new Relay<TreeChange<T>>();
  readonly onDidChangeTreeData = this.relay.event;

  constructor(private readonly load: () => vscode.TreeDataProvider<T>) {}

  private target(): vscode.TreeDataProvider<T> {
    const t = this.load();
    this.relay.follow(t.onDidChangeTreeData);
    return t;
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target().getTreeItem(element);
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.target().getChildren(element);
  }

  dispose(): void {
    this.relay.dispose();
  }
}

export class LazyCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly relay = new Relay<void>();
  readonly onDidChangeCodeLenses = this.relay.event;

  constructor(private readonly load: () => vscode.CodeLensProvider) {}

  provideCodeLenses(
    doc: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.CodeLens[]> {
    const t = this.load();
    this.relay.follow(t.onDidChangeCodeLenses);
    return t.provideCodeLenses(doc, token);
  }

  dispose(): void {
    this.relay.dispose();
  }
}

/** An event whose first subscriber loads what fires it. */
export function lazyEvent<T>(source: () => vscode.Event<T>): vscode.Event<T> {
  return (listener, thisArgs?: unknown, disposables?: vscode.Disposable[]) =>
    source()(listener, thisArgs, disposables);
}
