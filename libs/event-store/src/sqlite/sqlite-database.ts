import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface SqliteDatabaseOptions {
  /**
   * FULL (default) fsyncs the WAL at every commit, so an acknowledged append survives a power cut as
   * well as Ctrl-C. NORMAL already survives Ctrl-C and any crash of the process (the commit is in the
   * WAL file, the OS writes it out), but a power cut may roll back the last commits.
   */
  readonly synchronous?: SqliteSynchronous;
  /** How long a writer waits for another connection's write lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /**
   * The connection's page cache in KiB (32 MiB by default, see below). A connection that only reads the
   * log once from start to end (a catalog build on its own thread) gains nothing from it: every page is
   * read once, and the cache would only count in the process's memory.
   */
  readonly cacheKiB?: number;
}

const SCHEMA_VERSION = 1;

/**
 * `streams.version` is the last revision (0-based). A soft delete sets `deleted = 1` and
 * `truncate_before = version + 1` (EventStoreDB's `$tb`): reads hide older revisions, appends continue.
 * `global_position` is AUTOINCREMENT so a rowid is never reused; a rolled-back append takes no value,
 * and SQLite's single writer commits positions in order, so the log stays dense for catch-up readers.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS streams (
    stream_id       TEXT PRIMARY KEY,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    truncate_before INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE,
    stream_id       TEXT NOT NULL REFERENCES streams (stream_id),
    stream_version  INTEGER NOT NULL,
    type            TEXT NOT NULL,
    data            TEXT NOT NULL,
    metadata        TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (stream_id, stream_version)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS events_type_position ON events (type, global_position);
  CREATE TABLE IF NOT EXISTS beacons (
    key TEXT PRIMARY KEY,
    at  TEXT NOT NULL
  ) STRICT;
`;

/**
 * Measured with `npm run bench:eventstore` (docs/performance.md, "Event store"):
 * - an 8 MiB page cache per connection. It was 32 MiB, to keep the random `event_id` index and the log's
 *   recent pages in memory; at 100,000 events 8 MiB appended as fast (batches of 100: 63,356 against
 *   56,614 events/s, one at a time 4,282 against 3,749), and a 1M-event catalog import as fast, with 7 MiB
 *   less at its peak RSS (2026-12-06). The page cache counts in the service's RSS, one per connection;
 * - a checkpoint every 8,192 WAL pages (32 MiB) instead of 1,000: each checkpoint copies every page the
 *   WAL holds once (the latest version) and fsyncs the database, so a longer interval copies the hot
 *   index pages far fewer times under bulk appends; `journal_size_limit` truncates the WAL file back
 *   to 64 MiB after a checkpoint so it does not keep its high-water size on disk.
 * None of these changes what is durable: every commit still reaches the WAL as `synchronous` says.
 */
const PERFORMANCE_PRAGMAS = ['wal_autocheckpoint = 8192', 'journal_size_limit = 67108864', 'temp_store = MEMORY'];
const CACHE_KIB = 8192;

/** Opens (creating when needed) one event-store file; safe when several processes open it at once. */
export const openSqliteDatabase = (path: string, options: SqliteDatabaseOptions = {}): Database.Database => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // The timeout first: switching to WAL and creating the schema may meet another process doing the same.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // WAL lets readers (subscriptions, other processes) run beside the single writer.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`${path}: could not switch to WAL journal mode (got ${String(mode)})`);
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${Math.floor(options.cacheKiB ?? CACHE_KIB)}`);
    for (const pragma of PERFORMANCE_PRAGMAS) db.pragma(pragma);
    db.defaultSafeIntegers(true);
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
