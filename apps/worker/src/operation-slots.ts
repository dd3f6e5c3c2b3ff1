/** Settles when the slot is granted or one of the signals aborts, and leaves no listener behind. */
const grantedOrAborted = (granted: Promise<void>, signals: readonly AbortSignal[]): Promise<void> => {
  if (signals.some((s) => s.aborted)) return Promise.resolve();
  let remove = () => {};
  const aborted = new Promise<void>((resolve) => {
    const onAbort = () => resolve();
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    remove = () => signals.forEach((s) => s.removeEventListener('abort', onAbort));
  });
  return Promise.race([granted, aborted]).finally(() => remove());
};

/**
 * Cinder's `backup_max_operations`: at most `limit` backups and restores run at once in one worker
 * process (0: no limit). A place in the queue is taken when the job is planned, so jobs start in the
 * order they were requested, whatever each one waits for before it needs its slot.
 */
export class OperationSlots {
  private running = 0;
  private readonly waiting: Array<{ readonly grant: () => void; granted: boolean }> = [];

  constructor(private readonly limit: number) {}

  /**
   * A place in the queue. `acquired` settles once the slot is the job's, or at once when `signal` is
   * aborted (a cancelled job records its cancellation without waiting for a slot); `release` frees
   * the slot, or the place, and may be called once either way.
   */
  take(): { readonly acquired: (signals?: readonly AbortSignal[]) => Promise<void>; readonly release: () => void } {
    let resolveGrant!: () => void;
    const granted = new Promise<void>((resolve) => (resolveGrant = resolve));
    const entry = { grant: resolveGrant, granted: false };
    let released = false;
    if (this.limit === 0 || this.running < this.limit) {
      this.running++;
      entry.granted = true;
      resolveGrant();
    } else this.waiting.push(entry);
    return {
      acquired: (signals = []) => grantedOrAborted(granted, signals),
      release: () => {
        if (released) return;
        released = true;
        if (!entry.granted) {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          return;
        }
        this.running--;
        this.grantNext();
      },
    };
  }

  /** Backups and restores running now (a slot given is counted until it is released). */
  get inUse(): number {
    return this.running;
  }

  /** Jobs waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private grantNext() {
    while (this.waiting.length > 0 && (this.limit === 0 || this.running < this.limit)) {
      const next = this.waiting.shift()!;
      next.granted = true;
      this.running++;
      next.grant();
    }
  }
}
