import type { Migration } from './migration';

/**
 * `GET /strata/v1/backups?as_of=T` without a replay of the log: each backup row's versions, kept as events
 * arrive by `backup-versions.projection.ts`, in the same transaction as `backups`. A version is a backup's
 * row as one event left it, valid from that event's own time (`valid_from`, ms since the epoch) to the
 * time of the next event that changed the row, or that deleted it (`valid_to`, NULL while current).
 * Soft-deleted rows have no version, a deletion only ends the last one, so the table holds what `as_of`
 * can show and nothing else. Only the detail view's columns are kept.
 *
 * The rows are stored in the listing's order (created_at, id), so `as_of` is one ordered scan that keeps
 * the versions whose interval holds T; `completed` says whether a version counts for its parent's
 * `has_dependent_backups` (backup_children's flag, at that version), found through a partial index.
 *
 * No row of an existing catalog says what a backup looked like before its last event, so such a catalog
 * is emptied and replays the log from position 0 when it is opened (`emptiesExistingCatalog`).
 */
export const backupVersionsMigration: Migration = {
  version: 26,
  name: 'backup-versions',
  emptiesExistingCatalog: true,
  sql: `
    CREATE TABLE backup_versions (
      created_at        TEXT NOT NULL,
      backup_id         TEXT NOT NULL,
      position          INTEGER NOT NULL,
      valid_from        INTEGER NOT NULL,
      valid_to          INTEGER,
      completed         INTEGER NOT NULL,
      status            TEXT NOT NULL,
      size              INTEGER NOT NULL,
      object_count      INTEGER NOT NULL,
      availability_zone TEXT,
      container         TEXT,
      updated_at        TEXT NOT NULL,
      name              TEXT,
      description       TEXT,
      fail_reason       TEXT,
      volume_id         TEXT NOT NULL,
      snapshot_id       TEXT,
      data_timestamp    TEXT NOT NULL,
      parent_id         TEXT,
      metadata          TEXT NOT NULL,
      project_id        TEXT NOT NULL,
      user_id           TEXT NOT NULL,
      encryption_key_id TEXT,
      verification      TEXT,
      last_verified_at  TEXT,
      PRIMARY KEY (created_at, backup_id, position)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX backup_versions_current ON backup_versions (backup_id) WHERE valid_to IS NULL;
    CREATE INDEX backup_versions_children ON backup_versions (parent_id, valid_from) WHERE completed = 1;

  `,
};
