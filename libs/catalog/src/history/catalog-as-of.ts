import { decodeStrataEvent } from '@strata/domain';
import type { EventStore, RecordedEvent } from '@strata/event-store';
import { applyBatch, type BatchTarget } from '../apply-batch';
import { auditProjection, CATALOG_PROJECTIONS, operationTotalsProjection } from '../projections';
import { eventTime } from '../projections/event-time';
import { sqliteProjectionTx } from '../projections/sqlite-projection-tx';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from '../queries/backup-row';
import { prepared } from '../queries/prepared';
import { scopeClause, type Scope } from '../queries/scope';
import { openCatalogDatabase, type CatalogDatabase } from '../schema/catalog-database';

/**
 * The read models a past catalog needs: `audit` is left out, since it would hold the whole history, and
 * so are the `/metrics` totals, which a listing never shows.
 */
const PAST_PROJECTIONS = CATALOG_PROJECTIONS.filter(
  (projection) => projection !== auditProjection && projection !== operationTotalsProjection,
);
const BATCH = 1000;

/** A throwaway catalog of the log as it stood at a past time; close it when done. */
export interface PastCatalog {
  /** The backups the scope may see, live at that time, oldest first: an iterator, not an array. */
  backups(scope: Scope): IterableIterator<BackupRow>;
  close(): void;
}

/**
 * `GET /strata/v1/backups?as_of=…`: replays every event whose own time is at or before `asOf` (the time
 * the event carries, which an import keeps) into an in-memory catalog through the same projections as the
 * live one, reading the log a page at a time. Memory grows with the catalog it rebuilds, not the history.
 */
export const catalogAsOf = async (store: EventStore, asOf: Date): Promise<PastCatalog> => {
  const db = openCatalogDatabase(':memory:');
  try {
    const target: BatchTarget = { db, tx: sqliteProjectionTx(db), projections: PAST_PROJECTIONS, checkpointName: 'as-of' };
    const limit = asOf.getTime();
    const head = await store.headPosition();
    let checkpoint = 0n;
    let batch: RecordedEvent[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      checkpoint = applyBatch(target, checkpoint, { events: batch, upTo: batch[batch.length - 1]!.position });
      batch = [];
    };
    if (head > 0n) {
      for await (const event of store.readAll({ fromPosition: 'start' })) {
        if (event.position > head) break;
        const decoded = decodeStrataEvent(event);
        if (!decoded || Date.parse(eventTime(decoded.event)) > limit) continue;
        batch.push(event);
        if (batch.length >= BATCH) flush();
      }
    }
    flush();
    return pastCatalogOf(db);
  } catch (error) {
    db.close();
    throw error;
  }
};

const pastCatalogOf = (db: CatalogDatabase): PastCatalog => ({
  backups(scope: Scope) {
    const scoped = scopeClause('b.project_id', scope);
    const rows = prepared(db, `${BACKUP_SELECT} WHERE b.status <> 'deleted' AND ${scoped.sql} ORDER BY b.created_at, b.id`).iterate(
      scoped.params,
    ) as IterableIterator<Record<string, unknown>>;
    return (function* () {
      for (const row of rows) yield toBackupRow(row);
    })();
  },
  close: () => db.close(),
});
