import { BackupNotFound, InvalidBackup } from '../errors';
import type {
  AddBackupChild,
  CancelBackup,
  RecordBackupDeleted,
  RecordBackupDeletionFailed,
  RequestBackupDeletion,
} from './backup.commands';
import type { BackupCancelled, BackupChildAdded, BackupDeleted, BackupDeletionFailed, BackupDeletionRequested } from './backup.events';
import type { Backup, BackupRecord } from './backup.state';

const live = (state: Backup, backupId: string): BackupRecord => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(backupId);
  return state;
};

/**
 * Children linked on the parent's stream that the catalog has not seen yet: their creation is under way.
 * The backup-creation workflow records every child it linked (as failed when it cannot run), so a link
 * never guards the parent by its age.
 */
const childrenBeingCreated = (b: BackupRecord, data: RequestBackupDeletion['data']) =>
  b.linkedChildren.filter((c) => !(data.knownChildIds ?? []).includes(c.id));

export const decideRequestBackupDeletion = ({ data }: RequestBackupDeletion, state: Backup): BackupDeletionRequested[] => {
  const b = live(state, data.backupId);
  if (!data.force && b.status !== 'available' && b.status !== 'error') throw new InvalidBackup('Backup status must be available or error');
  if (data.liveChildCount > 0 || childrenBeingCreated(b, data).length > 0)
    throw new InvalidBackup('Incremental backups exist for this backup.');
  if (b.status === 'deleting') return [];
  return [
    { type: 'BackupDeletionRequested', data: { backupId: b.id, force: data.force, previousStatus: b.status, requestedAt: data.now } },
  ];
};

/**
 * Recorded by a running backup job that noticed the deletion between two chunks, or by the deletion job
 * of a backup deleted while `creating` (queued behind the backup job): whichever comes first, once.
 */
export const decideCancelBackup = ({ data }: CancelBackup, state: Backup): BackupCancelled[] => {
  const b = live(state, data.backupId);
  if (b.status !== 'deleting' || b.statusBeforeDeletion !== 'creating' || b.cancelled) return [];
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

/** An incremental takes its parent: only an available parent, decided at the parent's revision. */
export const decideAddBackupChild = ({ data }: AddBackupChild, state: Backup): BackupChildAdded[] => {
  const b = live(state, data.backupId);
  if (b.linkedChildren.some((c) => c.id === data.childId)) return [];
  if (b.status !== 'available') throw new InvalidBackup('No backups available to do an incremental backup.');
  return [{ type: 'BackupChildAdded', data: { backupId: b.id, childId: data.childId, addedAt: data.now } }];
};
