import type { Migration } from './migration';

/** The worker that holds a running job's lease, and until when (from JobLeaseAcquired/Renewed). */
export const jobOwnerMigration: Migration = {
  version: 2,
  name: 'job-owner',
  sql: `
    ALTER TABLE jobs ADD COLUMN worker_id TEXT;
    ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;
  `,
};
