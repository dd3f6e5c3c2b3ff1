import type { CatalogDatabase } from '../schema/catalog-database';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from './backup-row';
import { prepared } from './prepared';

export interface NewestAvailableOptions {
  /** For a snapshot backup: only parents whose data predates the snapshot. */
  readonly dataTimestampBefore?: string | null;
}

/**
 * The parent of an incremental (Cinder §2.1, master): the caller's project's `available` backup of
 * this volume with the newest `data_timestamp`; null when there is none.
 */
export const newestAvailableBackup = (
  db: CatalogDatabase,
  volumeId: string,
  projectId: string,
  { dataTimestampBefore = null }: NewestAvailableOptions = {},
): BackupRow | null => {
  const row = prepared(
    db,
    `${BACKUP_SELECT}
     WHERE b.volume_id = @volumeId AND b.project_id = @projectId AND b.status = 'available'
       AND (@before IS NULL OR b.data_timestamp < @before)
     ORDER BY b.data_timestamp DESC, b.created_at DESC, b.id DESC LIMIT 1`,
  ).get({ volumeId, projectId, before: dataTimestampBefore }) as Record<string, unknown> | undefined;
  return row ? toBackupRow(row) : null;
};
