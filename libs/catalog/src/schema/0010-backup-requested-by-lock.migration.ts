import type { Migration } from './migration';

/**
 * A backup row the catalog shows from its workflow's first step, the lock that carries the request,
 * before the backup's own stream records it. Such a row is withdrawn if the lock ends with the stream
 * still silent, which a live workflow never does (it records the backup first) but a history that holds
 * the volume's stream without the backup's does. Rows from before this step were all recorded.
 */
export const backupRequestedByLockMigration: Migration = {
  version: 10,
  name: 'backup-requested-by-lock',
  sql: `ALTER TABLE backups ADD COLUMN requested_by_lock INTEGER NOT NULL DEFAULT 0;`,
};
