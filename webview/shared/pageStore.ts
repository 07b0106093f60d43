/**
 * A page's state in one object, replaced only through `update` with a named change; the part
 * that is UI state (sort, zoom, metric…) is persisted with `setState` whenever it changes, and
 * nothing else is (data always comes from the host again).
 */
export class PageStore<S, Ui> {
  constructor(
    private state: S,
    private readonly uiOf: (s: S) => Ui,
    private readonly persist: (ui: Ui) => void,
  ) {}

  get(): S {
    return this.state;
  }

  update(change: (s: S) => S): S {
    const before = this.state;
    this.state = change(before);
    const ui = this.uiOf(this.state);
    if (ui !== this.uiOf(before)) this.persist(ui);
    return this.state;
  }
}

/** A page's store, starting from the UI state VS Code kept for the panel and saving to it. */
export function persistedStore<S extends { readonly ui: Ui }, Ui>(
  api: { getState(): Ui | undefined; setState(ui: Ui): void },
  initial: (saved: Ui | undefined) => S,
): PageStore<S, Ui> {
  return new PageStore(
    initial(api.getState()),
    (s) => s.ui,
    (ui) => api.setState(ui),
  );
}
