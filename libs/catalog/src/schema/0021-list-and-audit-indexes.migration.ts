import type { Migration } from './migration';

/**
 * Indexes for what the clients send, so no listing reads the whole table: an admin's `all_tenants`
 * page in the default order (created_at, id), the name lookups both CLIs make for every name they are
 * given (within a project and across projects, in the list order), and an audit of one volume, which
 * names its volume on each row (`volume_id`: the volume itself, the volume a backup or snapshot is of)
 * instead of looking every row's owner up. `catalog-query-plans.spec.ts` holds these plans to it.
 */
export const listAndAuditIndexesMigration: Migration = {
  version: 21,
  name: 'list-and-audit-indexes',
  sql: `
    CREATE INDEX backups_created ON backups (created_at, id);
    CREATE INDEX backups_name ON backups (name, created_at, id);
    CREATE INDEX backups_project_name ON backups (project_id, name, created_at, id);
    CREATE INDEX volumes_created ON volumes (created_at, id);
    CREATE INDEX volumes_name ON volumes (name, created_at, id);
    CREATE INDEX volumes_project_name ON volumes (project_id, name, created_at, id);
    CREATE INDEX snapshots_created ON snapshots (created_at, id);
    CREATE INDEX snapshots_name ON snapshots (name, created_at, id);
    CREATE INDEX snapshots_project_name ON snapshots (project_id, name, created_at, id);

    ALTER TABLE audit ADD COLUMN volume_id TEXT;
    UPDATE audit SET volume_id = CASE entity_kind
      WHEN 'volume' THEN entity_id
      WHEN 'backup' THEN (SELECT b.volume_id FROM backups b WHERE b.id = audit.entity_id)
      WHEN 'snapshot' THEN (SELECT s.volume_id FROM snapshots s WHERE s.id = audit.entity_id)
    END;
    CREATE INDEX audit_volume ON audit (volume_id, position) WHERE volume_id IS NOT NULL;
  `,
};
