import type { Migration } from './migration';

/**
 * What issue 6 adds to a backup row: the outcome of the last verification (JSON, shown as
 * `strata:last_verification`), when one last finished, and where an imported backup came from.
 */
export const backupVerificationAndImportMigration: Migration = {
  version: 2,
  name: 'backup-verification-and-import',
  sql: `
    ALTER TABLE backups ADD COLUMN verification TEXT;
    ALTER TABLE backups ADD COLUMN last_verified_at TEXT;
    ALTER TABLE backups ADD COLUMN imported_from TEXT;
  `,
};
