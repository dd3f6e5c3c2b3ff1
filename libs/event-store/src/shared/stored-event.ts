import type { EventMetadata, RecordedEvent } from '../event-store.port';

/**
 * An event as both adapters keep it: data and metadata as JSON text. The memory adapter stores the
 * same text SQLite does, so what a reader gets back (fresh data with `undefined` fields dropped, frozen
 * metadata) never depends on the adapter.
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

/** The metadata of an event recorded without any: one frozen object for all of them, on every adapter. */
export const EMPTY_METADATA: EventMetadata = Object.freeze({});

/**
 * Metadata as every adapter hands it out: frozen, all the way down. Events recorded by one command or one
 * job carry the same metadata text, so a reader parses each text once and shares the frozen object
 * among its events (see `metadataReader`); freezing it everywhere keeps the adapters alike, so no
 * consumer can come to rely on changing an event's metadata.
 */
export const frozenMetadata = (metadata: EventMetadata): EventMetadata => deepFreeze(metadata);

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
};

const parseMetadata = (text: string | null): EventMetadata =>
  text === null ? EMPTY_METADATA : deepFreeze(JSON.parse(text) as EventMetadata);

/**
 * How many distinct metadata texts a reader remembers: enough for the jobs whose events interleave in
 * the log (each job's events share its metadata), few enough that a miss costs a handful of string
 * comparisons, which fail on the first differing character.
 */
export const REMEMBERED_METADATA = 8;

/**
 * Parses metadata text for one read. A replay spends about a fifth of its time parsing metadata, and
 * the log repeats the same few texts (one per command or job in flight), so the last few parsed texts
 * are kept, compared by value, and replaced oldest first.
 */
export const metadataReader = (): ((text: string | null) => EventMetadata) => {
  const texts: (string | null)[] = new Array<string | null>(REMEMBERED_METADATA).fill(null);
  const parsed: EventMetadata[] = new Array<EventMetadata>(REMEMBERED_METADATA).fill(EMPTY_METADATA);
  let oldest = 0;
  return (text) => {
    if (text === null) return EMPTY_METADATA;
    for (let i = 0; i < REMEMBERED_METADATA; i++) if (texts[i] === text) return parsed[i]!;
    const metadata = parseMetadata(text);
    texts[oldest] = text;
    parsed[oldest] = metadata;
    oldest = (oldest + 1) % REMEMBERED_METADATA;
    return metadata;
  };
};

export const toRecordedEvent = (row: StoredEvent): RecordedEvent => ({
  id: row.id,
  streamId: row.streamId,
  revision: row.revision,
  position: row.position,
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  metadata: parseMetadata(row.metadata),
  createdAt: row.createdAt,
});

/**
 * A stored event as one row in column order (better-sqlite3's raw mode, which skips building an object
 * per row): position, id, streamId, revision, type, data, metadata, createdAt.
 */
export type StoredRow = readonly [bigint, string, string, bigint, string, string, string | null, string];

/** The columns of a `StoredRow`, for the SQL that reads them. */
export const STORED_ROW_COLUMNS = 'global_position, event_id, stream_id, stream_version, type, data, metadata, created_at';

/** A decoder of rows into RecordedEvents for one read (it remembers that read's metadata texts). */
export const rowReader = (): ((row: StoredRow) => RecordedEvent) => {
  const metadataOf = metadataReader();
  return (row) => ({
    id: row[1],
    streamId: row[2],
    revision: row[3],
    position: row[0],
    type: row[4],
    data: JSON.parse(row[5]) as unknown,
    metadata: metadataOf(row[6]),
    createdAt: row[7],
  });
};

/** `data` must survive a JSON round trip; `undefined` becomes `null` so the column is never empty. */
export const serializeData = (data: unknown): string => JSON.stringify(data) ?? 'null';

export const serializeMetadata = (metadata: EventMetadata | undefined): string | null =>
  metadata === undefined ? null : JSON.stringify(metadata);
