import type { RecordedEvent } from '@strata/event-store';
import { ProjectionFailed } from './errors';
import { writeCheckpoint } from './projection-checkpoint';
import type { Projection, ProjectionTx } from './projections/projection';
import type { CatalogDatabase } from './schema/catalog-database';

/** Events delivered together, and how far the log has been considered (past unhandled stretches too). */
export interface Batch {
  readonly events: readonly RecordedEvent[];
  readonly upTo: bigint;
}

export interface BatchTarget {
  readonly db: CatalogDatabase;
  readonly tx: ProjectionTx;
  readonly projections: readonly Projection[];
  readonly checkpointName: string;
}

/**
 * Applies a batch and moves the checkpoint in one transaction, so rows and checkpoint never disagree
 * after a crash. Events at or below the checkpoint are redeliveries and are skipped. When a projection
 * throws, the events before the failing one are committed on their own, so the checkpoint stops right
 * before it, and the failure is thrown: the runner never skips an event.
 * Returns the new checkpoint.
 */
export const applyBatch = (target: BatchTarget, checkpoint: bigint, batch: Batch): bigint => {
  const { db, tx, projections, checkpointName } = target;
  const commit = db.transaction((events: readonly RecordedEvent[], upTo: bigint) => {
    for (const event of events) {
      if (event.position <= checkpoint) continue;
      for (const projection of projections) {
        if (!projection.handles.includes(event.type as never)) continue;
        try {
          projection.apply(tx, event);
        } catch (cause) {
          throw new ProjectionFailed(projection.name, event.position, event.type, cause);
        }
      }
    }
    if (upTo > checkpoint) writeCheckpoint(db, checkpointName, upTo);
  });
  try {
    commit(batch.events, batch.upTo);
    return batch.upTo > checkpoint ? batch.upTo : checkpoint;
  } catch (error) {
    if (!(error instanceof ProjectionFailed)) throw error;
    const stopAt = error.position - 1n;
    if (stopAt > checkpoint) commit(batch.events.filter((e) => e.position < error.position), stopAt);
    throw error;
  }
};
