import type { Migration } from './migration';

/**
 * When the volume was attached: Cinder's attachment view shows it (`attached_at`). A catalog from before
 * this step takes it from its audit log, the time of the volume's latest VolumeAttached.
 */
export const volumeAttachedAtMigration: Migration = {
  version: 9,
  name: 'volume-attached-at',
  sql: `
    ALTER TABLE volumes ADD COLUMN attached_at TEXT;

    UPDATE volumes SET attached_at = (
      SELECT occurred_at FROM audit
      WHERE entity_kind = 'volume' AND entity_id = volumes.id AND type = 'VolumeAttached'
      ORDER BY position DESC LIMIT 1)
    WHERE attached_instance IS NOT NULL OR attached_host IS NOT NULL;
  `,
};
