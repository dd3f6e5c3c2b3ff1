/**
 * A latch a subscription sleeps on between polls. A wake-up that arrives while the reader is busy is
 * remembered, so an append committed between "read the page" and "go to sleep" is never missed.
 */
export class WakeSignal {
  private pending = false;
  private release: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  fire(): void {
    if (this.release) this.settle();
    else this.pending = true;
  }

  /** Forget wake-ups that the read about to start will cover anyway. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on `fire()`, or after `timeoutMs` when given; the timer never outlives the wait. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.release = resolve;
      if (timeoutMs !== undefined) this.timer = setTimeout(() => this.settle(), timeoutMs);
    });
  }

  private settle(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}
