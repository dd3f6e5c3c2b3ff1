import { randomUUID } from 'node:crypto';
import type { EventData, EventStore, RecordedEvent, Subscription, SubscriptionItem } from '../event-store.port';

/** The store under test; each `it` gets a fresh one from the adapter's `open`. */
export type StoreUnderTest = () => EventStore;

/** Opens a store before each test of the enclosing describe and closes it after; `body` declares the tests. */
export const withFreshStore = (open: () => Promise<EventStore>, body: (store: StoreUnderTest) => void): void => {
  let current: EventStore | undefined;
  const store = (): EventStore => {
    if (!current) throw new Error('The store is opened in beforeEach');
    return current;
  };
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  body(store);
};

export const streamId = (category = 'backup'): string => `${category}-${randomUUID()}`;

/** A stream-name category no other test uses, for subscriptions that filter on it. */
export const uniqueCategory = (name: string): string => `${name}${randomUUID().slice(0, 8)}`;

export const anEvent = (type = 'BackupRequested', data: unknown = { n: 1 }, metadata?: EventData['metadata']): EventData => ({
  id: randomUUID(),
  type,
  data,
  ...(metadata ? { metadata } : {}),
});

export const someEvents = (count: number, type = 'ChunkWritten'): EventData[] =>
  Array.from({ length: count }, (_, i) => anEvent(type, { index: i }));

export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

export const idsOf = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

/** Appends `events` one batch at a time; returns the result of the last batch. */
export const appendInBatches = async (store: EventStore, stream: string, events: readonly EventData[], batch: number) => {
  let result;
  for (let i = 0; i < events.length; i += batch) result = await store.appendToStream(stream, events.slice(i, i + batch));
  return result!;
};

const DEFAULT_DEADLINE_MS = 10_000;

/**
 * Pulls a subscription item by item, each wait bounded by a deadline, keeping the iterator so a test can
 * read catch-up, append, then read on. A pending pull survives a timeout, so no item is ever dropped.
 */
export class SubscriptionReader {
  readonly items: SubscriptionItem[] = [];
  private readonly iterator: AsyncIterator<SubscriptionItem>;
  private pending: Promise<IteratorResult<SubscriptionItem>> | undefined;

  /**
   * `onItem` plays the subscriber's handler: it sees each item once, in order, as it is read.
   * With `retain: false` the reader keeps no items (for replays of the whole log).
   */
  constructor(
    readonly subscription: Subscription,
    private readonly onItem: (item: SubscriptionItem) => void = () => {},
    private readonly retain = true,
  ) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  get events(): RecordedEvent[] {
    return this.items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  }

  get checkpoints(): bigint[] {
    return this.items.flatMap((item) => (item.kind === 'checkpoint' ? [item.position] : []));
  }

  /** Reads until `done(items)` holds; fails with what it saw if the deadline passes or the subscription ends. */
  async until(done: (reader: SubscriptionReader) => boolean, what: string, deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!done(this)) {
      const result = await this.pull(deadline);
      if (result === 'timeout') throw new Error(`Timed out waiting for ${what}; saw ${this.describe()}`);
      if (result.done) throw new Error(`Subscription ended while waiting for ${what}; saw ${this.describe()}`);
      this.accept(result.value);
    }
  }

  /** Resolves when the iteration has ended (items still in flight are kept). */
  async ended(deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const result = await this.pull(deadline);
      if (result === 'timeout') throw new Error(`Timed out waiting for the subscription to end; saw ${this.describe()}`);
      if (result.done) return;
      this.accept(result.value);
    }
  }

  /** Starts a pull without waiting for it, so a test can act while the subscription is waiting. */
  startPull(): void {
    this.pending ??= this.iterator.next();
  }

  private accept(item: SubscriptionItem): void {
    if (this.retain) this.items.push(item);
    this.onItem(item);
  }

  private async pull(deadline: number): Promise<IteratorResult<SubscriptionItem> | 'timeout'> {
    this.startPull();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    try {
      const result = await Promise.race([this.pending!, timeout]);
      if (result !== 'timeout') this.pending = undefined;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  private describe(): string {
    const kinds = this.items.map((item) => (item.kind === 'event' ? `event@${item.event.position}` : `${item.kind}@${item.position}`));
    return `${this.items.length} items [${kinds.slice(-10).join(', ')}]`;
  }
}

export const caughtUp = (reader: SubscriptionReader): boolean => reader.items.some((item) => item.kind === 'caughtUp');

export const positionOf = (item: SubscriptionItem): bigint => (item.kind === 'event' ? item.event.position : item.position);
