import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { DuplicateEventId, EventStoreClosed, StreamNotFound } from '../errors';
import { assertDistinctIds, decideAppend, NO_REVISION, type AppendLookups, type RecordedSlot } from '../shared/append-decision';
import { AppendNotifier } from '../shared/append-notifier';
import { matchesFilter } from '../shared/filter';
import { PollingSubscription, type LogPage } from '../shared/polling-subscription';
import { allReadRange, streamReadRange, type ReadRange } from '../shared/read-range';
import { serializeData, serializeMetadata, toRecordedEvent, type StoredEvent } from '../shared/stored-event';

export interface MemoryEventStoreOptions {
  /** Positions a subscription scans per page; small values exercise checkpoints in tests. */
  readonly pageSize?: number;
  /** The store's clock for `createdAt`. */
  readonly now?: () => Date;
}

interface MemoryStream {
  lastRevision: bigint;
  softDeleted: boolean;
  truncateBefore: bigint;
  /** Global position of each revision, indexed by revision. */
  readonly positions: bigint[];
}

/**
 * The whole store in one process's memory, for unit tests and `memory:`. It keeps events as the same
 * JSON text the SQLite adapter stores and runs the same append decision and subscription loop, so it
 * passes the same contract; an append takes effect before its promise settles, like a committed one.
 */
export class MemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, MemoryStream>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly beacons = new Map<string, string>();
  private readonly notifier = new AppendNotifier();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pageSize: number;
  private readonly now: () => Date;
  private closed = false;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.pageSize = options.pageSize ?? 500;
    this.now = options.now ?? (() => new Date());
  }

  async appendToStream(streamId: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const ids = events.map((event) => event.id);
    assertDistinctIds(streamId, ids);
    const stream = this.streams.get(streamId);
    const state = stream ?? { lastRevision: NO_REVISION, softDeleted: false };
    const decision = decideAppend(streamId, state, options?.expectedRevision ?? 'any', ids, this.lookups(streamId));
    if (decision.kind === 'idempotent') return decision.result;
    if (events.length === 0) return { nextExpectedRevision: state.lastRevision, position: this.head() };
    const duplicate = ids.find((id) => this.byId.has(id));
    if (duplicate !== undefined) throw new DuplicateEventId(streamId, duplicate);

    const target = stream ?? this.createStream(streamId);
    const createdAt = this.now().toISOString();
    events.forEach((event, i) => {
      const stored: StoredEvent = {
        position: BigInt(this.log.length + 1),
        id: event.id,
        streamId,
        revision: decision.fromRevision + BigInt(i),
        type: event.type,
        data: serializeData(event.data),
        metadata: serializeMetadata(event.metadata),
        createdAt,
      };
      this.log.push(stored);
      this.byId.set(stored.id, stored);
      target.positions.push(stored.position);
    });
    target.lastRevision = decision.fromRevision + BigInt(events.length - 1);
    target.softDeleted = false;
    this.notifier.notify();
    return { nextExpectedRevision: target.lastRevision, position: this.head() };
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    if (!stream || stream.softDeleted) throw new StreamNotFound(streamId);
    const range = streamReadRange(options, stream.lastRevision, stream.truncateBefore);
    for (const revision of walk(range)) {
      this.assertOpen();
      yield toRecordedEvent(this.at(stream.positions[Number(revision)]!));
    }
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | null> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    const stored = this.byId.get(eventId);
    if (!stream || stream.softDeleted || !stored || stored.streamId !== streamId || stored.revision < stream.truncateBefore) return null;
    return toRecordedEvent(stored);
  }

  async lastRevision(streamId: string): Promise<bigint> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    return !stream || stream.softDeleted ? -1n : stream.lastRevision;
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    for (const position of walk(allReadRange(options, this.head()))) {
      this.assertOpen();
      yield toRecordedEvent(this.at(position));
    }
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const from = options?.fromPosition === undefined || options.fromPosition === 'start' ? 0n : options.fromPosition;
    const filter = options?.filter;
    const readPage = (after: bigint): LogPage => {
      const head = this.head();
      const end = after + BigInt(this.pageSize) < head ? after + BigInt(this.pageSize) : head;
      const scannedTo = end > after ? end : after;
      const events = this.log
        .slice(Number(after), Number(scannedTo))
        .filter((e) => matchesFilter(filter, e.streamId, e.type))
        .map(toRecordedEvent);
      return { events, scannedTo, head };
    };
    const subscription = new PollingSubscription({
      from,
      readPage,
      notifier: this.notifier,
      onEnd: (ended) => this.subscriptions.delete(ended),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.head();
  }

  async deleteStream(streamId: string, options?: AppendOptions): Promise<void> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    if (!stream) throw new StreamNotFound(streamId);
    const expected = options?.expectedRevision ?? 'any';
    if (stream.softDeleted && expected === 'any') return;
    decideAppend(streamId, stream, expected, [], this.lookups(streamId));
    stream.softDeleted = true;
    stream.truncateBefore = stream.lastRevision + 1n;
  }

  async writeBeacon(key: string, at: string): Promise<void> {
    this.assertOpen();
    this.beacons.set(key, at);
  }

  async readBeacons(): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    return new Map(this.beacons);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
  }

  private lookups(streamId: string): AppendLookups {
    return {
      atRevision: (revision) => {
        const position = this.streams.get(streamId)?.positions[Number(revision)];
        return position === undefined ? undefined : slotOf(this.at(position));
      },
      byId: (eventId) => {
        const stored = this.byId.get(eventId);
        return stored && slotOf(stored);
      },
    };
  }

  private createStream(streamId: string): MemoryStream {
    const stream: MemoryStream = { lastRevision: NO_REVISION, softDeleted: false, truncateBefore: 0n, positions: [] };
    this.streams.set(streamId, stream);
    return stream;
  }

  private at(position: bigint): StoredEvent {
    return this.log[Number(position) - 1]!;
  }

  private head(): bigint {
    return BigInt(this.log.length);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
  }
}

const slotOf = ({ id, streamId, revision, position }: StoredEvent): RecordedSlot => ({ id, streamId, revision, position });

/** The values of a read range, in reading order, up to maxCount. */
function* walk({ forwards, first, bound, maxCount }: ReadRange): Generator<bigint> {
  let count = 0;
  for (let at = first; forwards ? at <= bound : at >= bound; at += forwards ? 1n : -1n) {
    if (count++ >= maxCount) return;
    yield at;
  }
}

export const openMemoryEventStore = (options?: MemoryEventStoreOptions): MemoryEventStore => new MemoryEventStore(options);
