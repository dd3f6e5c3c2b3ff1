import type { Migration } from './migration';

/**
 * An imported record's time and whether its quota claim follows it (`BackupImported.claimsQuota`), on the
 * backup's row: the quota settler finds imports whose claim is missing from here, since the audit no
 * longer keeps event bodies (0023). No catalog before this step holds an import that claims quota.
 */
export const backupImportClaimsMigration: Migration = {
  version: 24,
  name: 'backup-import-claims',
  sql: `
    ALTER TABLE backups ADD COLUMN imported_at TEXT;
    ALTER TABLE backups ADD COLUMN import_claims_quota INTEGER NOT NULL DEFAULT 0;
  `,
};
