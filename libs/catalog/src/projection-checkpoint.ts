import { prepared } from './queries/prepared';
import type { CatalogDatabase } from './schema/catalog-database';

/** The runner's one checkpoint: every read model moves together, in the same transaction. */
export const CATALOG_CHECKPOINT = 'catalog';

/** An event of the log, by where it sits and what it is: what the catalog last applied. */
export interface EventAt {
  readonly position: bigint;
  readonly id: string;
}

/** Read at least twice per batch (under the batch's write lock, then by the runner): prepared once. */
export const readCheckpoint = (db: CatalogDatabase, name = CATALOG_CHECKPOINT): bigint => {
  const row = prepared(db, 'SELECT position FROM projection_checkpoints WHERE name = ?').get(name) as { position: bigint } | undefined;
  return row?.position ?? 0n;
};

/** The last event applied (or parked) under this checkpoint; null before the first. */
export const readAppliedEvent = (db: CatalogDatabase, name = CATALOG_CHECKPOINT): EventAt | null => {
  const row = db.prepare('SELECT event_position, event_id FROM projection_checkpoints WHERE name = ?').safeIntegers(true).get(name) as
    { event_position: bigint | null; event_id: string | null } | undefined;
  return row?.event_position != null && row.event_id != null ? { position: row.event_position, id: row.event_id } : null;
};

/**
 * Only ever forwards: a stale writer cannot move the checkpoint back. `applied` is the last event of
 * the stretch up to `position`, when it held one; without it the last event recorded before stays.
 */
export const writeCheckpoint = (db: CatalogDatabase, name: string, position: bigint, applied?: EventAt): void => {
  db.prepare(
    `INSERT INTO projection_checkpoints (name, position, event_position, event_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position,
       event_position = COALESCE(excluded.event_position, event_position), event_id = COALESCE(excluded.event_id, event_id)
     WHERE excluded.position > position`,
  ).run(name, position, applied?.position ?? null, applied?.id ?? null);
};
