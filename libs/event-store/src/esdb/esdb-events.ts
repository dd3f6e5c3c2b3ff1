import {
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type Filter,
  type ResolvedEvent,
  type JSONType,
  type Position,
} from '@eventstore/db-client';
import { StreamDeleted, StreamNotFound, WrongExpectedVersion } from '../errors';
import type { EventData, EventMetadata, ExpectedRevision, RecordedEvent, SubscriptionFilter } from '../event-store.port';
import { matchesFilter } from '../shared/filter';
import { EMPTY_METADATA, frozenMetadata } from '../shared/stored-event';

/** Translations between the port's shapes and the client's, in one place. */

export const toClientEvent = (event: EventData) =>
  jsonEvent({
    id: event.id,
    type: event.type,
    // The embedded adapters store `undefined` data as JSON null; so does this one.
    data: (event.data === undefined ? null : event.data) as JSONType,
    ...(event.metadata ? { metadata: event.metadata as JSONType } : {}),
  });

/** A position as the server takes it; commit and prepare positions of an event are equal since server 20.x. */
export const serverPosition = (position: bigint): Position => ({ commit: position, prepare: position });

/** The event of a resolved event, or undefined for a record the port has no use for (a link without its event). */
export const toRecordedEvent = (resolved: ResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event;
  if (!event) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined)
    throw new Error(`EventStoreDB sent event ${event.id} without a position; the esdb adapter needs server 22.6 or later`);
  const metadata = event.metadata;
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: event.data as unknown,
    metadata: metadata && !(metadata instanceof Uint8Array) ? frozenMetadata(metadata as EventMetadata) : EMPTY_METADATA,
    createdAt: event.created.toISOString(),
  };
};

/** `$`-streams are the server's own (metadata, settings, statistics); the port's log is the application's. */
export const isSystemStream = (streamId: string): boolean => streamId.startsWith('$');

export const isDelivered = (filter: SubscriptionFilter | undefined, event: RecordedEvent): boolean =>
  !isSystemStream(event.streamId) && matchesFilter(filter, event.streamId, event.type);

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server filters on the stream name or on the event type, not both: the stream prefixes go to the
 * server when there are any (the event types are then checked here), else the exact event types, else
 * "no system streams". `isDelivered` is always applied to what arrives.
 */
export const serverFilterOf = (filter: SubscriptionFilter | undefined, checkpointReached?: (position: Position) => void): Filter => {
  const common = {
    checkpointInterval: 1,
    maxSearchWindow: 32,
    ...(checkpointReached ? { checkpointReached: (_: unknown, position: Position) => checkpointReached(position) } : {}),
  };
  const prefixes = filter?.streamPrefixes?.filter((prefix) => prefix !== '');
  if (prefixes && prefixes.length > 0) return streamNameFilter({ prefixes, ...common });
  if (filter?.eventTypes && filter.eventTypes.length > 0)
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`, ...common });
  return streamNameFilter({ regex: '^[^$]', ...common });
};

/** The client's errors in the port's words; anything else (unavailable, deadline, …) passes through. */
export const translateError = (error: unknown, streamId: string, expected?: ExpectedRevision): unknown => {
  if (error instanceof WrongExpectedVersionError)
    return new WrongExpectedVersion(streamId, expected ?? error.expectedVersion, error.actualVersion);
  if (error instanceof StreamNotFoundError) return new StreamNotFound(streamId);
  if (error instanceof StreamDeletedError) return new StreamDeleted(streamId);
  return error;
};
