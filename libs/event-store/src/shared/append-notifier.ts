/**
 * In-process "something was committed" signal. SQLite has no LISTEN/NOTIFY, so this only reaches
 * subscriptions of the same store object; other processes are caught by the subscription's poll timer.
 */
export class AppendNotifier {
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the commit, never inside the transaction: a woken reader must see the rows. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
