import type { CatalogDatabase } from './schema/catalog-database';

/** The runner's one checkpoint: every read model moves together, in the same transaction. */
export const CATALOG_CHECKPOINT = 'catalog';

export const readCheckpoint = (db: CatalogDatabase, name = CATALOG_CHECKPOINT): bigint => {
  const row = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').safeIntegers(true).get(name) as
    | { position: bigint }
    | undefined;
  return row?.position ?? 0n;
};

/** Only ever forwards: a stale writer cannot move the checkpoint back. */
export const writeCheckpoint = (db: CatalogDatabase, name: string, position: bigint): void => {
  db.prepare(
    `INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > position`,
  ).run(name, position);
};
