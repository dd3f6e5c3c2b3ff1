import type { RecordedEvent } from '@strata/event-store';
import { messageOf, type ProjectionFailed } from './errors';
import { writeCheckpoint } from './projection-checkpoint';
import type { CatalogDatabase } from './schema/catalog-database';

/**
 * SQLite's answers about the file or the machine rather than the statement: a full disk, an I/O error, a
 * lock held too long. Parking an event for them would drop it for a passing trouble, so they stop the
 * runner instead, as a failing subscription does, and a restart retries the event.
 */
const ENVIRONMENT = /^SQLITE_(BUSY|LOCKED|NOMEM|READONLY|IOERR|CORRUPT|FULL|CANTOPEN|PROTOCOL|NOTADB|INTERRUPT|PERM|AUTH|NOLFS)/;

/** Whether a projection's failure is about the event it applied (its data, or a projection's bug). */
export const isAboutTheEvent = (failure: ProjectionFailed): boolean => {
  const code = (failure.cause as { code?: unknown } | null)?.code;
  return !(typeof code === 'string' && ENVIRONMENT.test(code));
};

/** Where events are parked: the catalog and its checkpoint (a `BatchTarget` is one). */
export interface ParkingTarget {
  readonly db: CatalogDatabase;
  readonly checkpointName: string;
  /** The time a parked event is recorded with (default: the system clock). */
  readonly now?: () => Date;
  /** Told after an event was parked. */
  readonly onParked?: (failure: ProjectionFailed) => void;
}

/**
 * Records an event that a projection could not apply, with none of its effects, and moves the checkpoint
 * past it, in one transaction: the catalog goes on without it and says so (`projection_failures`). Parking
 * it again changes nothing. A rebuild retries it.
 */
export const parkEvent = (target: ParkingTarget, event: RecordedEvent, failure: ProjectionFailed): void => {
  const { db, checkpointName } = target;
  const cause = messageOf(failure.cause);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO projection_failures (position, event_id, stream_id, type, projection, error, parked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (position) DO NOTHING`,
    ).run(event.position, event.id, event.streamId, event.type, failure.projection, cause, (target.now?.() ?? new Date()).toISOString());
    writeCheckpoint(db, checkpointName, event.position, event);
  })();
  target.onParked?.(failure);
};
