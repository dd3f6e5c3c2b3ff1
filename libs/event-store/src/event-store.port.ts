/**
 * The event store port, with EventStoreDB's semantics: 0-based bigint stream revisions, the three
 * symbolic expectations, a global log ordered by position, idempotent re-appends of the same event ids,
 * and catch-up subscriptions that start strictly after the position they are given.
 * Every adapter (sqlite, memory, esdb) passes the one contract suite in `contract/`.
 * Positions are opaque and increasing, not counters: the embedded adapters number events 1, 2, 3…,
 * EventStoreDB uses byte offsets in its log. Compare them; never do arithmetic on them.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What a caller appends. `id` is a UUID; a stable id makes a repeated append a no-op. */
export interface EventData<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

export type EventMetadata = Readonly<Record<string, unknown>>;

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: bigint;
  /** Position in the global log ($all); strictly increasing and above 0, not necessarily dense. */
  readonly position: bigint;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  /** When the store recorded the event, ISO 8601. */
  readonly createdAt: string;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as the next expectation. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last appended event. */
  readonly position: bigint;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision; // default 'any'
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly fromRevision?: 'start' | 'end' | bigint; // inclusive; default 'start' (forwards) / 'end' (backwards)
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly fromPosition?: 'start' | 'end' | bigint; // inclusive; default 'start' (forwards) / 'end' (backwards)
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface SubscriptionFilter {
  /** Only events whose stream id starts with one of these. */
  readonly streamPrefixes?: readonly string[];
  /** Only events of these types. */
  readonly eventTypes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Start strictly after this position; 'start' delivers from the first event. Default 'start'. */
  readonly fromPosition?: 'start' | bigint;
  readonly filter?: SubscriptionFilter;
}

/**
 * What a subscription yields: events that pass the filter, and checkpoints that say "everything up to
 * this position has been considered", also across stretches the filter dropped, so a sparse subscriber
 * can store its progress. `caughtUp` is yielded once, when the catch-up phase reaches the head.
 */
export type SubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'checkpoint'; readonly position: bigint }
  | { readonly kind: 'caughtUp'; readonly position: bigint };

export interface Subscription extends AsyncIterable<SubscriptionItem> {
  /** Ends the iteration; safe to call more than once. */
  unsubscribe(): Promise<void>;
}

export interface BulkAppendOptions {
  /**
   * false: the adapter may commit without waiting for the disk. The next durable commit on the log carries
   * these appends to it with everything before it (the log is written in order), and a crash of the machine
   * before one may lose them, the newest first. For a writer that can redo its appends and ends with a
   * durable one (a catalog import, resumed by importing its file again). Default true.
   */
  readonly durable?: boolean;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventData[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Optional (the embedded SQLite store has it): several streams' appends as one transaction, each with
   * its own expectation; all are recorded or none. Bulk writers (a catalog import) use it when present.
   */
  appendToStreams?(appends: readonly StreamAppend[], options?: BulkAppendOptions): Promise<AppendResult[]>;
  /**
   * Optional (the SQLite store over a file has it): the SQLite file that holds this log, which another
   * thread of this process opens (`openSqliteEventStore`) to read the same log on a connection of its own,
   * so a long replay (a catalog built from the log) runs off the event loop that answers requests.
   */
  readonly replicaFile?: string;
  /** Throws StreamNotFound (during iteration) when the stream does not exist or was soft-deleted. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Optional (the embedded stores have it): the event with this id in this stream, as `readStream` would
   * show it; null when the stream shows none (no such event, one of another stream, or one a soft delete
   * hides). What a keyed command asks to learn whether it was recorded before, instead of reading its
   * stream from the start (a project's quota stream grows by two events per backup, for ever).
   */
  findEvent?(streamId: string, eventId: string): Promise<RecordedEvent | null>;
  /**
   * The stream's last revision, -1n where `readStream` would throw StreamNotFound (no such stream, or it
   * was soft-deleted). What a bulk writer asks of every stream it meets (an import probes each stream of
   * its file): one look-up, no read of an event and no exception for the streams that are new.
   */
  lastRevision(streamId: string): Promise<bigint>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the newest event in the log, 0n when empty. */
  headPosition(): Promise<bigint>;
  /** Soft delete: reads say not found; a later append continues the revisions. */
  deleteStream(streamId: string, options?: AppendOptions): Promise<void>;
  /**
   * Beacons: one time per key beside the log, last write wins, never part of it (no position, no
   * subscription sees them, a catalog rebuild never replays them). What a process writes every few
   * seconds to say it is alive (service heartbeats) goes here, so that it costs a constant space.
   * A beacon need not outlive a crash of the machine (the process that wrote it would not either), so an
   * adapter may write it without waiting for the disk.
   */
  writeBeacon(key: string, at: string): Promise<void>;
  /** Every beacon's last time, by key. */
  readBeacons(): Promise<ReadonlyMap<string, string>>;
  close(): Promise<void>;
}
