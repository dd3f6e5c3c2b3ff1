import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeWhatWasLeft } from './left-for-the-end';
import { MIGRATIONS, READ_MODEL_TABLES } from './migrations';

export type CatalogDatabase = Database.Database;

/**
 * Opens (creating when needed) the read-model file and brings its schema up to date. WAL lets the api
 * read while the runner writes; `synchronous = NORMAL` is enough because the catalog is disposable and
 * a lost tail rolls the rows and the checkpoint back together, to be replayed from the log.
 *
 * A WAL checkpoint every 16,384 pages (64 MiB) rather than SQLite's 1,000: each checkpoint copies every
 * page the WAL holds into the file and syncs it, and a projection batch dirties pages all over the list
 * indexes, so frequent checkpoints rewrote the same hot pages and waited on the disk again and again. The
 * live runner over 200,000 events of a large log took 15–25% less wall time and up to 15% less CPU
 * (docs/performance.md). `journal_size_limit` gives the WAL's space back after a checkpoint.
 *
 * A 2 MiB page cache, SQLite's own default; better-sqlite3 compiles SQLite with 16 MB. Each connection has
 * its own (the api's, a projection thread's, a rebuild's beside), and it counts in the service's RSS: with
 * 2 MiB here and 8 MiB for the event store, a 1M-event import peaked at 267 MiB against 299, and an offline
 * rebuild of that catalog took 34.5 / 33.7 s against 36.7 / 34.7 s (2026-12-06).
 */
export const openCatalogDatabase = (path: string): CatalogDatabase => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('cache_size = -2048');
    migrateCatalog(db);
    makeWhatWasLeft(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * Applies the migrations newer than `user_version`, each in its own transaction with its version; `upTo`
 * stops at a version (a migration's spec looks at what its own step did, before a later one empties the file).
 */
export const migrateCatalog = (db: CatalogDatabase, upTo = Infinity): void => {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > upTo) continue;
    if (migration.emptiesExistingCatalog && current > 0) {
      resetCatalog(db);
      return;
    }
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
};

/** Drops every read model and the checkpoint, then recreates the empty schema: the start of a rebuild. */
export const resetCatalog = (db: CatalogDatabase): void => {
  db.transaction(() => {
    for (const table of Object.keys(READ_MODEL_TABLES)) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.pragma('user_version = 0');
  }).immediate();
  migrateCatalog(db);
};

/** A SQLite file's own name and those of its WAL and shared-memory files, after its path. */
export const DATABASE_FILE_SUFFIXES = ['', '-wal', '-shm'] as const;

/** Removes a SQLite file with its WAL and shared-memory files. */
export const removeDatabaseFiles = (path: string): void => {
  for (const suffix of DATABASE_FILE_SUFFIXES) if (existsSync(`${path}${suffix}`)) rmSync(`${path}${suffix}`, { force: true });
};

/**
 * `removeDatabaseFiles` on libuv's threads: freeing a large file's blocks is slow (about 65 ms for a 72 MiB
 * catalog here, and it grows with the file), and the event loop that answers requests must not wait for it.
 */
export const removeDatabaseFilesOffTheEventLoop = async (...paths: string[]): Promise<void> => {
  await Promise.all(paths.flatMap((path) => DATABASE_FILE_SUFFIXES.map((suffix) => rm(`${path}${suffix}`, { force: true }))));
};

/**
 * A catalog file being rebuilt is worthless until the rebuild ends (a crash leaves it to be rebuilt
 * again), so its writes skip fsync; `sealRebuiltCatalog` makes it durable before anything serves from it.
 */
export const openCatalogForRebuild = (path: string): CatalogDatabase => {
  const db = openCatalogDatabase(path);
  db.pragma('synchronous = OFF');
  return db;
};

/** Back to the service's durability, with every page of the WAL written into the file and synced. */
export const sealRebuiltCatalog = (db: CatalogDatabase): void => {
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('synchronous = NORMAL');
};
