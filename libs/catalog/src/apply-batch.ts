import { decodeImportEvent, decodeLeaseEvent, decodeStrataEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { ProjectionFailed } from './errors';
import { isAboutTheEvent, parkEvent, type ParkingTarget } from './park-event';
import { readCheckpoint, writeCheckpoint } from './projection-checkpoint';
import type { Projection, ProjectionTx } from './projections/projection';

/** Events delivered together, and how far the log has been considered (past unhandled stretches too). */
export interface Batch {
  readonly events: readonly RecordedEvent[];
  readonly upTo: bigint;
}

export interface BatchTarget extends ParkingTarget {
  readonly tx: ProjectionTx;
  readonly projections: readonly Projection[];
}

/**
 * Applies a batch and moves the checkpoint in one transaction, so rows and checkpoint never disagree
 * after a crash; the checkpoint also records the batch's last event. Events at or below the checkpoint
 * are redeliveries and are skipped, and so are those at or below the checkpoint the file holds when the
 * transaction starts: the transaction takes the write lock first (`immediate`), so two writers of one
 * file never apply an event twice. When a projection throws, the transaction is rolled back, the
 * events before the failing one are committed on their own, the failing one is parked (`parkEvent`:
 * none of its effects, a failure row and the checkpoint past it) and the rest goes on: no event can
 * stop the catalog, and the happy path stays one transaction without a savepoint per event. A failure
 * that is not about the event (the disk, a lock) is thrown, and the runner stops.
 * Returns the new checkpoint.
 */
export const applyBatch = (target: BatchTarget, checkpoint: bigint, batch: Batch): bigint => {
  let reached = checkpoint;
  let events = batch.events;
  for (;;) {
    const failure = commitOrFail(target, reached, events, batch.upTo);
    if (failure === null) return batch.upTo > reached ? batch.upTo : reached;
    const at = events.findIndex((e) => e.position === failure.position);
    if (at > 0) reached = applyBatch(target, reached, { events: events.slice(0, at), upTo: events[at - 1]!.position });
    parkEvent(target, events[at]!, failure);
    reached = failure.position;
    events = events.slice(at + 1);
  }
};

/** For each list of projections, the ones that handle each event type, in the list's order. */
const ROUTES = new WeakMap<readonly Projection[], Map<string, readonly Projection[]>>();

/**
 * The projections of `projections` that handle `type`, in their order. Worked out once per type, not with
 * a search of every projection's `handles` at every event (the audit's lists every type Strata records).
 */
const handling = (projections: readonly Projection[], type: string): readonly Projection[] => {
  let routes = ROUTES.get(projections);
  if (!routes) ROUTES.set(projections, (routes = new Map()));
  let found = routes.get(type);
  if (!found) routes.set(type, (found = projections.filter((projection) => (projection.handles as readonly string[]).includes(type))));
  return found;
};

/** One transaction for the whole stretch; the projection failure that rolled it back, if one did. */
const commitOrFail = (target: BatchTarget, checkpoint: bigint, events: readonly RecordedEvent[], upTo: bigint): ProjectionFailed | null => {
  const { db, tx, projections, checkpointName } = target;
  try {
    db.transaction(() => {
      // What the file holds now, read under its write lock: another writer of the same file (a second
      // process given the same catalog path, a thread that followed the log for this runner) may have
      // applied past this runner's checkpoint, and an event applied twice out of order is not harmless
      // (a lock-only backup row deleted by its lock's end would come back with the lock's start).
      const stored = readCheckpoint(db, checkpointName);
      const from = stored > checkpoint ? stored : checkpoint;
      for (const event of events) {
        if (event.position <= from) continue;
        // Decoded once for every projection; a type Strata does not record is nobody's to apply.
        const decoded = (decodeStrataEvent(event) ?? decodeLeaseEvent(event) ?? decodeImportEvent(event))?.event;
        if (!decoded) continue;
        for (const projection of handling(projections, decoded.type)) {
          try {
            projection.apply(tx, decoded, event);
          } catch (cause) {
            throw new ProjectionFailed(projection.name, event, cause);
          }
        }
      }
      const last = events[events.length - 1];
      if (upTo > from) writeCheckpoint(db, checkpointName, upTo, last && last.position > from ? last : undefined);
    }).immediate();
    return null;
  } catch (error) {
    if (error instanceof ProjectionFailed && isAboutTheEvent(error)) return error;
    throw error;
  }
};
