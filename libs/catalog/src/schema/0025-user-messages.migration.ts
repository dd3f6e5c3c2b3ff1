import type { Migration } from './migration';

/**
 * Cinder's user messages, derived from the failure events of the log (`messages.projection.ts`): one row
 * per failure, whose id is the failure event's id, so a rebuild gives every message the same id. A
 * catalog from before this step takes the messages of the failures its audit log already holds, with the
 * same mapping as the projection (`failureMessageOf`).
 */
export const userMessagesMigration: Migration = {
  version: 25,
  name: 'user-messages',
  sql: `
    CREATE TABLE messages (
      id                  TEXT PRIMARY KEY,
      project_id          TEXT NOT NULL,
      request_id          TEXT NOT NULL,
      resource_type       TEXT NOT NULL,
      resource_uuid       TEXT NOT NULL,
      event_id            TEXT NOT NULL,
      action_id           TEXT NOT NULL,
      detail_id           TEXT NOT NULL,
      message_level       TEXT NOT NULL,
      created_at          TEXT NOT NULL,
      deleted_at          TEXT,
      last_event_position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX messages_by_project ON messages (project_id, created_at);

    WITH failure (type, resource_type, action_id, detail_id) AS (VALUES
      ('BackupFailed', 'VOLUME_BACKUP', '013', '020'),
      ('RestoreFailed', 'VOLUME_BACKUP', '015', '026'),
      ('BackupDeletionFailed', 'VOLUME_BACKUP', '014', '025'),
      ('VolumeProvisioningFailed', 'VOLUME', '008', '012'),
      ('VolumeExtendFailed', 'VOLUME', '007', '010'),
      ('SnapshotProvisioningFailed', 'VOLUME_SNAPSHOT', '009', '013'),
      ('SnapshotDeletionFailed', 'VOLUME_SNAPSHOT', '010', '016'))
    INSERT OR IGNORE INTO messages (id, project_id, request_id, resource_type, resource_uuid, event_id, action_id, detail_id,
      message_level, created_at, deleted_at, last_event_position)
    SELECT lower(a.event_id), COALESCE(b.project_id, v.project_id, s.project_id), COALESCE(a.request_id, a.event_id),
      f.resource_type, a.entity_id, 'VOLUME_' || f.resource_type || '_' || f.action_id || '_' || f.detail_id,
      f.action_id, f.detail_id, 'ERROR', a.occurred_at, NULL, a.position
    FROM audit a
    JOIN failure f ON f.type = a.type
    LEFT JOIN backups b ON a.entity_kind = 'backup' AND b.id = a.entity_id
    LEFT JOIN volumes v ON a.entity_kind = 'volume' AND v.id = a.entity_id
    LEFT JOIN snapshots s ON a.entity_kind = 'snapshot' AND s.id = a.entity_id
    WHERE COALESCE(b.project_id, v.project_id, s.project_id) IS NOT NULL;
  `,
};
