import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  START,
  StreamNotFoundError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreClosed, StreamNotFound } from '../errors';
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
import { assertDistinctIds } from '../shared/append-decision';
import { isSystemStream, serverPosition, toClientEvent, toRecordedEvent, translateError } from './esdb-events';
import { EsdbSubscription } from './esdb-subscription';

/** Where beacons live: a `$` stream, so never in the application's log. */
const BEACON_STREAM = '$strata-beacons';
/** The newest beats kept and read: enough for every service of a deployment to have beaten within them. */
const BEACON_WINDOW = 1000;

/** The reads the client hands back: async iterables that can be cancelled early. */
interface CancellableRead extends AsyncIterable<ResolvedEvent> {
  cancel(): Promise<void>;
}

/**
 * The event store on EventStoreDB (server 23.10 or later), through @eventstore/db-client 6.x. The port's
 * semantics are the server's own, so most calls map one to one; what it adds:
 * - the global log is the application's: `$`-streams (metadata, settings, statistics) are skipped in
 *   `readAll`, `headPosition` and subscriptions, and a position is the event's commit position;
 * - `readAll` backwards is inclusive of its position, as in the other adapters (the server's is exclusive);
 * - subscriptions resubscribe from their last item when the server drops them (`EsdbSubscription`);
 * - an event id is an idempotency key within its stream, as on the server: the same id in another stream
 *   is a different event (the embedded stores refuse it with DuplicateEventId).
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbSubscription>();
  private beaconsCapped: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly client: EventStoreDBClient) {}

  async appendToStream(streamId: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertDistinctIds(
      streamId,
      events.map((event) => event.id),
    );
    const expected = options?.expectedRevision ?? 'any';
    if (typeof expected === 'bigint' && expected < 0n)
      throw new RangeError(`Expected revision ${expected} on stream ${streamId}: revisions start at 0; use 'no_stream'`);
    try {
      const result = await this.client.appendToStream(streamId, events.map(toClientEvent), { expectedRevision: expected });
      const position = result.position?.commit ?? (await this.positionOf(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      throw translateError(error, streamId, expected);
    }
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const forwards = options?.direction !== 'backwards';
    const from = options?.fromRevision ?? (forwards ? 'start' : 'end');
    if (options?.maxCount !== undefined && options.maxCount <= 0) return;
    const read = this.client.readStream(streamId, {
      direction: forwards ? FORWARDS : BACKWARDS,
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      ...(options?.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    try {
      yield* this.events(read, () => true);
    } catch (error) {
      throw translateError(error, streamId);
    }
  }

  /** The server has no look-up of a stream's revision alone: its last event, read backwards. */
  async lastRevision(streamId: string): Promise<bigint> {
    try {
      for await (const event of this.readStream(streamId, { direction: 'backwards', maxCount: 1 })) return event.revision;
      return -1n;
    } catch (error) {
      if (error instanceof StreamNotFound) return -1n;
      throw error;
    }
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const forwards = options?.direction !== 'backwards';
    const from = options?.fromPosition ?? (forwards ? 'start' : 'end');
    let remaining = options?.maxCount ?? Number.POSITIVE_INFINITY;
    const take = () => --remaining > 0;
    if (remaining <= 0) return;
    if (!forwards && typeof from === 'bigint') {
      // The server reads backwards from before the position; the port includes the event at it.
      for await (const event of this.events(this.client.readAll({ fromPosition: serverPosition(from), maxCount: 1 }), () => false)) {
        if (event.position !== from) break;
        yield event;
        if (!take()) return;
      }
    }
    const read = this.client.readAll({
      direction: forwards ? FORWARDS : BACKWARDS,
      fromPosition: from === 'start' ? START : from === 'end' ? END : serverPosition(from),
    });
    yield* this.events(read, take);
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const subscription = new EsdbSubscription(this.client, options?.fromPosition ?? 'start', options?.filter, (ended) =>
      this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    for await (const event of this.events(this.client.readAll({ direction: BACKWARDS, fromPosition: END }), () => false))
      return event.position;
    return 0n;
  }

  async deleteStream(streamId: string, options?: AppendOptions): Promise<void> {
    this.assertOpen();
    const expected = options?.expectedRevision ?? 'any';
    try {
      // The client's delete has no stream_exists: a read says whether it does (StreamNotFound when not).
      if (expected === 'stream_exists') for await (const _ of this.readStream(streamId, { direction: 'backwards', maxCount: 1 })) break;
      await this.client.deleteStream(streamId, { expectedRevision: expected === 'stream_exists' ? 'any' : expected });
    } catch (error) {
      throw translateError(error, streamId, expected);
    }
  }

  /**
   * Beacons go to one system stream, which the application's log skips (`isSystemStream`) and the server
   * keeps to its last BEACON_WINDOW events (`$maxCount`, enforced on reads, reclaimed by scavenging).
   */
  async writeBeacon(key: string, at: string): Promise<void> {
    this.assertOpen();
    this.beaconsCapped ??= this.client.setStreamMetadata(BEACON_STREAM, { maxCount: BEACON_WINDOW }).then(() => undefined);
    try {
      await this.beaconsCapped;
    } catch (error) {
      this.beaconsCapped = undefined;
      throw error;
    }
    await this.client.appendToStream(BEACON_STREAM, jsonEvent({ type: 'StrataBeacon', data: { key, at } }));
  }

  async readBeacons(): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    const beacons = new Map<string, string>();
    try {
      for await (const resolved of this.client.readStream(BEACON_STREAM, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: BEACON_WINDOW,
      })) {
        const data = resolved.event?.data as { key?: unknown; at?: unknown } | undefined;
        if (typeof data?.key === 'string' && typeof data.at === 'string' && !beacons.has(data.key)) beacons.set(data.key, data.at);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return beacons;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  /** The application's events of a read, until `more` says stop; the call is cancelled if left early. */
  private async *events(read: CancellableRead, more: () => boolean): AsyncGenerator<RecordedEvent> {
    let finished = false;
    try {
      for await (const resolved of read) {
        this.assertOpen();
        const event = toRecordedEvent(resolved);
        if (!event || isSystemStream(event.streamId)) continue;
        yield event;
        if (!more()) return;
      }
      finished = true;
    } finally {
      if (!finished) await read.cancel();
    }
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(streamId, { fromRevision: revision, maxCount: 1 })) return event.position;
    throw new Error(`EventStoreDB reported revision ${revision} of ${streamId} but does not return it`);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
  }
}

/** Connects to `esdb://…` / `esdb+discover://…`; the client connects lazily, on the first call. */
export const openEsdbEventStore = (connectionString: string): EsdbEventStore =>
  new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
