import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** What a backup's history hangs on, whatever its status (deleted ones too): for exports and audits. */
export interface BackupRelations {
  readonly backupId: string;
  readonly projectId: string;
  readonly volumeId: string;
  readonly parentId: string | null;
  readonly snapshotId: string | null;
  readonly snapshotVolumeId: string | null;
  readonly restoreVolumeId: string | null;
}

export const backupRelations = (db: CatalogDatabase, backupId: string): BackupRelations | null => {
  const row = prepared(
    db,
    `SELECT b.id, b.project_id, b.volume_id, b.parent_id, b.snapshot_id, s.volume_id AS snapshot_volume_id, b.restore_volume_id
     FROM backups b LEFT JOIN snapshots s ON s.id = b.snapshot_id WHERE b.id = @id`,
  ).get({ id: backupId }) as Record<string, string | null> | undefined;
  if (!row) return null;
  return {
    backupId: row.id!,
    projectId: row.project_id!,
    volumeId: row.volume_id!,
    parentId: row.parent_id ?? null,
    snapshotId: row.snapshot_id ?? null,
    snapshotVolumeId: row.snapshot_volume_id ?? null,
    restoreVolumeId: row.restore_volume_id ?? null,
  };
};
