import { CATALOG_IMPORT_EVENT_TYPES, type CatalogImportEvent } from './history/catalog-import.events';
import { JOB_LEASE_EVENT_TYPES, type JobLeaseEvent } from './lease/job-lease.events';
import { NOTIFIER_EVENT_TYPES, type NotifierEvent } from './notification/notifier-checkpoint.events';
import { STRATA_EVENT_TYPES, type EventMeta, type StrataEvent } from './strata-event';

/** An event as any store hands it out: its type, its data and metadata as stored, where it sits. */
export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A stored event read as the domain event it is, with who did it and why. */
export interface Decoded<E> {
  readonly event: E;
  readonly meta: EventMeta;
  /** The stored event's own id: what a step caused by it names as its causation. */
  readonly eventId: string;
}

const STRATA_TYPES: ReadonlySet<string> = new Set(STRATA_EVENT_TYPES);
const LEASE_TYPES: ReadonlySet<string> = new Set(JOB_LEASE_EVENT_TYPES);
const NOTIFIER_TYPES: ReadonlySet<string> = new Set(NOTIFIER_EVENT_TYPES);
const IMPORT_TYPES: ReadonlySet<string> = new Set(CATALOG_IMPORT_EVENT_TYPES);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The metadata every event carries (`EventMeta`), read once: an event recorded without some of it (by a
 * job, a repair or an older Strata) is attributed to the worker and caused by itself.
 */
export const metaOf = (stored: Pick<StoredEvent, 'id' | 'metadata'>): EventMeta => {
  const m = stored.metadata;
  return {
    correlationId: text(m.correlationId) ?? stored.id,
    causationId: text(m.causationId) ?? stored.id,
    userId: text(m.userId) ?? 'strata-worker',
    projectId: text(m.projectId) ?? 'strata',
    requestId: text(m.requestId) ?? stored.id,
  };
};

/**
 * The one place a stored event becomes a typed domain event. Only events whose type Strata records pass;
 * their data is taken as the type says, because nothing enters the log unchecked: deciders check what
 * they decide against the event schemas and imports check every event before appending any.
 */
export const decodeStrataEvent = (stored: StoredEvent): Decoded<StrataEvent> | null =>
  STRATA_TYPES.has(stored.type)
    ? { event: { type: stored.type, data: stored.data } as StrataEvent, meta: metaOf(stored), eventId: stored.id }
    : null;

/** A job lease event (`job-*` streams), typed the same way. */
export const decodeLeaseEvent = (stored: StoredEvent): Decoded<JobLeaseEvent> | null =>
  LEASE_TYPES.has(stored.type)
    ? { event: { type: stored.type, data: stored.data } as JobLeaseEvent, meta: metaOf(stored), eventId: stored.id }
    : null;

/** The notifier's checkpoint (`notifier-checkpoint` stream), typed the same way; like leases, not a StrataEvent. */
export const decodeNotifierEvent = (stored: StoredEvent): Decoded<NotifierEvent> | null =>
  NOTIFIER_TYPES.has(stored.type)
    ? { event: { type: stored.type, data: stored.data } as NotifierEvent, meta: metaOf(stored), eventId: stored.id }
    : null;

/** A catalog import's start or completion (`catalog-import-*` streams), typed the same way. */
export const decodeImportEvent = (stored: StoredEvent): Decoded<CatalogImportEvent> | null =>
  IMPORT_TYPES.has(stored.type)
    ? { event: { type: stored.type, data: stored.data } as CatalogImportEvent, meta: metaOf(stored), eventId: stored.id }
    : null;

/** The decoded event if it is of type `T` (a narrowing for the many places that want one type). */
export const eventOfType = <T extends StrataEvent['type']>(stored: StoredEvent, type: T): Extract<StrataEvent, { type: T }> | null =>
  stored.type === type ? (decodeStrataEvent(stored)?.event as Extract<StrataEvent, { type: T }>) : null;

/**
 * The first of `events` of type `T`, typed: for what `decideAndAppend` answers (the events it appended,
 * or those a repeated idempotent command had appended), which reach it as the store's untyped events.
 */
export const firstEventOfType = <T extends StrataEvent['type']>(
  events: readonly Pick<StoredEvent, 'type' | 'data'>[],
  type: T,
): Extract<StrataEvent, { type: T }> | undefined => {
  const found = events.find((e) => e.type === type);
  return found && ({ type: found.type, data: found.data } as Extract<StrataEvent, { type: T }>);
};
