import type Database from 'better-sqlite3';
import type { AppendResult, EventData, ExpectedRevision, StreamAppend } from '../event-store.port';
import { DuplicateEventId, StreamNotFound } from '../errors';
import {
  assertDistinctIds,
  decideAppend,
  NO_REVISION,
  type AppendLookups,
  type RecordedSlot,
  type StreamState,
} from '../shared/append-decision';
import { serializeData, serializeMetadata } from '../shared/stored-event';

interface StreamRow {
  readonly version: bigint;
  readonly deleted: bigint;
}

/**
 * The write side. Every write runs in `BEGIN IMMEDIATE` (`transaction(fn).immediate()`): the write lock
 * is taken before the stream's version is read, so two processes cannot both pass the expectation check,
 * and no reader-to-writer upgrade can deadlock on SQLITE_BUSY.
 */
export class SqliteAppender {
  private readonly selectStream: Database.Statement<[string], StreamRow>;
  private readonly selectAtRevision: Database.Statement<[string, bigint], RecordedSlot>;
  private readonly selectById: Database.Statement<[string], RecordedSlot>;
  private readonly selectHead: Database.Statement<[], { head: bigint }>;
  private readonly upsertStream: Database.Statement<[string, bigint]>;
  private readonly insertEvent: Database.Statement<[string, string, bigint, string, string, string | null]>;
  private readonly markDeleted: Database.Statement<[string]>;
  private readonly appendTx: (
    streamId: string,
    events: readonly EventData[],
    ids: readonly string[],
    expected: ExpectedRevision,
    assumeNewIds: boolean,
  ) => AppendResult;
  private readonly deleteTx: (streamId: string, expected: ExpectedRevision) => void;
  private readonly appendManyTx: (appends: readonly StreamAppend[], assumeNewIds: boolean) => AppendResult[];

  constructor(db: Database.Database) {
    const slot = 'event_id AS id, stream_id AS streamId, stream_version AS revision, global_position AS position';
    this.selectStream = db.prepare('SELECT version, deleted FROM streams WHERE stream_id = ?');
    this.selectAtRevision = db.prepare(`SELECT ${slot} FROM events WHERE stream_id = ? AND stream_version = ?`);
    this.selectById = db.prepare(`SELECT ${slot} FROM events WHERE event_id = ?`);
    this.selectHead = db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head FROM events');
    this.upsertStream = db.prepare(
      `INSERT INTO streams (stream_id, version) VALUES (?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, deleted = 0`,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.markDeleted = db.prepare('UPDATE streams SET deleted = 1, truncate_before = version + 1 WHERE stream_id = ?');
    const append = db.transaction(
      (streamId: string, events: readonly EventData[], ids: readonly string[], expected: ExpectedRevision, assumeNewIds: boolean) =>
        this.appendLocked(streamId, events, ids, expected, assumeNewIds),
    );
    this.appendTx = (streamId, events, ids, expected, assumeNewIds) => append.immediate(streamId, events, ids, expected, assumeNewIds);
    const appendMany = db.transaction((appends: readonly StreamAppend[], assumeNewIds: boolean) =>
      appends.map((a) =>
        this.appendLocked(
          a.streamId,
          a.events,
          a.events.map((e) => e.id),
          a.expectedRevision,
          assumeNewIds,
        ),
      ),
    );
    this.appendManyTx = (appends, assumeNewIds) => appendMany.immediate(appends, assumeNewIds);
    const softDelete = db.transaction((streamId: string, expected: ExpectedRevision) => this.deleteLocked(streamId, expected));
    this.deleteTx = (streamId, expected) => softDelete.immediate(streamId, expected);
  }

  /**
   * The happy path pays no look-up by event id: the decision first runs as if none of the ids were in the
   * log yet, and the UNIQUE index on `event_id` checks that as the rows go in. Only if it fires (an id is
   * already recorded: a replay, or a duplicate) is the whole transaction rolled back and the append
   * decided again in a new one, this time with the look-ups, which tell a replay from a duplicate.
   */
  append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): AppendResult {
    const ids = events.map((event) => event.id);
    assertDistinctIds(streamId, ids);
    try {
      return this.appendTx(streamId, events, ids, expected, true);
    } catch (error) {
      if (!(error instanceof IdAlreadyRecorded)) throw error;
      return this.appendTx(streamId, events, ids, expected, false);
    }
  }

