import {
  BACKUP_EVENT_TYPES,
  backupStreamId,
  eventViolation,
  JSON_UNIT_BYTES,
  MAX_EVENT_DATA_JSON_BYTES,
  MAX_EVENT_TYPE_LENGTH,
  MAX_TEXT_LENGTH,
  SNAPSHOT_EVENT_TYPES,
  snapshotStreamId,
  VOLUME_EVENT_TYPES,
  volumeStreamId,
  VOLUME_TYPE_EVENT_TYPES,
  USER_MESSAGE_EVENT_TYPES,
  USER_MESSAGE_STREAM_PREFIX,
  userMessageStreamId,
  VOLUME_TYPE_STREAM_PREFIX,
  volumeTypeStreamId,
} from '@strata/domain';
import type { EventMetadata, RecordedEvent } from '@strata/event-store';
import { createHash, type Hash } from 'node:crypto';

/**
 * The portable catalog file: NDJSON, one header line, one line per event in log order, and a trailer
 * line with the SHA-256 of every line before it (each with its newline). Versioned so a later Strata
 * can read an older file; a reader refuses a version it does not know.
 *
 *   {"format":"strata-catalog","version":1,"exportedAt":"…","headPosition":123,"selection":{"all":true}}
 *   {"streamId":"backup-…","revision":0,"id":"…","type":"BackupRequested","data":{…},"metadata":{…},"recordedAt":"…","position":7}
 *   {"sha256":"…","events":42}
 */
export const HISTORY_FORMAT = 'strata-catalog';
export const HISTORY_VERSION = 1;

/** The metadata key an import adds: when the event was first recorded, in the store it came from. */
export const ORIGINAL_RECORDED_AT = 'originalRecordedAt';

export type HistorySelection = { readonly all: true } | { readonly backupIds: readonly string[] };

export interface HistoryHeader {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: number;
  readonly exportedAt: string;
  /** The head of the source log when the export began: no event after it is in the file. */
  readonly headPosition: number;
  readonly selection: HistorySelection;
}

export interface HistoryEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** When the event was first recorded (kept across any number of export/import hops). */
  readonly recordedAt: string;
  /** Its position in the source log: informative only, the importing store assigns its own. */
  readonly position: number;
}

export interface HistoryTrailer {
  readonly sha256: string;
  readonly events: number;
}

/** The file is not a catalog export this Strata can read, or it was damaged on the way. */
export class InvalidHistoryFile extends Error {
  override readonly name = 'InvalidHistoryFile';
  constructor(
    reason: string,
    readonly line?: number,
  ) {
    super(`Invalid catalog file${line === undefined ? '' : ` (line ${line})`}: ${reason}`);
  }
}

/** The time an event was first recorded: the original's when it came in by an import. */
export const firstRecordedAt = (event: Pick<RecordedEvent, 'metadata' | 'createdAt'>): string => {
  const original = event.metadata[ORIGINAL_RECORDED_AT];
  return typeof original === 'string' ? original : event.createdAt;
};

export const historyEventOf = (event: RecordedEvent): HistoryEvent => ({
  streamId: event.streamId,
  revision: Number(event.revision),
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: firstRecordedAt(event),
  position: Number(event.position),
});

/** A running SHA-256 over the lines the trailer covers, exactly as they are written. */
export class HistoryDigest {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  /** Adds a line (without its newline) and returns it with the newline, ready to write. */
  line(text: string): string {
    const withNewline = `${text}\n`;
    this.hash.update(withNewline);
    return withNewline;
  }

  countEvent(): void {
    this.count += 1;
  }
  get events(): number {
    return this.count;
  }
  trailer(): HistoryTrailer {
    return { sha256: this.hash.digest('hex'), events: this.count };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseLine = (text: string, line: number): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidHistoryFile('not a JSON line', line);
  }
  if (!isObject(parsed)) throw new InvalidHistoryFile('a line must be a JSON object', line);
  return parsed;
};

