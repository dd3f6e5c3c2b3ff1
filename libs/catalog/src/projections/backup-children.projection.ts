import type { BackupEvent, SnapshotBackupStarted, VolumeBackupStarted } from '@strata/domain';
import { type Projection, type ProjectionTx } from './projection';

/**
 * One row per live incremental child of a backup. `has_dependent_backups` reads the completed rows and
 * the delete guard counts all of them: both derived from these rows, so nothing drifts the way Cinder's
 * `num_dependent_backups` counter does (quirk 6). Every statement is idempotent on its own.
 */
export const backupChildrenProjection: Projection<BackupEvent | VolumeBackupStarted | SnapshotBackupStarted> = {
  name: 'backup_children',
  handles: ['BackupRequested', 'BackupCompleted', 'BackupDeleted', 'BackupImported', 'VolumeBackupStarted', 'SnapshotBackupStarted'],
  apply(tx: ProjectionTx, e: BackupEvent | VolumeBackupStarted | SnapshotBackupStarted) {
    // A child counts from its creation's first step, the lock that carries it, so a deletion of its parent
    // asked for right after the child's request is refused as Cinder refuses it.
    const requested =
      e.type === 'BackupRequested'
        ? e.data
        : e.type === 'VolumeBackupStarted' || e.type === 'SnapshotBackupStarted'
          ? e.data.backup
          : undefined;
    if (requested && requested.parentId !== null)
      tx.run('INSERT OR IGNORE INTO backup_children (parent_id, child_id) VALUES (@parentId, @childId)', {
        parentId: requested.parentId,
        childId: requested.backupId,
      });
    // An imported child may arrive before its parent: the row waits for it, so the parent shows its
    // dependents from the moment it is imported too.
    if (e.type === 'BackupImported' && e.data.parentId !== null)
      tx.run(
        `INSERT INTO backup_children (parent_id, child_id, completed) VALUES (@parentId, @childId, @completed)
         ON CONFLICT (parent_id, child_id) DO UPDATE SET completed = excluded.completed`,
        { parentId: e.data.parentId, childId: e.data.backupId, completed: Number(e.data.status === 'available') },
      );
    if (e.type === 'BackupCompleted')
      tx.run('UPDATE backup_children SET completed = 1 WHERE child_id = @childId', { childId: e.data.backupId });
    if (e.type === 'BackupDeleted') tx.run('DELETE FROM backup_children WHERE child_id = @childId', { childId: e.data.backupId });
  },
};
