import type { Migration } from './migration';

/**
 * What the volume actions add to Cinder's volume view: `bootable` (os-set_bootable) and the admin
 * metadata Cinder shows among a volume's metadata, `readonly` (os-update_readonly_flag, or "False" from
 * the first attach on) and `attached_mode` (while attached). A catalog from before this step gets what a
 * replay would give it: `readonly` for every volume the log shows attached, `attached_mode` for those
 * attached now.
 */
export const volumeActionsMigration: Migration = {
  version: 8,
  name: 'volume-actions',
  sql: `
    ALTER TABLE volumes ADD COLUMN bootable INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE volumes ADD COLUMN admin_metadata TEXT NOT NULL DEFAULT '{}';

    UPDATE volumes SET admin_metadata = json_object('readonly', 'False')
      WHERE id IN (SELECT entity_id FROM audit WHERE type = 'VolumeAttached');
    UPDATE volumes SET admin_metadata = json_set(admin_metadata, '$.attached_mode', 'rw')
      WHERE attached_instance IS NOT NULL OR attached_host IS NOT NULL OR attached_mountpoint IS NOT NULL;
  `,
};