export const parseHeader = (text: string | undefined): HistoryHeader => {
  if (text === undefined) throw new InvalidHistoryFile('the file is empty');
  const header = parseLine(text, 1);
  if (header.format !== HISTORY_FORMAT) throw new InvalidHistoryFile(`the first line must name format "${HISTORY_FORMAT}"`, 1);
  if (header.version !== HISTORY_VERSION)
    throw new InvalidHistoryFile(`version ${String(header.version)} is not supported (this Strata reads version ${HISTORY_VERSION})`, 1);
  return header as unknown as HistoryHeader;
};

const STREAM_ID = /^(backup|volume|volume-type|snapshot|message)-[0-9a-f-]+$/;
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stream each entity's events belong on, and the data field that names the entity (`volume-type-` before `volume-`). */
const STREAM_OF: readonly [prefix: string, types: readonly string[], idField: string, streamId: (id: string) => string][] = [
  [VOLUME_TYPE_STREAM_PREFIX, VOLUME_TYPE_EVENT_TYPES, 'volumeTypeId', volumeTypeStreamId],
  ['backup-', BACKUP_EVENT_TYPES, 'backupId', backupStreamId],
  ['volume-', VOLUME_EVENT_TYPES, 'volumeId', volumeStreamId],
  ['snapshot-', SNAPSHOT_EVENT_TYPES, 'snapshotId', snapshotStreamId],
  [USER_MESSAGE_STREAM_PREFIX, USER_MESSAGE_EVENT_TYPES, 'messageId', userMessageStreamId],
];

/** Metadata is the flat who/why/which-request record every event carries: short strings, nothing nested. */
const MAX_METADATA_KEYS = 32;
const MAX_METADATA_KEY = MAX_TEXT_LENGTH;
const MAX_METADATA_VALUE = 4096;
/** `recordedAt` as a store writes it: an ISO time, as long as the event schemas' times at most. */
const MAX_RECORDED_AT = 40;
/** The longest stream id an event can sit on: the longest prefix (`volume-type-`) and a UUID. */
const MAX_STREAM_ID = 'volume-type-'.length + 36;

const jsonString = (units: number): number => 2 + JSON_UNIT_BYTES * units;
/** `"name":value,` */
const jsonField = (name: string, valueBytes: number): number => jsonString(name.length) + 1 + valueBytes + 1;
const JSON_SAFE_INTEGER = String(Number.MAX_SAFE_INTEGER).length + 1;

/**
 * The longest line an import reads (`fileLines`): an event line with the longest data any event can have
 * and every envelope field at its bound, every character escaped. Any line Strata writes is shorter (the
 * header and the trailer by far); a longer one is refused where it is read, before it is held whole.
 * About 153 MB, nearly all of it `BackupVerified`'s chain of up to 100,000 references.
 */
export const MAX_HISTORY_LINE_BYTES =
  2 +
  jsonField('streamId', jsonString(MAX_STREAM_ID)) +
  jsonField('revision', JSON_SAFE_INTEGER) +
  jsonField('id', jsonString(36)) +
  jsonField('type', jsonString(MAX_EVENT_TYPE_LENGTH)) +
  jsonField('data', MAX_EVENT_DATA_JSON_BYTES) +
  jsonField('metadata', 2 + MAX_METADATA_KEYS * (jsonString(MAX_METADATA_KEY) + 1 + jsonString(MAX_METADATA_VALUE) + 1)) +
  jsonField('recordedAt', jsonString(MAX_RECORDED_AT)) +
  jsonField('position', JSON_SAFE_INTEGER);

/**
 * What a decider guarantees for the events it records, checked for an event that comes from a file: its
 * data fits the schema of its type (bounds included), it sits on the stream of the entity it names, and
 * its metadata is flat. Nothing the read models cannot store, nothing a projection cannot apply.
 */
