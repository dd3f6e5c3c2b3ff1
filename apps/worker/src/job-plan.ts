import type { StrataEvent } from '@strata/domain';

/** The work an event asks of the worker. Pure: the dispatcher carries it out. */
export type JobPlan =
  | { readonly kind: 'backup' | 'backup-deletion' | 'restore'; readonly backupId: string; readonly cancelRunning: boolean }
  | { readonly kind: 'cancel-restore'; readonly backupId: string }
  | { readonly kind: 'verify'; readonly backupId: string; readonly verificationId: string; readonly cancelRunning: false }
  | { readonly kind: 'volume-provision' | 'volume-extend' | 'volume-deletion'; readonly volumeId: string }
  | { readonly kind: 'snapshot-provision' | 'snapshot-deletion'; readonly snapshotId: string }
  | { readonly kind: 'none' };

export const JOB_TRIGGERS = [
  'BackupRequested', 'BackupDeletionRequested', 'RestoreRequested', 'BackupStatusReset',
  'VolumeCreated', 'VolumeExtendRequested', 'VolumeDeletionRequested', 'SnapshotCreated', 'SnapshotDeletionRequested',
  'BackupVerificationRequested',
] as const satisfies readonly StrataEvent['type'][];

export const planJob = (event: StrataEvent): JobPlan => {
  switch (event.type) {
    case 'BackupRequested':
      return { kind: 'backup', backupId: event.data.backupId, cancelRunning: false };
    case 'BackupDeletionRequested':
      // A deletion stops whatever runs on the backup (a backup being created, a restore) first.
      return { kind: 'backup-deletion', backupId: event.data.backupId, cancelRunning: true };
    case 'RestoreRequested':
      return { kind: 'restore', backupId: event.data.backupId, cancelRunning: false };
    case 'BackupStatusReset':
      return event.data.previousStatus === 'restoring' ? { kind: 'cancel-restore', backupId: event.data.backupId } : { kind: 'none' };
    case 'VolumeCreated':
      return { kind: 'volume-provision', volumeId: event.data.volumeId };
    case 'VolumeExtendRequested':
      return { kind: 'volume-extend', volumeId: event.data.volumeId };
    case 'VolumeDeletionRequested':
      return { kind: 'volume-deletion', volumeId: event.data.volumeId };
    case 'SnapshotCreated':
      return { kind: 'snapshot-provision', snapshotId: event.data.snapshotId };
    case 'SnapshotDeletionRequested':
      return { kind: 'snapshot-deletion', snapshotId: event.data.snapshotId };
    case 'BackupVerificationRequested':
      return { kind: 'verify', backupId: event.data.backupId, verificationId: event.data.verificationId, cancelRunning: false };
    default:
      return { kind: 'none' };
  }
};
