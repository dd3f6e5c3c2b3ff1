import type { BackupRequested } from '../backup/backup.events';
import type { DomainEvent } from '../decider';
import type { VolumeLocation } from '../volume/volume.events';

export type SnapshotCreated = DomainEvent<
  'SnapshotCreated',
  {
    snapshotId: string;
    volumeId: string;
    projectId: string;
    userId: string;
    name: string | null;
    description: string | null;
    sizeGb: number;
    metadata: Record<string, string>;
    createdAt: string;
  }
>;
export type SnapshotProvisioned = DomainEvent<
  'SnapshotProvisioned',
  {
    snapshotId: string;
    location: VolumeLocation;
    provisionedAt: string;
  }
>;
export type SnapshotProvisioningFailed = DomainEvent<
  'SnapshotProvisioningFailed',
  {
    snapshotId: string;
    reason: string;
    failedAt: string;
  }
>;
/** A backup taken from the snapshot locks it instead of the volume. */
export type SnapshotBackupStarted = DomainEvent<
  'SnapshotBackupStarted',
  {
    snapshotId: string;
    backupId: string;
    startedAt: string;
    /** The backup as requested: the first step of the backup-creation workflow (see VolumeBackupStarted). */
    backup?: BackupRequested['data'];
  }
>;
export type SnapshotBackupEnded = DomainEvent<
  'SnapshotBackupEnded',
  {
    snapshotId: string;
    backupId: string;
    outcome: 'completed' | 'failed' | 'cancelled';
    endedAt: string;
  }
>;
export type SnapshotDeletionRequested = DomainEvent<'SnapshotDeletionRequested', { snapshotId: string; requestedAt: string }>;
export type SnapshotDeleted = DomainEvent<'SnapshotDeleted', { snapshotId: string; deletedAt: string }>;
export type SnapshotDeletionFailed = DomainEvent<'SnapshotDeletionFailed', { snapshotId: string; reason: string; failedAt: string }>;

export type SnapshotEvent =
  | SnapshotCreated
  | SnapshotProvisioned
  | SnapshotProvisioningFailed
  | SnapshotBackupStarted
  | SnapshotBackupEnded
  | SnapshotDeletionRequested
  | SnapshotDeleted
  | SnapshotDeletionFailed;

export const SNAPSHOT_EVENT_TYPES: readonly SnapshotEvent['type'][] = [
  'SnapshotCreated',
  'SnapshotProvisioned',
  'SnapshotProvisioningFailed',
  'SnapshotBackupStarted',
  'SnapshotBackupEnded',
  'SnapshotDeletionRequested',
  'SnapshotDeleted',
  'SnapshotDeletionFailed',
];