const checkEvent = (streamId: string, type: string, data: unknown, metadata: Record<string, unknown>, line: number) => {
  const violation = eventViolation(type, data);
  if (violation) throw new InvalidHistoryFile(`${type.slice(0, 80)} ${violation.path} ${violation.message}`, line);
  const entry = STREAM_OF.find(([prefix]) => streamId.startsWith(prefix))!;
  const [, types, idField, streamIdOf] = entry;
  if (!types.includes(type)) throw new InvalidHistoryFile(`a ${type} event cannot be on stream ${streamId}`, line);
  const entityId = (data as Record<string, unknown>)[idField] as string;
  if (streamIdOf(entityId) !== streamId)
    throw new InvalidHistoryFile(`data.${idField} ${entityId} is not the entity of stream ${streamId}`, line);
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS)
    throw new InvalidHistoryFile(`metadata has ${keys.length} keys (at most ${MAX_METADATA_KEYS})`, line);
  for (const key of keys) {
    if (key.length > MAX_METADATA_KEY)
      throw new InvalidHistoryFile(`metadata has a key of ${key.length} characters (at most ${MAX_METADATA_KEY})`, line);
    const value = metadata[key];
    if (value !== null && (typeof value !== 'string' || value.length > MAX_METADATA_VALUE))
      throw new InvalidHistoryFile(
        `metadata.${key.slice(0, 80)} must be a string of at most ${MAX_METADATA_VALUE} characters or null`,
        line,
      );
  }
};

/** An event line, or the trailer (the one line with `sha256`), checked field by field. */
export const parseBodyLine = (
  text: string,
  line: number,
): { kind: 'event'; event: HistoryEvent } | { kind: 'trailer'; trailer: HistoryTrailer } => {
  const value = parseLine(text, line);
  if ('sha256' in value) {
    if (typeof value.sha256 !== 'string' || typeof value.events !== 'number')
      throw new InvalidHistoryFile('a malformed checksum line', line);
    return { kind: 'trailer', trailer: { sha256: value.sha256, events: value.events } };
  }
  const { streamId, revision, id, type, metadata, recordedAt, position } = value;
  if (typeof streamId !== 'string' || !STREAM_ID.test(streamId))
    throw new InvalidHistoryFile('streamId must be a backup, volume, volume type, snapshot or message stream', line);
  if (!Number.isSafeInteger(revision) || (revision as number) < 0) throw new InvalidHistoryFile('revision must be a whole number', line);
  if (typeof id !== 'string' || !EVENT_ID.test(id)) throw new InvalidHistoryFile('id must be an event id (a UUID)', line);
  if (typeof type !== 'string' || type === '') throw new InvalidHistoryFile('type must be an event type', line);
  if (!('data' in value)) throw new InvalidHistoryFile('data is missing', line);
  if (!isObject(metadata)) throw new InvalidHistoryFile('metadata must be an object', line);
  if (typeof recordedAt !== 'string' || recordedAt.length > MAX_RECORDED_AT || Number.isNaN(Date.parse(recordedAt)))
    throw new InvalidHistoryFile('recordedAt must be an ISO time', line);
  checkEvent(streamId, type, value.data, metadata, line);
  return {
    kind: 'event',
    event: {
      streamId,
      revision: revision as number,
      id,
      type,
      data: value.data,
      metadata,
      recordedAt,
      position: Number.isSafeInteger(position) ? (position as number) : 0,
    },
  };
};

/**
 * A line of a file whose every line `parseBodyLine` accepted earlier in the same import (the second pass
 * over the import's own spooled copy, see `OpenLines`): parsed, not checked again. The checks were a
 * third of what the second pass cost, and they cannot fail on the lines they already passed.
 */
export const reparseBodyLine = (text: string): { kind: 'event'; event: HistoryEvent } | { kind: 'trailer' } => {
  const value = JSON.parse(text) as Record<string, unknown>;
  if ('sha256' in value) return { kind: 'trailer' };
  const event = value as unknown as HistoryEvent;
  return { kind: 'event', event };
};
