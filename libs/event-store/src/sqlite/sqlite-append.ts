import type Database from 'better-sqlite3';
import type { AppendResult, EventData, ExpectedRevision } from '../event-store.port';
import { DuplicateEventId, StreamNotFound } from '../errors';
import { assertDistinctIds, decideAppend, NO_REVISION, type AppendLookups, type RecordedSlot, type StreamState } from '../shared/append-decision';
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
  private readonly appendTx: (streamId: string, events: readonly EventData[], expected: ExpectedRevision) => AppendResult;
  private readonly deleteTx: (streamId: string, expected: ExpectedRevision) => void;

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
    const append = db.transaction((streamId: string, events: readonly EventData[], expected: ExpectedRevision) =>
      this.appendLocked(streamId, events, expected),
    );
    this.appendTx = (streamId, events, expected) => append.immediate(streamId, events, expected);
    const softDelete = db.transaction((streamId: string, expected: ExpectedRevision) => this.deleteLocked(streamId, expected));
    this.deleteTx = (streamId, expected) => softDelete.immediate(streamId, expected);
  }

  append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): AppendResult {
    assertDistinctIds(streamId, events.map((event) => event.id));
    return this.appendTx(streamId, events, expected);
  }

  softDelete(streamId: string, expected: ExpectedRevision): void {
    this.deleteTx(streamId, expected);
  }

  private appendLocked(streamId: string, events: readonly EventData[], expected: ExpectedRevision): AppendResult {
    const state = this.streamState(streamId);
    const ids = events.map((event) => event.id);
    const decision = decideAppend(streamId, state, expected, ids, this.lookups(streamId));
    if (decision.kind === 'idempotent') return decision.result;
    if (events.length === 0) return { nextExpectedRevision: state.lastRevision, position: this.selectHead.get()!.head };

    const last = decision.fromRevision + BigInt(events.length - 1);
    this.upsertStream.run(streamId, last);
    let position = 0n;
    events.forEach((event, i) => {
      try {
        const revision = decision.fromRevision + BigInt(i);
        const data = serializeData(event.data);
        const metadata = serializeMetadata(event.metadata);
        position = BigInt(this.insertEvent.run(event.id, streamId, revision, event.type, data, metadata).lastInsertRowid);
      } catch (error) {
        // Only the event_id index can collide: the stream's slots are ours while we hold the write lock.
        if (isUniqueViolation(error)) throw new DuplicateEventId(streamId, event.id);
        throw error;
      }
    });
    return { nextExpectedRevision: last, position };
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

  private lookups(streamId: string): AppendLookups {
    return {
      atRevision: (revision) => this.selectAtRevision.get(streamId, revision),
      byId: (eventId) => this.selectById.get(eventId),
    };
  }
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
