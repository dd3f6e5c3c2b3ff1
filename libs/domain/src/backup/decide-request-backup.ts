import { InvalidBackup } from '../errors';
import type { RecordBackupRequest, RequestBackup } from './backup.commands';
import type { BackupFailed, BackupRequested } from './backup.events';
import type { Backup } from './backup.state';

/**
 * Volume and snapshot status rules are decided on their own streams (the `backing-up` lock); here only
 * what the backup itself decides: it is new, and an incremental has an available parent.
 */
export const decideRequestBackup = ({ data }: RequestBackup, state: Backup): BackupRequested[] => {
  if (state.status !== 'absent') throw new InvalidBackup(`Backup ${data.backupId} already exists.`);
  if (data.incremental && !data.newestAvailable) throw new InvalidBackup('No backups available to do an incremental backup.');
  const { backupId, projectId, userId, name, description, container, incremental, force, volume, snapshot } = data;
  return [
    {
      type: 'BackupRequested',
      data: {
        backupId,
        volumeId: volume.id,
        snapshotId: snapshot?.id ?? null,
        projectId,
        userId,
        name,
        description,
        container,
        incremental,
        force,
        parentId: incremental ? data.newestAvailable!.id : null,
        sizeGb: volume.sizeGb,
        availabilityZone: data.availabilityZone,
        metadata: data.metadata,
        encryptionKeyId: volume.encryptionKeyId,
        service: data.service,
        // A snapshot's data is as old as the snapshot: that is what incremental parent selection compares.
        dataTimestamp: snapshot?.createdAt ?? data.now,
        createdAt: data.now,
      },
    },
  ];
};

/**
 * The workflow's step that records the backup its lock carries (decided already, by RequestBackup, when
 * the lock was taken). Recorded once: a stream that holds it (or anything) already has nothing to add.
 */
export const decideRecordBackupRequest = ({ data }: RecordBackupRequest, state: Backup): (BackupRequested | BackupFailed)[] => {
  if (state.status !== 'absent') return [];
  const requested: BackupRequested = { type: 'BackupRequested', data: data.backup };
  if (data.failReason === null) return [requested];
  return [
    requested,
    { type: 'BackupFailed', data: { backupId: data.backup.backupId, reason: data.failReason.slice(0, 255), failedAt: data.now } },
  ];
};
