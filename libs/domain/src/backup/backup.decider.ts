import { assertNever, type Decider } from '../decider';
import { BackupNotFound, InvalidInput } from '../errors';
import type { BackupCommand, ResetBackupStatus, UpdateBackup } from './backup.commands';
import type { BackupEvent, BackupStatusReset, BackupUpdated } from './backup.events';
import { evolveBackup, initialBackupState, type Backup } from './backup.state';
import { decideCompleteBackup, decideFailBackup, decideRecordChunkWritten, decideStartBackup } from './decide-backup-progress';
import {
  decideAddBackupChild,
  decideCancelBackup,
  decideRecordBackupDeleted,
  decideRecordBackupDeletionFailed,
  decideRequestBackupDeletion,
} from './decide-backup-deletion';
import { decideExportRecord, decideImportBackup } from './decide-import-export';
import { decideRecordBackupRequest, decideRequestBackup } from './decide-request-backup';
import { decideRecordVerificationFailed, decideRecordVerified, decideRequestVerification } from './decide-verification';
import { checkedDecider } from '../schema/checked-decider';
import {
  decideCancelRestore,
  decideCompleteRestore,
  decideFailRestore,
  decideRecordRestoreProgress,
  decideRequestRestore,
} from './decide-restore';

const RESETTABLE = ['available', 'error'] as const;

const decideResetStatus = ({ data }: ResetBackupStatus, state: Backup): BackupStatusReset[] => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(data.backupId);
  const status = data.status.toLowerCase();
  if (!(RESETTABLE as readonly string[]).includes(status))
    throw new InvalidInput(`Backup status: ${data.status} is invalid, valid statuses are: ['available', 'error'].`);
  return [
    {
      type: 'BackupStatusReset',
      data: { backupId: state.id, status: status as BackupStatusReset['data']['status'], previousStatus: state.status, resetAt: data.now },
    },
  ];
};

const decideUpdate = ({ data }: UpdateBackup, state: Backup): BackupUpdated[] => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(data.backupId);
  const { name, description, metadata, now } = data;
  if (name === undefined && description === undefined && metadata === undefined) return [];
  return [{ type: 'BackupUpdated', data: { backupId: state.id, name, description, metadata, updatedAt: now } }];
};

export const decideBackup = (command: BackupCommand, state: Backup): BackupEvent[] => {
  switch (command.type) {
    case 'RequestBackup':
      return decideRequestBackup(command, state);
    case 'RecordBackupRequest':
      return decideRecordBackupRequest(command, state);
    case 'StartBackup':
      return decideStartBackup(command, state);
    case 'RecordChunkWritten':
      return decideRecordChunkWritten(command, state);
    case 'CompleteBackup':
      return decideCompleteBackup(command, state);
    case 'FailBackup':
      return decideFailBackup(command, state);
    case 'RequestBackupDeletion':
      return decideRequestBackupDeletion(command, state);
    case 'CancelBackup':
      return decideCancelBackup(command, state);
    case 'RecordBackupDeleted':
      return decideRecordBackupDeleted(command, state);
    case 'RecordBackupDeletionFailed':
      return decideRecordBackupDeletionFailed(command, state);
    case 'ResetBackupStatus':
      return decideResetStatus(command, state);
    case 'UpdateBackup':
      return decideUpdate(command, state);
    case 'RequestRestore':
      return decideRequestRestore(command, state);
    case 'CompleteRestore':
      return decideCompleteRestore(command, state);
    case 'FailRestore':
      return decideFailRestore(command, state);
    case 'CancelRestore':
      return decideCancelRestore(command, state);
    case 'ImportBackup':
      return decideImportBackup(command, state);
    case 'WithdrawImport':
      // Only as the import left it: the claim is decided right after the import, before anything else.
      return state.status === 'available' || state.status === 'error'
        ? [{ type: 'BackupDeleted', data: { backupId: command.data.backupId, deletedAt: command.data.now } }]
        : [];
    case 'ExportBackupRecord':
      return decideExportRecord(command, state);
    case 'RequestBackupVerification':
      return decideRequestVerification(command, state);
    case 'RecordBackupVerified':
      return decideRecordVerified(command, state);
    case 'RecordBackupVerificationFailed':
      return decideRecordVerificationFailed(command, state);
    case 'RecordRestoreProgress':
      return decideRecordRestoreProgress(command, state);
    case 'AddBackupChild':
      return decideAddBackupChild(command, state);
    default:
      return assertNever(command);
  }
};

export const backupDecider: Decider<BackupCommand, Backup, BackupEvent> = checkedDecider({
  decide: decideBackup,
  evolve: evolveBackup,
  initialState: initialBackupState,
});
