import type { CatalogDatabase } from '../schema/catalog-database';

interface Trigger {
  readonly name: string;
  readonly sql: string;
}

/**
 * Copies `tables` from the catalog file at `partPath` (a part built beside, `build-parts.ts`) into `db`,
 * replacing what `db` holds in them (the rows a migration seeds), in one transaction. Both files were
 * made by the same migrations, so their columns are in the same order. The triggers on those tables are
 * dropped for the copy and made again from their own text, in the order they were made: a copied row is
 * already what its triggers made of the tables they keep, and those tables are copied too. With no
 * trigger and an empty table, SQLite copies a table page by page, not row by row.
 */
export const mergeBuildPart = (db: CatalogDatabase, partPath: string, tables: readonly string[]): void => {
  db.prepare('ATTACH DATABASE ? AS part').run(partPath);
  try {
    db.transaction(() => {
      const triggers = db
        .prepare(
          `SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name IN (${tables.map(() => '?').join(', ')})
           ORDER BY rowid`,
        )
        .all(...tables) as Trigger[];
      for (const { name } of triggers) db.exec(`DROP TRIGGER main."${name}"`);
      for (const table of tables) {
        db.exec(`DELETE FROM main.${table}`);
        db.exec(`INSERT INTO main.${table} SELECT * FROM part.${table}`);
      }
      for (const { sql } of triggers) db.exec(sql);
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE part');
  }
};
