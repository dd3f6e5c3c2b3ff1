import { BackupNotFound, InvalidBackup } from '../errors';
import type { RecordBackupVerificationFailed, RecordBackupVerified, RequestBackupVerification } from './backup.commands';
import type { BackupVerificationFailed, BackupVerificationRequested, BackupVerified } from './backup.events';
import type { Backup } from './backup.state';

/**
 * A verification reads the chain and writes nowhere, so it leaves the backup's status alone: a restore
 * or another verification may run beside it. Only a backup whose data is complete can be verified.
 */
export const decideRequestVerification = ({ data }: RequestBackupVerification, state: Backup): BackupVerificationRequested[] => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(data.backupId);
  if (state.status !== 'available' && state.status !== 'restoring')
    throw new InvalidBackup(`Backup status must be available or restoring and not ${state.status}.`);
  return [
    { type: 'BackupVerificationRequested', data: { backupId: state.id, verificationId: data.verificationId, requestedAt: data.now } },
  ];
};

/** The outcome is recorded once, for the verification still pending; a repeat or a stale job records nothing. */
const pending = (state: Backup, verificationId: string) =>
  state.status !== 'absent' && state.status !== 'deleted' && state.pendingVerificationId === verificationId;

export const decideRecordVerified = ({ data }: RecordBackupVerified, state: Backup): BackupVerified[] => {
  if (!pending(state, data.verificationId)) return [];
  const { backupId, verificationId, chain, objects, blocks, now } = data;
  return [{ type: 'BackupVerified', data: { backupId, verificationId, chain, objects, blocks, verifiedAt: now } }];
};

export const decideRecordVerificationFailed = ({ data }: RecordBackupVerificationFailed, state: Backup): BackupVerificationFailed[] => {
  if (!pending(state, data.verificationId)) return [];
  const { backupId, verificationId, object, blockIndex, now } = data;
  return [
    {
      type: 'BackupVerificationFailed',
      data: { backupId, verificationId, reason: data.reason.slice(0, 1024), object, blockIndex, failedAt: now },
    },
  ];
};
