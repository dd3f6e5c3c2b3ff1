import type {
  BackupImported,
  BackupRequested,
  SnapshotBackupEnded,
  SnapshotBackupStarted,
  VolumeBackupEnded,
  VolumeBackupStarted,
} from '@strata/domain';
import type { CatalogDatabase } from '../schema/catalog-database';
import type { Projection } from '../projections/projection';

/** The table `backupOwnersProjection` keeps, on the connection of a build's part alone. */
export const BACKUP_OWNERS = 'temp.build_backup_owners';

/** Makes the connection's own, empty `BACKUP_OWNERS` (a TEMP table: in no file, gone with the connection). */
export const createBackupOwners = (db: CatalogDatabase): void => {
  db.exec(
    `CREATE TEMP TABLE build_backup_owners (id TEXT PRIMARY KEY, volume_id TEXT, project_id TEXT, by_lock INTEGER NOT NULL) WITHOUT ROWID`,
  );
};

type Handled = BackupRequested | BackupImported | VolumeBackupStarted | SnapshotBackupStarted | VolumeBackupEnded | SnapshotBackupEnded;

/**
 * Which backups have a row in `backups`, with the row's volume and project, as `backupsProjection` leaves
 * them after each event of a build from position 0 (where every event's position is past every row's, so
 * its guards always pass): the row is made, or made again, with the volume and project of the request, of
 * the lock that carries the request, or of the imported record, and a row made by a lock alone goes when
 * the lock ends. No other change of a backup touches its volume or project, or removes its row. A build's
 * part without the backups' rows reads them here: the audit a backup's volume (`auditReadingVolumesFrom`),
 * the user messages its project (`messagesReadingBackupsFrom`); `build-parts.spec.ts` holds both to a
 * whole build's, lock-only rows and revived ids included.
 */
export const backupOwnersProjection: Projection<Handled> = {
  name: 'build_backup_owners',
  handles: [
    'BackupRequested',
    'BackupImported',
    'VolumeBackupStarted',
    'SnapshotBackupStarted',
    'VolumeBackupEnded',
    'SnapshotBackupEnded',
  ],
  apply(tx, e) {
    const made = (row: { backupId: string; volumeId: string; projectId: string }, byLock: boolean) =>
      tx.run(
        `INSERT INTO ${BACKUP_OWNERS} (id, volume_id, project_id, by_lock) VALUES (@id, @volumeId, @projectId, @byLock)
         ON CONFLICT (id) DO UPDATE SET volume_id = excluded.volume_id, project_id = excluded.project_id, by_lock = excluded.by_lock`,
        { id: row.backupId, volumeId: row.volumeId, projectId: row.projectId, byLock: Number(byLock) },
      );
    switch (e.type) {
      case 'VolumeBackupStarted':
      case 'SnapshotBackupStarted':
        if (e.data.backup) made(e.data.backup, true);
        return;
      case 'BackupRequested':
      case 'BackupImported':
        made(e.data, false);
        return;
      case 'VolumeBackupEnded':
      case 'SnapshotBackupEnded':
        tx.run(`DELETE FROM ${BACKUP_OWNERS} WHERE id = @id AND by_lock = 1`, { id: e.data.backupId });
        return;
    }
  },
};
