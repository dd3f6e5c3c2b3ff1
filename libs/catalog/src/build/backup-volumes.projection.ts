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

/** The table `backupVolumesProjection` keeps, on the connection of a build's part alone. */
export const BACKUP_VOLUMES = 'temp.build_backup_volumes';

/** Makes the connection's own, empty `BACKUP_VOLUMES` (a TEMP table: in no file, gone with the connection). */
export const createBackupVolumes = (db: CatalogDatabase): void => {
  db.exec(`CREATE TEMP TABLE build_backup_volumes (id TEXT PRIMARY KEY, volume_id TEXT, by_lock INTEGER NOT NULL) WITHOUT ROWID`);
};

type Handled = BackupRequested | BackupImported | VolumeBackupStarted | SnapshotBackupStarted | VolumeBackupEnded | SnapshotBackupEnded;

/**
 * Which backups have a row in `backups`, and their volume, as `backupsProjection` leaves them after each
 * event of a build from position 0 (where every event's position is past every row's, so its guards
 * always pass): the row is made, or made again, with the volume of the request, the lock that carries
 * the request, or the imported record, and a row made by a lock alone goes when the lock ends. No other
 * change of a backup touches its volume or removes its row. The audit of a build's part without the
 * backups' rows reads the volumes here (`auditReadingVolumesFrom`); `build-parts.spec.ts` holds the two
 * to the same audit, lock-only rows and revived ids included.
 */
export const backupVolumesProjection: Projection<Handled> = {
  name: 'build_backup_volumes',
  handles: [
    'BackupRequested',
    'BackupImported',
    'VolumeBackupStarted',
    'SnapshotBackupStarted',
    'VolumeBackupEnded',
    'SnapshotBackupEnded',
  ],
  apply(tx, e) {
    const made = (id: string, volumeId: string, byLock: boolean) =>
      tx.run(
        `INSERT INTO ${BACKUP_VOLUMES} (id, volume_id, by_lock) VALUES (@id, @volumeId, @byLock)
         ON CONFLICT (id) DO UPDATE SET volume_id = excluded.volume_id, by_lock = excluded.by_lock`,
        { id, volumeId, byLock: Number(byLock) },
      );
    switch (e.type) {
      case 'VolumeBackupStarted':
      case 'SnapshotBackupStarted':
        if (e.data.backup) made(e.data.backup.backupId, e.data.backup.volumeId, true);
        return;
      case 'BackupRequested':
      case 'BackupImported':
        made(e.data.backupId, e.data.volumeId, false);
        return;
      case 'VolumeBackupEnded':
      case 'SnapshotBackupEnded':
        tx.run(`DELETE FROM ${BACKUP_VOLUMES} WHERE id = @id AND by_lock = 1`, { id: e.data.backupId });
        return;
    }
  },
};
