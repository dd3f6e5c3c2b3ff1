import type { Migration } from './migration';

/**
 * The id of what a volume was created from (`source_kind` says which: a backup, a snapshot, a volume):
 * Cinder's view shows `snapshot_id` and `source_volid`. Volumes from before this step were all blank or
 * managed, so they have none.
 */
export const volumeSourceIdMigration: Migration = {
  version: 11,
  name: 'volume-source-id',
  sql: `
    ALTER TABLE volumes ADD COLUMN source_id TEXT;
  `,
};
