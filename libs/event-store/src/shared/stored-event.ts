import type { EventMetadata, RecordedEvent } from '../event-store.port';

/**
 * An event as both adapters keep it: data and metadata as JSON text. The memory adapter stores the
 * same text SQLite does, so what a reader gets back (a fresh object, `undefined` fields dropped) never
 * depends on the adapter.
 */
export interface StoredEvent {
  readonly position: bigint;
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly metadata: string | null;
  readonly createdAt: string;
}

const EMPTY_METADATA: EventMetadata = Object.freeze({});

export const toRecordedEvent = (row: StoredEvent): RecordedEvent => ({
  id: row.id,
  streamId: row.streamId,
  revision: row.revision,
  position: row.position,
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  metadata: row.metadata === null ? EMPTY_METADATA : (JSON.parse(row.metadata) as EventMetadata),
  createdAt: row.createdAt,
});

/**
 * A stored event as one row in column order (better-sqlite3's raw mode, which skips building an object
 * per row): position, id, streamId, revision, type, data, metadata, createdAt.
 */
export type StoredRow = readonly [bigint, string, string, bigint, string, string, string | null, string];

/** The columns of a `StoredRow`, for the SQL that reads them. */
export const STORED_ROW_COLUMNS = 'global_position, event_id, stream_id, stream_version, type, data, metadata, created_at';

export const recordedEventOfRow = (row: StoredRow): RecordedEvent => ({
  id: row[1],
  streamId: row[2],
  revision: row[3],
  position: row[0],
  type: row[4],
  data: JSON.parse(row[5]) as unknown,
  metadata: row[6] === null ? EMPTY_METADATA : (JSON.parse(row[6]) as EventMetadata),
  createdAt: row[7],
});

/** `data` must survive a JSON round trip; `undefined` becomes `null` so the column is never empty. */
export const serializeData = (data: unknown): string => JSON.stringify(data) ?? 'null';

export const serializeMetadata = (metadata: EventMetadata | undefined): string | null =>
  metadata === undefined ? null : JSON.stringify(metadata);
