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
import { yieldToEventLoop } from '../yield-to-event-loop';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The read models a past catalog needs: `audit` is left out, since it would hold the whole history, and
 * so are the `/metrics` totals, which a listing never shows.
 */
const PAST_PROJECTIONS = CATALOG_PROJECTIONS.filter(
  (projection) => projection !== auditProjection && projection !== operationTotalsProjection,
);
const BATCH = 1000;
/** Events read between two turns of the event loop, whether they are applied or skipped. */
const READS_PER_TURN = 2000;
/** The scratch catalog's page cache: its rows live in the file, not in the process. */
const SCRATCH_CACHE_KIB = 16 * 1024;

/** Another replay of the past is running in this process: one at a time keeps the service answering. */
export class PastReplayBusy extends Error {
  override readonly name = 'PastReplayBusy';
  constructor() {
    super('Another as_of replay is running; try again shortly.');
  }
}

let replaying = false;

/** A throwaway catalog of the log as it stood at a past time; close it when done. */
export interface PastCatalog {
  /** The backups the scope may see, live at that time, oldest first: an iterator, not an array. */
  backups(scope: Scope): IterableIterator<BackupRow>;
  close(): void;
}

/**
 * `GET /strata/v1/backups?as_of=…`: replays every event whose own time is at or before `asOf` (the time
 * the event carries, which an import keeps) into a scratch catalog file through the same projections as
 * the live one, reading the log a page at a time and giving the event loop a turn every page, so requests
 * keep being answered meanwhile. One replay per process at a time: another call meanwhile is refused with
 * `PastReplayBusy`. Memory stays one page and the scratch file's cache; the file goes with `close()`.
 */
export const catalogAsOf = async (store: EventStore, asOf: Date): Promise<PastCatalog> => {
  if (replaying) throw new PastReplayBusy();
  replaying = true;
  const dir = mkdtempSync(join(tmpdir(), 'strata-as-of-'));
  const discard = () => rmSync(dir, { recursive: true, force: true });
  let db: CatalogDatabase | null = null;
  try {
    db = openCatalogDatabase(join(dir, 'catalog.sqlite'));
    // Thrown away after the answer: nothing of it needs to survive a crash.
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${SCRATCH_CACHE_KIB}`);
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
    let read = 0;
    if (head > 0n) {
      for await (const event of store.readAll({ fromPosition: 'start' })) {
        if (event.position > head) break;
        if (++read % READS_PER_TURN === 0) {
          flush();
          await yieldToEventLoop();
        }
        const decoded = decodeStrataEvent(event);
        if (!decoded || Date.parse(eventTime(decoded.event)) > limit) continue;
        batch.push(event);
        if (batch.length >= BATCH) flush();
      }
    }
    flush();
    return pastCatalogOf(db, discard);
  } catch (error) {
    db?.close();
    discard();
    throw error;
  } finally {
    replaying = false;
  }
};

const pastCatalogOf = (db: CatalogDatabase, discard: () => void): PastCatalog => ({
  backups(scope: Scope) {
    const scoped = scopeClause('b.project_id', scope);
    const rows = prepared(db, `${BACKUP_SELECT} WHERE b.status <> 'deleted' AND ${scoped.sql} ORDER BY b.created_at, b.id`).iterate(
      scoped.params,
    ) as IterableIterator<Record<string, unknown>>;
    return (function* () {
      for (const row of rows) yield toBackupRow(row);
    })();
  },
  close: () => {
    db.close();
    discard();
  },
});
