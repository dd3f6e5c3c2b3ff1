import {
  END, PersistentSubscriptionDoesNotExistError, PersistentSubscriptionExistsError, persistentSubscriptionToAllSettingsFromDefaults,
  ROUND_ROBIN, START, type EventStoreDBClient, type PersistentSubscriptionToAll, type PersistentSubscriptionToAllResolvedEvent,
} from '@eventstore/db-client';
import type {
  NackAction, PersistentDelivery, PersistentGroupOptions, PersistentSubscribeOptions, PersistentSubscription, PersistentSubscriptions,
  SubscriptionFilter,
} from '../event-store.port';
import { isDelivered, serverFilterOf, toRecordedEvent } from './esdb-events';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/** Consumer groups on `$all` (server 21.10+), with round-robin dispatch. */
export class EsdbPersistentSubscriptions implements PersistentSubscriptions {
  private readonly open = new Set<EsdbPersistentSubscription>();
  /** The filter of each group this client made; the server keeps its own copy and applies it first. */
  private readonly filters = new Map<string, SubscriptionFilter | undefined>();

  constructor(private readonly client: EventStoreDBClient, private readonly assertOpen: () => void) {}

  async ensureGroup(group: string, options: PersistentGroupOptions = {}): Promise<void> {
    this.assertOpen();
    this.filters.set(group, options.filter);
    const settings = persistentSubscriptionToAllSettingsFromDefaults({
      startFrom: options.fromPosition === 'end' ? END : START,
      consumerStrategyName: ROUND_ROBIN,
      maxRetryCount: options.maxRetryCount ?? 10,
      messageTimeout: options.messageTimeoutMs ?? 30_000,
    });
    try {
      await this.client.createPersistentSubscriptionToAll(group, settings, { filter: serverFilterOf(options.filter) });
    } catch (error) {
      if (!(error instanceof PersistentSubscriptionExistsError)) throw error;
    }
  }

  subscribe(group: string, options: PersistentSubscribeOptions = {}): PersistentSubscription {
    this.assertOpen();
    const subscription = new EsdbPersistentSubscription(this.client, group, options.bufferSize ?? 10, this.filters.get(group), (ended) =>
      this.open.delete(ended),
    );
    this.open.add(subscription);
    return subscription;
  }

  async deleteGroup(group: string): Promise<void> {
    this.assertOpen();
    await this.client.deletePersistentSubscriptionToAll(group);
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.unsubscribe()));
  }
}

/**
 * One consumer of a group. Events outside the group's filter as this client knows it (the server filters
 * on stream names or on event types, not both) and system events are acked at once and never yielded.
 * A dropped connection rejoins with a back-off; the server hands the events that were in flight to this
 * consumer to the group again. A group that does not exist (or was deleted) ends the iteration with
 * PersistentSubscriptionDoesNotExistError.
 */
class EsdbPersistentSubscription implements PersistentSubscription {
  private readonly queue: PersistentDelivery[] = [];
  private ended = false;
  private iterated = false;
  private failure: unknown;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private current: PersistentSubscriptionToAll | undefined;
  private readonly joinedOnce: Promise<void>;
  private resolveJoined!: () => void;
  private rejectJoined!: (error: unknown) => void;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly group: string,
    private readonly bufferSize: number,
    private readonly filter: SubscriptionFilter | undefined,
    private readonly onEnd: (subscription: EsdbPersistentSubscription) => void,
  ) {
    this.joinedOnce = new Promise((resolve, reject) => {
      this.resolveJoined = resolve;
      this.rejectJoined = reject;
    });
    this.joinedOnce.catch(() => undefined);
    this.connect();
  }

  joined(): Promise<void> {
    return this.joinedOnce;
  }

  [Symbol.asyncIterator](): AsyncIterator<PersistentDelivery> {
    if (this.iterated) throw new TypeError('A subscription can be iterated only once');
    this.iterated = true;
    return this.deliveries();
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.retryTimer);
    this.wake?.();
    this.rejectJoined(new Error(`Left consumer group ${this.group} before joining it`));
    const current = this.current;
    this.current = undefined;
    this.onEnd(this);
    await current?.unsubscribe();
  }

  private async *deliveries(): AsyncGenerator<PersistentDelivery> {
    try {
      for (;;) {
        const delivery = this.queue.shift();
        if (delivery) {
          yield delivery;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
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
    const subscription = this.client.subscribeToPersistentSubscriptionToAll(this.group, { bufferSize: this.bufferSize });
    this.current = subscription;
    subscription.on('confirmation', () => {
      this.retryMs = FIRST_RETRY_MS;
      this.resolveJoined();
    });
    subscription.on('data', (resolved: PersistentSubscriptionToAllResolvedEvent) => this.accept(subscription, resolved));
    subscription.on('error', (error: unknown) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, undefined));
  }

  private accept(subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent): void {
    if (subscription !== this.current || this.ended) return;
    const event = toRecordedEvent(resolved);
    if (!event || !isDelivered(this.filter, event)) {
      void subscription.ack(resolved).catch(() => undefined);
      return;
    }
    // An ack or nack that cannot reach the server is dropped: the event comes round again (at least once).
    this.queue.push({
      event,
      retryCount: resolved.retryCount,
      ack: () => subscription.ack(resolved).catch(() => undefined),
      nack: (action: NackAction, reason: string) => subscription.nack(action, reason, resolved).catch(() => undefined),
    });
    this.wake?.();
  }

  private dropped(subscription: PersistentSubscriptionToAll, error: unknown): void {
    if (this.ended || subscription !== this.current) return;
    this.current = undefined;
    void subscription.unsubscribe().catch(() => undefined);
    if (error instanceof PersistentSubscriptionDoesNotExistError) {
      this.failure = error;
      this.rejectJoined(error);
      this.ended = true;
      this.onEnd(this);
      this.wake?.();
      return;
    }
    this.retryTimer = setTimeout(() => {
      if (!this.ended) this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
