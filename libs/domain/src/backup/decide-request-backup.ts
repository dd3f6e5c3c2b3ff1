import { InvalidBackup } from '../errors';
import type { RequestBackup } from './backup.commands';
import type { BackupRequested } from './backup.events';
import type { Backup } from './backup.state';

/**
 * Volume and snapshot status rules are decided on their own streams (the `backing-up` lock); here only
 * what the backup itself decides: it is new, and an incremental has an available parent.
 */
export const decideRequestBackup = ({ data }: RequestBackup, state: Backup): BackupRequested[] => {
  if (state.status !== 'absent') throw new InvalidBackup(`Backup ${data.backupId} already exists.`);
  if (data.incremental && !data.newestAvailable)
    throw new InvalidBackup('No backups available to do an incremental backup.');
  const { backupId, projectId, userId, name, description, container, incremental, force, volume, snapshot } = data;
  return [{
    type: 'BackupRequested',
    data: {
      backupId, volumeId: volume.id, snapshotId: snapshot?.id ?? null, projectId, userId,
      name, description, container, incremental, force,
      parentId: incremental ? data.newestAvailable!.id : null,
      sizeGb: volume.sizeGb, availabilityZone: data.availabilityZone, metadata: data.metadata,
      encryptionKeyId: volume.encryptionKeyId, service: data.service,
      // A snapshot's data is as old as the snapshot: that is what incremental parent selection compares.
      dataTimestamp: snapshot?.createdAt ?? data.now, createdAt: data.now,
    },
  }];
};
