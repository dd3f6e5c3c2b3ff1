import type { Migration } from './migration';

/**
 * Indexes for what the worker's sweep asks every few seconds, so that it reads what is in flight and not
 * every row: the backups, volumes and snapshots in a status (`creating`, `deleting`, `restoring`, …, in
 * the list order, which is also what `?status=` sends), the verifications still running, and the record
 * imports whose claim follows them. Without them each sweep read the whole backups table five times: 270 ms
 * at a million events, every request waiting, every few seconds. The last two are partial: the rows they
 * hold are the few that match, and each query names the same condition, so SQLite can use them.
 */
export const workerSweepIndexesMigration: Migration = {
  version: 27,
  name: 'worker-sweep-indexes',
  sql: `
    CREATE INDEX backups_status ON backups (status, created_at, id);
    CREATE INDEX volumes_status ON volumes (status, created_at, id);
    CREATE INDEX snapshots_status ON snapshots (status, created_at, id);
    CREATE INDEX backups_verification_running ON backups (id) WHERE json_extract(verification, '$.result') = 'running';
    CREATE INDEX backups_record_imports ON backups (id) WHERE imported_from = 'record' AND import_claims_quota = 1;
  `,
};
