import type { EventStore } from '@strata/event-store';
import { ProjectionRunner } from './projection-runner';
import { openCatalogForRebuild, resetCatalog, sealRebuiltCatalog, type CatalogDatabase } from './schema/catalog-database';
import { finishBuild } from './schema/finish-build';
import { leaveForTheEnd } from './schema/left-for-the-end';
import { READ_MODEL_TABLES, type ReadModelTable } from './schema/migrations';

export interface RebuildResult {
  /** The checkpoint the rebuilt catalog reached: at least the head when the rebuild began. */
  readonly position: bigint;
}

/**
 * An offline rebuild of a catalog file (`bench:catalog-rebuild`, and the reference the specs compare a
 * live catalog with; `strata catalog rebuild` asks the running service, `Catalog.rebuild()`): drops every
 * read model in the file and replays the log into it through the same runner and projections as the live
 * catalog, a page of the log at a time (`ProjectionRunner.buildTo`: never the whole log in memory). Run it while no other
 * runner writes to the file.
 */
export const rebuildCatalog = async (store: EventStore, dbPath: string): Promise<RebuildResult> => {
  const db = openCatalogForRebuild(dbPath);
  try {
    resetCatalog(db);
    leaveForTheEnd(db);
    const head = await store.headPosition();
    const runner = new ProjectionRunner(db, store, { batchSize: 1000 });
    try {
      await runner.buildTo(head, 5000);
    } finally {
      await runner.stop();
    }
    await finishBuild(db, dbPath);
    sealRebuiltCatalog(db);
    return { position: runner.position() };
  } finally {
    db.close();
  }
};

export type CatalogDump = Record<ReadModelTable, Record<string, unknown>[]>;

/** Every read-model table, each ordered by its key: two catalogs of the same log dump equal. */
export const dumpCatalog = (db: CatalogDatabase): CatalogDump => {
  const dump = {} as CatalogDump;
  for (const [table, key] of Object.entries(READ_MODEL_TABLES) as [ReadModelTable, string][])
    dump[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).safeIntegers(true).all() as Record<string, unknown>[];
  return dump;
};
