import type { Migration } from './migration';

/**
 * What `/metrics` reports, kept as it happens instead of summed over the audit log at every scrape (which
 * read every `ChunkWritten` row: 230 ms for an 80,000-event catalog, growing with the log). One row of
 * running totals, each job's request time, and each ended job's duration. A catalog that already has an
 * audit log is filled from it here, with the sums and the join the scrape used to run, so its figures do
 * not restart from zero; `position` is the audit's newest event, so the projection adds only later ones.
 */
export const operationTotalsMigration: Migration = {
  version: 4,
  name: 'operation-totals',
  sql: `
    CREATE TABLE operation_totals (
      id                        INTEGER PRIMARY KEY CHECK (id = 1),
      position                  INTEGER NOT NULL,
      backups_completed         INTEGER NOT NULL,
      backups_failed            INTEGER NOT NULL,
      restores_completed        INTEGER NOT NULL,
      restores_failed           INTEGER NOT NULL,
      backup_bytes_read         REAL NOT NULL,
      backup_bytes_written      REAL NOT NULL,
      object_bytes_uncompressed REAL NOT NULL,
      object_bytes_stored       REAL NOT NULL,
      restore_bytes_written     REAL NOT NULL
    ) STRICT;

    INSERT INTO operation_totals
    SELECT 1, COALESCE(MAX(position), 0),
      COUNT(*) FILTER (WHERE type = 'BackupCompleted'),
      COUNT(*) FILTER (WHERE type = 'BackupFailed'),
      COUNT(*) FILTER (WHERE type = 'RestoreCompleted'),
      COUNT(*) FILTER (WHERE type = 'RestoreFailed'),
      COALESCE(SUM(json_extract(data, '$.sizeBytes')) FILTER (WHERE type = 'BackupCompleted'), 0),
      COALESCE(SUM(json_extract(data, '$.storedBytes')) FILTER (WHERE type = 'BackupCompleted'), 0),
      COALESCE(SUM(json_extract(data, '$.lengthBytes')) FILTER (WHERE type = 'ChunkWritten'), 0),
      COALESCE(SUM(json_extract(data, '$.storedBytes')) FILTER (WHERE type = 'ChunkWritten'), 0),
      COALESCE(SUM(json_extract(data, '$.bytesWritten')) FILTER (WHERE type = 'RestoreCompleted'), 0)
    FROM audit;

    -- The latest request of each backup and restore job, by the backup it concerns.
    CREATE TABLE job_starts (
      backup_id    TEXT NOT NULL,
      kind         TEXT NOT NULL CHECK (kind IN ('backup', 'restore')),
      requested_at TEXT NOT NULL,
      PRIMARY KEY (backup_id, kind)
    ) STRICT;

    INSERT INTO job_starts (backup_id, kind, requested_at)
    SELECT entity_id, CASE type WHEN 'BackupRequested' THEN 'backup' ELSE 'restore' END, occurred_at
    FROM audit a
    WHERE type IN ('BackupRequested', 'RestoreRequested')
      AND position = (SELECT MAX(b.position) FROM audit b
                      WHERE b.entity_kind = a.entity_kind AND b.entity_id = a.entity_id AND b.type = a.type);

    -- Every ended job, keyed by the position of the event that ended it.
    CREATE TABLE job_outcomes (
      position INTEGER PRIMARY KEY,
      kind     TEXT NOT NULL CHECK (kind IN ('backup', 'restore')),
      outcome  TEXT NOT NULL CHECK (outcome IN ('completed', 'failed')),
      seconds  REAL NOT NULL
    ) STRICT;

    INSERT INTO job_outcomes (position, kind, outcome, seconds)
    SELECT e.position,
      CASE WHEN e.type LIKE 'Backup%' THEN 'backup' ELSE 'restore' END,
      CASE WHEN e.type LIKE '%Completed' THEN 'completed' ELSE 'failed' END,
      MAX(0, (julianday(e.occurred_at) - julianday(s.occurred_at)) * 86400.0)
    FROM audit e JOIN audit s ON s.position = (
      SELECT MAX(r.position) FROM audit r
      WHERE r.entity_kind = 'backup' AND r.entity_id = e.entity_id AND r.position < e.position
        AND r.type = CASE WHEN e.type LIKE 'Backup%' THEN 'BackupRequested' ELSE 'RestoreRequested' END)
    WHERE e.type IN ('BackupCompleted', 'BackupFailed', 'RestoreCompleted', 'RestoreFailed');
  `,
};
