import type Database from 'better-sqlite3';
import { resolve } from 'node:path';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  BulkAppendOptions,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { EventStoreClosed } from '../errors';
import { AppendNotifier } from '../shared/append-notifier';
import { PollingSubscription } from '../shared/polling-subscription';
import { SqliteAppender } from './sqlite-append';
import { openSqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database';
import { SqliteReader } from './sqlite-read';

export interface SqliteEventStoreOptions extends SqliteDatabaseOptions {
  /** Positions per subscription scan (default 500): a checkpoint follows each scan that passed the last event. */
  readonly pageSize?: number;
  /** Rows per `readStream`/`readAll` query (default 1,000): what one read holds in memory at a time. */
  readonly readPageSize?: number;
  /** How often a live subscription looks for appends made by other processes (same-process appends wake it at once). */
  readonly pollIntervalMs?: number;
}

/**
 * The embedded event store: one SQLite file, one connection per store object, any number of processes.
 * Appends, reads and subscriptions live in their own files; this class wires them and owns the lifecycle.
 */
export class SqliteEventStore implements EventStore {
  private readonly appender: SqliteAppender;
  private readonly reader: SqliteReader;
  private readonly notifier = new AppendNotifier();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;
  readonly replicaFile?: string;
  private closed = false;
  private readonly assertOpen = (): void => {
    if (this.closed) throw new EventStoreClosed();
  };

  constructor(
    private readonly db: Database.Database,
    options: SqliteEventStoreOptions = {},
    /** The file behind `db`, when it is one: another thread can then open the same log. */
    path?: string,
  ) {
    if (path !== undefined && path !== ':memory:') this.replicaFile = resolve(path);
    this.appender = new SqliteAppender(db);
    this.reader = new SqliteReader(db, options.readPageSize ?? 1000, options.pageSize ?? 500);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
  }

  async appendToStream(streamId: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const result = this.appender.append(streamId, events, options?.expectedRevision ?? 'any');
    this.notifier.notify();
    return result;
  }

  /** Not `durable`: committed at `synchronous = NORMAL` (WAL: in order, the next FULL commit syncs it). */
  async appendToStreams(appends: readonly StreamAppend[], options?: BulkAppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    const results =
      options?.durable === false ? this.withoutFsync(() => this.appender.appendMany(appends)) : this.appender.appendMany(appends);
    this.notifier.notify();
    return results;
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.reader.readStream(streamId, options, this.assertOpen);
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | null> {
    this.assertOpen();
    return this.reader.findEvent(streamId, eventId);
  }

  async lastRevision(streamId: string): Promise<bigint> {
    this.assertOpen();
    return this.reader.lastRevision(streamId);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.reader.readAll(options, this.assertOpen);
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const from = options?.fromPosition === undefined || options.fromPosition === 'start' ? 0n : options.fromPosition;
    const subscription = new PollingSubscription({
      from,
      readPage: this.reader.logPages(options?.filter),
      notifier: this.notifier,
      pollIntervalMs: this.pollIntervalMs,
      onEnd: (ended) => this.subscriptions.delete(ended),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.reader.head();
  }

  async deleteStream(streamId: string, options?: AppendOptions): Promise<void> {
    this.assertOpen();
    this.appender.softDelete(streamId, options?.expectedRevision ?? 'any');
  }

  /**
   * One row per key, replaced in place: the file does not grow with the number of beats. Committed
   * without an fsync (`synchronous = NORMAL` for this one statement; the next durable commit carries it
   * to the disk): the fsync waited behind whatever else the disk was writing, and a heartbeat took 144 ms
   * of the event loop while a 1M-event rebuild wrote its file (1-5 ms otherwise, 2026-12-06).
   */
  async writeBeacon(key: string, at: string): Promise<void> {
    this.assertOpen();
    this.withoutFsync(() =>
      this.db.prepare('INSERT INTO beacons (key, at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET at = excluded.at').run(key, at),
    );
  }

  /** Runs `write` with its commit at `synchronous = NORMAL`, then puts the connection's own setting back. */
  private withoutFsync<T>(write: () => T): T {
    const synchronous = this.db.pragma('synchronous', { simple: true }) as number | bigint;
    this.db.pragma('synchronous = NORMAL');
    try {
      return write();
    } finally {
      this.db.pragma(`synchronous = ${Number(synchronous)}`);
    }
  }

  async readBeacons(): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    const rows = this.db.prepare('SELECT key, at FROM beacons').all() as { key: string; at: string }[];
    return new Map(rows.map((r) => [r.key, r.at]));
  }

  /** Ends every subscription first, so no reader touches the connection after it is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    this.db.close();
  }
}

export const openSqliteEventStore = (path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore =>
  new SqliteEventStore(openSqliteDatabase(path, options), options, path);
