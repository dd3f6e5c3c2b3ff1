import { deleteByPrefix } from '@strata/chunked-driver';
import { backupDecider, backupStreamId, snapshotDecider, snapshotStreamId, volumeDecider, volumeStreamId } from '@strata/domain';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';
import type { BackupJobDeps } from './backup-job';

/**
 * Deletes every object under the backup's prefix, then records the deletion. A backup whose run had
 * died while `creating` is recorded as cancelled and its volume released, so no lock outlives it.
 */
export const runBackupDeletionJob = async (deps: BackupJobDeps, cause: JobCause, backupId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const now = () => deps.now().toISOString();
  const backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider);
  if (backup.status !== 'deleting') return;
  try {
    if (backup.storage)
      await deleteByPrefix(deps.repositories.forService(backup.storage.service), backup.storage.container, backup.storage.objectPrefix);
    if (backup.statusBeforeDeletion === 'creating') {
      await recorder.record(backupStreamId(backupId), backupDecider, { type: 'CancelBackup', data: { backupId, now: now() } });
      const end = { backupId, outcome: 'cancelled' as const, now: now() };
      if (backup.snapshotId)
        await recorder.record(snapshotStreamId(backup.snapshotId), snapshotDecider, {
          type: 'EndSnapshotBackup',
          data: { ...end, snapshotId: backup.snapshotId },
        });
      else
        await recorder.record(volumeStreamId(backup.volumeId), volumeDecider, {
          type: 'EndVolumeBackup',
          data: { ...end, volumeId: backup.volumeId },
        });
    }
    await recorder.record(backupStreamId(backupId), backupDecider, { type: 'RecordBackupDeleted', data: { backupId, now: now() } });
  } catch (error) {
    if (deps.isStopping?.()) return;
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'RecordBackupDeletionFailed',
      data: { backupId, reason: (error as Error).message, now: now() },
    });
  }
};
