import type { EventStore } from '@strata/event-store';
import { readAppliedEvent, readCheckpoint, type EventAt } from './projection-checkpoint';
import type { CatalogDatabase } from './schema/catalog-database';

/** The catalog holds what another log said: the one it follows is shorter, or different. */
export interface LogDivergence {
  /** The catalog's checkpoint and the last event it applied. */
  readonly checkpoint: bigint;
  readonly applied: EventAt;
  /** The log's head, its newest event, and the event it holds at `applied.position` (null: none). */
  readonly head: bigint;
  readonly newest: EventAt | null;
  readonly found: EventAt | null;
  readonly message: string;
}

const explain = ({ checkpoint, applied, head, newest, found }: Omit<LogDivergence, 'message'>): string => {
  const catalog = `the catalog applied event ${applied.id} at position ${applied.position} (checkpoint ${checkpoint})`;
  if (head < applied.position)
    return `The catalog is ahead of its log: ${catalog}, but the log ${newest ? `ends at position ${head} (event ${newest.id})` : 'is empty'}`;
  const there = found ? `event ${found.id}` : 'no event';
  return `The catalog does not match its log: ${catalog}, but the log holds ${there} at that position (head ${head})`;
};

/**
 * Whether the catalog is a view of this log: the log must hold, at the position of the last event the
 * catalog applied, that very event. A log restored from an older copy, one that lost its tail, or another
 * store altogether fails the test; only then is anything but two reads spent. A catalog that has applied
 * nothing agrees with any log.
 */
export const compareWithLog = async (db: CatalogDatabase, store: EventStore, checkpointName: string): Promise<LogDivergence | null> => {
  const applied = readAppliedEvent(db, checkpointName);
  if (applied === null) return null;
  const checkpoint = readCheckpoint(db, checkpointName);
  const head = await store.headPosition();
  let found: EventAt | null = null;
  if (head >= applied.position) {
    for await (const event of store.readAll({ fromPosition: applied.position, maxCount: 1 }))
      if (event.position === applied.position) found = { position: event.position, id: event.id };
  }
  if (found?.id === applied.id) return null;
  const newest = await newestEvent(store);
  const divergence = { checkpoint, applied, head, newest, found };
  return { ...divergence, message: explain(divergence) };
};

const newestEvent = async (store: EventStore): Promise<EventAt | null> => {
  for await (const event of store.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 }))
    return { position: event.position, id: event.id };
  return null;
};
