import { BackupNotFound, InvalidBackup } from '../errors';
import type { CancelBackup, RecordBackupDeleted, RecordBackupDeletionFailed, RequestBackupDeletion } from './backup.commands';
import type { BackupCancelled, BackupDeleted, BackupDeletionFailed, BackupDeletionRequested } from './backup.events';
import type { Backup, BackupRecord } from './backup.state';

const live = (state: Backup, backupId: string): BackupRecord => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(backupId);
  return state;
};

export const decideRequestBackupDeletion = ({ data }: RequestBackupDeletion, state: Backup): BackupDeletionRequested[] => {
  const b = live(state, data.backupId);
  if (!data.force && b.status !== 'available' && b.status !== 'error')
    throw new InvalidBackup('Backup status must be available or error');
  if (data.liveChildCount > 0) throw new InvalidBackup('Incremental backups exist for this backup.');
  if (b.status === 'deleting') return [];
  return [{ type: 'BackupDeletionRequested', data: { backupId: b.id, force: data.force, previousStatus: b.status, requestedAt: data.now } }];
};

/** Recorded by a running backup job that noticed the deletion between two chunks. */
export const decideCancelBackup = ({ data }: CancelBackup, state: Backup): BackupCancelled[] => {
  const b = live(state, data.backupId);
  if (b.status !== 'deleting' || b.statusBeforeDeletion !== 'creating') return [];
  return [{ type: 'BackupCancelled', data: { backupId: b.id, cancelledAt: data.now } }];
};

export const decideRecordBackupDeleted = ({ data }: RecordBackupDeleted, state: Backup): BackupDeleted[] => {
  if (state.status !== 'deleting') return [];
  return [{ type: 'BackupDeleted', data: { backupId: state.id, deletedAt: data.now } }];
};

export const decideRecordBackupDeletionFailed = ({ data }: RecordBackupDeletionFailed, state: Backup): BackupDeletionFailed[] => {
  if (state.status !== 'deleting') return [];
  return [{ type: 'BackupDeletionFailed', data: { backupId: state.id, reason: data.reason.slice(0, 255), failedAt: data.now } }];
};
