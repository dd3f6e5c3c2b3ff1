import type { Migration } from './migration';

/**
 * Quotas: each project's own limits, the `default` class's limits, and every claim a creation took with
 * where it stands (`reserved` while the subject is being created, `committed` once it exists, `released`
 * when it failed or was deleted). Usage is the sum of the live claims: derived from the log, so a
 * rebuild gives the same numbers. Nothing to fill from older catalogs: there were no quota events.
 */
export const quotasMigration: Migration = {
  version: 14,
  name: 'quotas',
  sql: `
    CREATE TABLE quota_limits (
      project_id  TEXT NOT NULL,
      resource    TEXT NOT NULL,
      hard_limit  INTEGER NOT NULL,
      PRIMARY KEY (project_id, resource)
    );
    CREATE TABLE quota_class_limits (
      class_name  TEXT NOT NULL,
      resource    TEXT NOT NULL,
      hard_limit  INTEGER NOT NULL,
      PRIMARY KEY (class_name, resource)
    );
    CREATE TABLE quota_claims (
      project_id        TEXT NOT NULL,
      claim_id          TEXT NOT NULL,
      subject_kind      TEXT NOT NULL,
      subject_id        TEXT NOT NULL,
      status            TEXT NOT NULL,
      volumes           INTEGER NOT NULL,
      gigabytes         INTEGER NOT NULL,
      snapshots         INTEGER NOT NULL,
      backups           INTEGER NOT NULL,
      backup_gigabytes  INTEGER NOT NULL,
      updated_at        TEXT NOT NULL,
      PRIMARY KEY (project_id, claim_id)
    );
    CREATE INDEX quota_claims_live ON quota_claims (status, subject_kind, subject_id);
  `,
};
