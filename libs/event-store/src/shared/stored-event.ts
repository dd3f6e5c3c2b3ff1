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

/** `data` must survive a JSON round trip; `undefined` becomes `null` so the column is never empty. */
export const serializeData = (data: unknown): string => JSON.stringify(data) ?? 'null';

export const serializeMetadata = (metadata: EventMetadata | undefined): string | null =>
  metadata === undefined ? null : JSON.stringify(metadata);
