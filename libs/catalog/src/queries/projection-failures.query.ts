import type { CatalogDatabase } from '../schema/catalog-database';
import { int, prepared } from './prepared';

/** An event the catalog went on without: where it is, what it is, and which projection refused it why. */
export interface ProjectionFailureRow {
  readonly position: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly projection: string;
  readonly error: string;
  readonly parkedAt: string;
}

/** Every parked event, in log order. */
export const projectionFailures = (db: CatalogDatabase): ProjectionFailureRow[] =>
  (prepared(db, 'SELECT * FROM projection_failures ORDER BY position').all() as Record<string, unknown>[]).map((r) => ({
    position: r.position as bigint,
    eventId: r.event_id as string,
    streamId: r.stream_id as string,
    type: r.type as string,
    projection: r.projection as string,
    error: r.error as string,
    parkedAt: r.parked_at as string,
  }));

/** How many events are parked: what `/readyz` and `/metrics` report. */
export const parkedEventCount = (db: CatalogDatabase): number =>
  int((prepared(db, 'SELECT COUNT(*) AS n FROM projection_failures').get() as { n: bigint }).n);
