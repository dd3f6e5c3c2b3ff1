import type { RecordedEvent } from '@strata/event-store';

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
] as const;

export const planJob = (event: Pick<RecordedEvent, 'type' | 'data'>): JobPlan => {
  const d = event.data as {
    backupId?: string; volumeId?: string; snapshotId?: string; status?: string; previousStatus?: string; verificationId?: string;
  };
  switch (event.type) {
    case 'BackupRequested':
      return { kind: 'backup', backupId: d.backupId!, cancelRunning: false };
    case 'BackupDeletionRequested':
      // A deletion stops whatever runs on the backup (a backup being created, a restore) first.
      return { kind: 'backup-deletion', backupId: d.backupId!, cancelRunning: true };
    case 'RestoreRequested':
      return { kind: 'restore', backupId: d.backupId!, cancelRunning: false };
    case 'BackupStatusReset':
      return d.previousStatus === 'restoring' ? { kind: 'cancel-restore', backupId: d.backupId! } : { kind: 'none' };
    case 'VolumeCreated':
      return { kind: 'volume-provision', volumeId: d.volumeId! };
    case 'VolumeExtendRequested':
      return { kind: 'volume-extend', volumeId: d.volumeId! };
    case 'VolumeDeletionRequested':
      return { kind: 'volume-deletion', volumeId: d.volumeId! };
    case 'SnapshotCreated':
      return { kind: 'snapshot-provision', snapshotId: d.snapshotId! };
    case 'SnapshotDeletionRequested':
      return { kind: 'snapshot-deletion', snapshotId: d.snapshotId! };
    case 'BackupVerificationRequested':
      return { kind: 'verify', backupId: d.backupId!, verificationId: d.verificationId!, cancelRunning: false };
    default:
      return { kind: 'none' };
  }
};
