import type { StrataEvent } from '@strata/domain';
import type { BackupLock } from '@strata/workflows';

/** The work an event asks of the worker. Pure: the dispatcher carries it out. */
export type JobPlan =
  /** `lock`: a backup whose creation workflow may still have to record it (see libs/workflows). */
  | { readonly kind: 'backup'; readonly backupId: string; readonly cancelRunning: false; readonly lock?: BackupLock }
  /** `volumeId`: a restore whose workflow may still have to request it (see libs/workflows). */
  | { readonly kind: 'restore'; readonly backupId: string; readonly cancelRunning: false; readonly volumeId?: string }
  | { readonly kind: 'backup-deletion'; readonly backupId: string; readonly cancelRunning: true }
  | { readonly kind: 'cancel-restore'; readonly backupId: string }
  | { readonly kind: 'verify'; readonly backupId: string; readonly verificationId: string; readonly cancelRunning: false }
  | { readonly kind: 'volume-provision' | 'volume-extend'; readonly volumeId: string }
  /** `stopsRestoreOf`: the volume was being created from that backup; its restore is cancelled first. */
  | { readonly kind: 'volume-deletion'; readonly volumeId: string; readonly stopsRestoreOf?: string }
  | { readonly kind: 'snapshot-provision' | 'snapshot-deletion'; readonly snapshotId: string }
  | { readonly kind: 'none' };

/**
 * A backup and a restore start from their workflow's first step, the lock on the volume or snapshot
 * (BackupRequested and RestoreRequested are recorded by the job these start, not by the api).
 */
export const JOB_TRIGGERS = [
  'VolumeBackupStarted',
  'SnapshotBackupStarted',
  'VolumeRestoreStarted',
  'BackupDeletionRequested',
  'BackupStatusReset',
  'VolumeCreated',
  'VolumeExtendRequested',
  'VolumeDeletionRequested',
  'SnapshotCreated',
  'SnapshotDeletionRequested',
  'BackupVerificationRequested',
] as const satisfies readonly StrataEvent['type'][];

const none: JobPlan = { kind: 'none' };

export const planJob = (event: StrataEvent): JobPlan => {
  switch (event.type) {
    case 'VolumeBackupStarted':
      return event.data.backup
        ? { kind: 'backup', backupId: event.data.backupId, cancelRunning: false, lock: { kind: 'volume', id: event.data.volumeId } }
        : none;
    case 'SnapshotBackupStarted':
      return event.data.backup
        ? { kind: 'backup', backupId: event.data.backupId, cancelRunning: false, lock: { kind: 'snapshot', id: event.data.snapshotId } }
        : none;
    case 'VolumeRestoreStarted':
      return event.data.volumeIsNew === undefined
        ? none
        : { kind: 'restore', backupId: event.data.backupId, cancelRunning: false, volumeId: event.data.volumeId };
    case 'BackupDeletionRequested':
      // A deletion stops whatever runs on the backup (a backup being created, a restore) first.
      return { kind: 'backup-deletion', backupId: event.data.backupId, cancelRunning: true };
    case 'BackupStatusReset':
      return event.data.previousStatus === 'restoring' ? { kind: 'cancel-restore', backupId: event.data.backupId } : { kind: 'none' };
    case 'VolumeCreated':
      return { kind: 'volume-provision', volumeId: event.data.volumeId };
    case 'VolumeExtendRequested':
      return { kind: 'volume-extend', volumeId: event.data.volumeId };
    case 'VolumeDeletionRequested':
      return event.data.stopsRestoreOf
        ? { kind: 'volume-deletion', volumeId: event.data.volumeId, stopsRestoreOf: event.data.stopsRestoreOf }
        : { kind: 'volume-deletion', volumeId: event.data.volumeId };
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
