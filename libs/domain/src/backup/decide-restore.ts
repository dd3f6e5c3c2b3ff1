import { BackupNotFound, InvalidBackup } from '../errors';
import type { CancelRestore, CompleteRestore, FailRestore, RecordRestoreProgress, RequestRestore } from './backup.commands';
import type { RestoreCancelled, RestoreCompleted, RestoreFailed, RestoreProgressed, RestoreRequested } from './backup.events';
import type { Backup, BackupRecord } from './backup.state';

/** The target volume's rules (available, large enough) are decided on the volume's stream. */
export const decideRequestRestore = ({ data }: RequestRestore, backup: Backup): RestoreRequested[] => {
  if (backup.status === 'absent' || backup.status === 'deleted') throw new BackupNotFound(data.backupId);
  if (backup.status !== 'available') throw new InvalidBackup('Backup status must be available');
  const { backupId, volumeId, volumeIsNew, now } = data;
  return [{ type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew, requestedAt: now } }];
};

const restoringInto = (backup: Backup, volumeId: string): backup is BackupRecord =>
  backup.status !== 'absent' && backup.restoringTo === volumeId;

export const decideCompleteRestore = ({ data }: CompleteRestore, backup: Backup): RestoreCompleted[] => {
  if (!restoringInto(backup, data.volumeId) || backup.status !== 'restoring') return [];
  const { backupId, volumeId, bytesWritten, now } = data;
  return [{ type: 'RestoreCompleted', data: { backupId, volumeId, bytesWritten, completedAt: now } }];
};

export const decideFailRestore = ({ data }: FailRestore, backup: Backup): RestoreFailed[] => {
  if (!restoringInto(backup, data.volumeId)) return [];
  const { backupId, volumeId, reason, now } = data;
  return [{ type: 'RestoreFailed', data: { backupId, volumeId, reason: reason.slice(0, 255), failedAt: now } }];
};

/** The restore noticed that the backup left `restoring` (an admin reset it) and stopped. */
export const decideCancelRestore = ({ data }: CancelRestore, backup: Backup): RestoreCancelled[] => {
  if (!restoringInto(backup, data.volumeId)) return [];
  const { backupId, volumeId, now } = data;
  return [{ type: 'RestoreCancelled', data: { backupId, volumeId, cancelledAt: now } }];
};

/** A checkpoint of the running restore; a repeated or older one records nothing. */
export const decideRecordRestoreProgress = ({ data }: RecordRestoreProgress, backup: Backup): RestoreProgressed[] => {
  if (!restoringInto(backup, data.volumeId) || backup.status !== 'restoring') return [];
  if (data.objectsDone <= backup.restoreObjectsDone) return [];
  const { backupId, volumeId, objectsDone, bytesDone, bytesTotal, now } = data;
  return [{ type: 'RestoreProgressed', data: { backupId, volumeId, objectsDone, bytesDone, bytesTotal, progressedAt: now } }];
};