  /** Several streams' appends in one transaction: all of them are recorded, or none (see `append`). */
  appendMany(appends: readonly StreamAppend[]): AppendResult[] {
    for (const a of appends)
      assertDistinctIds(
        a.streamId,
        a.events.map((e) => e.id),
      );
    try {
      return this.appendManyTx(appends, true);
    } catch (error) {
      if (!(error instanceof IdAlreadyRecorded)) throw error;
      return this.appendManyTx(appends, false);
    }
  }

  softDelete(streamId: string, expected: ExpectedRevision): void {
    this.deleteTx(streamId, expected);
  }

  private appendLocked(
    streamId: string,
    events: readonly EventData[],
    ids: readonly string[],
    expected: ExpectedRevision,
    assumeNewIds: boolean,
  ): AppendResult {
    const state = this.streamState(streamId);
    const decision = decideAppend(streamId, state, expected, ids, this.lookups(streamId, assumeNewIds));
    if (decision.kind === 'idempotent') return decision.result;
    if (events.length === 0) return { nextExpectedRevision: state.lastRevision, position: this.selectHead.get()!.head };

    const last = decision.fromRevision + BigInt(events.length - 1);
    this.upsertStream.run(streamId, last);
    let inserted: Database.RunResult | undefined;
    // decideAndAppend puts one metadata object on every event of a command: serialize it once.
    let metadata: EventData['metadata'];
    let metadataText: string | null = null;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (i === 0 || event.metadata !== metadata) {
        metadata = event.metadata;
        metadataText = serializeMetadata(metadata);
      }
      try {
        inserted = this.insertEvent.run(
          event.id,
          streamId,
          decision.fromRevision + BigInt(i),
          event.type,
          serializeData(event.data),
          metadataText,
        );
      } catch (error) {
        // Only the event_id index can collide: the stream's slots are ours while we hold the write lock.
        if (!isUniqueViolation(error)) throw error;
        if (assumeNewIds) throw new IdAlreadyRecorded();
        throw new DuplicateEventId(streamId, event.id);
      }
    }
    return { nextExpectedRevision: last, position: BigInt(inserted!.lastInsertRowid) };
  }

  private deleteLocked(streamId: string, expected: ExpectedRevision): void {
    const state = this.streamState(streamId);
    if (state.lastRevision === NO_REVISION) throw new StreamNotFound(streamId);
    if (state.softDeleted && expected === 'any') return;
    decideAppend(streamId, state, expected, [], this.lookups(streamId));
    this.markDeleted.run(streamId);
  }

  private streamState(streamId: string): StreamState {
    const row = this.selectStream.get(streamId);
    return row ? { lastRevision: row.version, softDeleted: row.deleted === 1n } : { lastRevision: NO_REVISION, softDeleted: false };
  }

  /** With `assumeNewIds`, no id is looked up: the insert's UNIQUE index is the check (see `append`). */
  private lookups(streamId: string, assumeNewIds = false): AppendLookups {
    return {
      atRevision: (revision) => this.selectAtRevision.get(streamId, revision),
      byId: assumeNewIds ? () => undefined : (eventId) => this.selectById.get(eventId),
    };
  }
}

/** Internal: an id of the batch is already in the log, so the append must be decided with the look-ups. */
class IdAlreadyRecorded extends Error {
  override readonly name = 'IdAlreadyRecorded';
}

/**
 * By its code, not `instanceof`: the native add-on is loaded once per process and keeps the SqliteError
 * class of whichever context loaded it first, so under jest (a context per test file) its errors need
 * not be instances of this context's Error.
 */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
