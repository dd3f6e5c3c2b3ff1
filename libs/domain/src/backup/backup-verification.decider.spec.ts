import { BackupNotFound, InvalidBackup } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { backupCompleted, backupId, backupRequested, command, LATER, NOW, volumeId } from '../testing/backup-fixtures';
import type { BackupEvent } from './backup.events';
import { backupDecider } from './backup.decider';

const given = DeciderSpecification.for(backupDecider);
const available: BackupEvent[] = [backupRequested(), backupCompleted()];
const requested = (verificationId = 'f1000000-0000-4000-8000-000000000001'): BackupEvent => ({
  type: 'BackupVerificationRequested',
  data: { backupId, verificationId, requestedAt: NOW },
});
const verified = (verificationId = 'f1000000-0000-4000-8000-000000000001'): BackupEvent => ({
  type: 'BackupVerified',
  data: { backupId, verificationId, chain: [backupId], objects: 1, blocks: 32768, verifiedAt: LATER },
});
const recordVerified = (verificationId = 'f1000000-0000-4000-8000-000000000001') =>
  command('RecordBackupVerified', { backupId, verificationId, chain: [backupId], objects: 1, blocks: 32768, now: LATER });
const recordFailed = (verificationId = 'f1000000-0000-4000-8000-000000000001') =>
  command('RecordBackupVerificationFailed', {
    backupId,
    verificationId,
    reason: 'Object o-00001: md5 x does not match the recorded y',
    object: 'o-00001',
    blockIndex: null,
    now: LATER,
  });

describe('RequestBackupVerification', () => {
  const request = command('RequestBackupVerification', { backupId, verificationId: 'f1000000-0000-4000-8000-000000000001', now: NOW });

  it('asks for a verification of an available backup, leaving its status alone', () => given(available).when(request).then([requested()]));

  it('verifies a backup that is being restored (both only read)', () =>
    given([...available, { type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew: true, requestedAt: NOW } }])
      .when(request)
      .then([requested()]));

  it('refuses a backup whose data is not complete', () =>
    given([backupRequested()])
      .when(request)
      .thenThrows(InvalidBackup, 'Invalid backup: Backup status must be available or restoring and not creating.'));

  it('says not found for an unknown backup', () => given([]).when(request).thenThrows(BackupNotFound));
});

describe('RecordBackupVerified and RecordBackupVerificationFailed', () => {
  it('records the outcome of the pending verification', () =>
    given([...available, requested()])
      .when(recordVerified())
      .then([verified()]));

  it('records a failure naming the bad object', () =>
    given([...available, requested()])
      .when(recordFailed())
      .then([
        {
          type: 'BackupVerificationFailed',
          data: {
            backupId,
            verificationId: 'f1000000-0000-4000-8000-000000000001',
            reason: 'Object o-00001: md5 x does not match the recorded y',
            object: 'o-00001',
            blockIndex: null,
            failedAt: LATER,
          },
        },
      ]));

  it('records nothing the second time (a job delivered twice)', () =>
    given([...available, requested(), verified()])
      .when(recordVerified())
      .then([]));

  it('records nothing for a verification that is not the pending one', () =>
    given([...available, requested('f2000000-0000-4000-8000-000000000002')])
      .when(recordFailed('f1000000-0000-4000-8000-000000000001'))
      .then([]));

  it('records nothing once the backup is deleted', () =>
    given([
      ...available,
      requested(),
      { type: 'BackupDeletionRequested', data: { backupId, force: false, previousStatus: 'available', requestedAt: NOW } },
      { type: 'BackupDeleted', data: { backupId, deletedAt: NOW } },
    ])
      .when(recordVerified())
      .then([]));
});
