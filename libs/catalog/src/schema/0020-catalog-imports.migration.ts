import type { Migration } from './migration';

/**
 * The catalog imports this log records, started and (once the last event is appended) completed. A
 * worker asks which have not completed: the streams they reached are left alone until they do.
 */
export const catalogImportsMigration: Migration = {
  version: 20,
  name: 'catalog-imports',
  sql: `CREATE TABLE catalog_imports (
    import_id TEXT PRIMARY KEY,
    events INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    completed_at TEXT,
    appended INTEGER
  );
  CREATE INDEX catalog_imports_unfinished ON catalog_imports (import_id) WHERE completed_at IS NULL;`,
};
