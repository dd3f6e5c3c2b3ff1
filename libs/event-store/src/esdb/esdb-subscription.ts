import { START, type AllStreamResolvedEvent, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import type { Subscription, SubscriptionFilter, SubscriptionItem } from '../event-store.port';
import { isDelivered, serverFilterOf, serverPosition, toRecordedEvent } from './esdb-events';

const HIGH_WATER = 1_000;
const LOW_WATER = 250;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

interface Marker {
  /** The marker follows the event the client produced as number `after` on this connection. */
  readonly after: number;
  readonly make: () => SubscriptionItem | undefined;
}

/**
 * A `$all` catch-up subscription over the client's, in the port's terms:
 * - one ordered stream of items. The client hands events through its readable side but reports
 *   checkpoints and `caughtUp` as it parses them, possibly ahead of events still buffered; each such
 *   marker is therefore held back until the events produced before it have been read;
 * - resubscription: when the server ends or drops the call (UNAVAILABLE, CANCELLED on a leader change,
 *   a restart), it subscribes again strictly after the last item it queued, with a growing back-off,
 *   so no event is lost or delivered twice and `caughtUp` is still said once;
 * - back-pressure: it pauses the client's stream while more than HIGH_WATER items wait to be read.
 */
export class EsdbSubscription implements Subscription {
  private readonly queue: SubscriptionItem[] = [];
  private markers: Marker[] = [];
  private received = 0;
  /** Position of the last queued event or checkpoint; -1n until one, when it started at the start. */
  private last: bigint;
  private caughtUpSaid = false;
  private ended = false;
  private iterated = false;
  private paused = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private current: AllStreamSubscription | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    from: 'start' | bigint,
    private readonly filter: SubscriptionFilter | undefined,
    private readonly onEnd: (subscription: EsdbSubscription) => void,
  ) {
    this.last = from === 'start' ? -1n : from;
    this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    if (this.iterated) throw new TypeError('A subscription can be iterated only once');
    this.iterated = true;
    return this.items();
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.retryTimer);
    this.wake?.();
    const current = this.current;
    this.current = undefined;
    this.onEnd(this);
    await current?.unsubscribe();
  }

  private async *items(): AsyncGenerator<SubscriptionItem> {
    try {
      while (!this.ended) {
        const item = this.queue.shift();
        if (item) {
          if (this.paused && this.queue.length < LOW_WATER) {
            this.paused = false;
            this.current?.resume();
          }
          yield item;
          continue;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      await this.unsubscribe();
    }
  }

  private connect(): void {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.last < 0n ? START : serverPosition(this.last),
      filter: serverFilterOf(this.filter, (position) => this.mark(subscription, () => this.checkpoint(position.commit))),
    });
    this.current = subscription;
    this.received = 0;
    this.markers = [];
    this.paused = false;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (subscription !== this.current) return;
      this.received++;
      this.retryMs = FIRST_RETRY_MS;
      this.accept(resolved);
      while (this.markers[0] && this.markers[0].after <= this.received) this.enqueue(this.markers.shift()!.make());
    });
    subscription.on('caughtUp', () => this.mark(subscription, () => this.caughtUp()));
    subscription.on('error', () => this.reconnect(subscription));
    subscription.on('end', () => this.reconnect(subscription));
  }

  private reconnect(subscription: AllStreamSubscription): void {
    if (this.ended || subscription !== this.current) return;
    this.current = undefined;
    void subscription.unsubscribe().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      if (!this.ended) this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private mark(subscription: AllStreamSubscription, make: () => SubscriptionItem | undefined): void {
    if (subscription !== this.current) return;
    const after = this.received + subscription.readableLength;
    if (after <= this.received && this.markers.length === 0) this.enqueue(make());
    else this.markers.push({ after, make });
  }

  private accept(resolved: AllStreamResolvedEvent): void {
    const event = toRecordedEvent(resolved);
    if (!event || event.position <= this.last) return;
    this.enqueue(isDelivered(this.filter, event) ? { kind: 'event', event } : { kind: 'checkpoint', position: event.position });
  }

  private checkpoint(position: bigint): SubscriptionItem | undefined {
    return position > this.last ? { kind: 'checkpoint', position } : undefined;
  }

  private caughtUp(): SubscriptionItem | undefined {
    if (this.caughtUpSaid) return undefined;
    this.caughtUpSaid = true;
    return { kind: 'caughtUp', position: this.last < 0n ? 0n : this.last };
  }

  private enqueue(item: SubscriptionItem | undefined): void {
    if (!item || this.ended) return;
    if (item.kind !== 'caughtUp') this.last = item.kind === 'event' ? item.event.position : item.position;
    this.queue.push(item);
    this.wake?.();
    if (!this.paused && this.queue.length > HIGH_WATER) {
      this.paused = true;
      this.current?.pause();
    }
  }
}
