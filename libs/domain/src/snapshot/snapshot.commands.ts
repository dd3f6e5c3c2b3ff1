import type { BackupRequested } from '../backup/backup.events';
import type { DomainCommand } from '../decider';
import type { VolumeLocation } from '../volume/volume.events';

/** The source volume's current status and size are facts read by the handler. */
export type CreateSnapshot = DomainCommand<
  'CreateSnapshot',
  {
    snapshotId: string;
    projectId: string;
    userId: string;
    name: string | null;
    description: string | null;
    metadata: Record<string, string>;
    force: boolean;
    volume: { id: string; status: string; sizeGb: number };
    now: string;
  }
>;
export type RecordSnapshotProvisioned = DomainCommand<
  'RecordSnapshotProvisioned',
  { snapshotId: string; location: VolumeLocation; now: string }
>;
export type RecordSnapshotProvisioningFailed = DomainCommand<
  'RecordSnapshotProvisioningFailed',
  { snapshotId: string; reason: string; now: string }
>;
export type StartSnapshotBackup = DomainCommand<
  'StartSnapshotBackup',
  {
    snapshotId: string;
    volumeId: string;
    backupId: string;
    now: string;
    /** The backup the lock is taken for, as requested (see VolumeBackupStarted). */
    backup?: BackupRequested['data'];
  }
>;
export type EndSnapshotBackup = DomainCommand<
  'EndSnapshotBackup',
  {
    snapshotId: string;
    backupId: string;
    outcome: 'completed' | 'failed' | 'cancelled';
    now: string;
  }
>;
export type RequestSnapshotDeletion = DomainCommand<'RequestSnapshotDeletion', { snapshotId: string; now: string }>;
export type RecordSnapshotDeleted = DomainCommand<'RecordSnapshotDeleted', { snapshotId: string; now: string }>;
/** A snapshot still `creating` whose quota claim was refused: it never was (SnapshotDeleted, nothing provisioned). */
export type WithdrawSnapshot = DomainCommand<'WithdrawSnapshot', { snapshotId: string; now: string }>;
export type RecordSnapshotDeletionFailed = DomainCommand<
  'RecordSnapshotDeletionFailed',
  { snapshotId: string; reason: string; now: string }
>;

export type SnapshotCommand =
  | CreateSnapshot
  | RecordSnapshotProvisioned
  | RecordSnapshotProvisioningFailed
  | StartSnapshotBackup
  | EndSnapshotBackup
  | RequestSnapshotDeletion
  | RecordSnapshotDeleted
  | WithdrawSnapshot
  | RecordSnapshotDeletionFailed;
