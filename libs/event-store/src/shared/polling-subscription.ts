import type { RecordedEvent, Subscription, SubscriptionItem } from '../event-store.port';
import type { AppendNotifier } from './append-notifier';
import { WakeSignal } from './wake-signal';

/**
 * One scan of the log after a position. Positions are dense, so an adapter scans a window of
 * positions `(after, scannedTo]` and returns the events in it that pass the filter; `scannedTo`
 * never passes `head`, the newest position the scan could see.
 */
export interface LogPage {
  readonly events: readonly RecordedEvent[];
  readonly scannedTo: bigint;
  readonly head: bigint;
}

export interface PollingSubscriptionOptions {
  readonly from: bigint;
  readonly readPage: (after: bigint) => LogPage;
  readonly notifier: AppendNotifier;
  /** Poll for appends from other processes; without it only in-process notifications wake the reader. */
  readonly pollIntervalMs?: number;
  readonly onEnd: (subscription: PollingSubscription) => void;
}

/**
 * The catch-up-then-live subscription both embedded adapters share: page through the log from the
 * checkpoint, say `caughtUp` once at the head, then sleep until an append notification or the poll
 * timer. A checkpoint follows every page that scanned past the last delivered item (so a filter that
 * drops a long stretch still moves the subscriber's stored position), and the reader pulls, so a slow
 * consumer holds at most one page.
 */
export class PollingSubscription implements Subscription {
  private readonly wake = new WakeSignal();
  private closed = false;
  private generator: AsyncGenerator<SubscriptionItem> | undefined;

  constructor(private readonly options: PollingSubscriptionOptions) {}

  /** Wakes a reader that is waiting and runs the generator's clean-up even if nobody pulls again. */
  async unsubscribe(): Promise<void> {
    this.closed = true;
    this.wake.fire();
    await this.generator?.return(undefined);
    this.options.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    if (this.generator) throw new TypeError('A subscription can be iterated only once');
    this.generator = this.items();
    return this.generator;
  }

  private async *items(): AsyncGenerator<SubscriptionItem> {
    const { readPage, notifier, pollIntervalMs, onEnd } = this.options;
    const stopListening = notifier.listen(() => this.wake.fire());
    let after = this.options.from;
    let reported = after;
    let caughtUp = false;
    try {
      while (!this.closed) {
        this.wake.clear();
        const page = readPage(after);
        for (const event of page.events) {
          yield { kind: 'event', event };
          if (this.closed) return;
          reported = event.position;
        }
        after = page.scannedTo;
        if (after > reported) {
          yield { kind: 'checkpoint', position: after };
          reported = after;
        }
        if (after < page.head) continue;
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: after };
        }
        if (!this.closed) await this.wake.wait(pollIntervalMs);
      }
    } finally {
      stopListening();
      this.closed = true;
      onEnd(this);
    }
  }
}
