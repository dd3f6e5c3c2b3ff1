import type { DomainCommand } from '../decider';
import type { BackupDriverSettings, BackupRequested, ChunkWritten } from './backup.events';

/** Facts from other streams (the volume, the snapshot, the newest available parent) are read by the handler. */
export type RequestBackup = DomainCommand<
  'RequestBackup',
  {
    backupId: string;
    projectId: string;
    userId: string;
    name: string | null;
    description: string | null;
    container: string | null;
    incremental: boolean;
    force: boolean;
    volume: { id: string; sizeGb: number; encryptionKeyId: string | null };
    snapshot: { id: string; createdAt: string } | null;
    /** The newest available backup of the volume by data timestamp, if any. */
    newestAvailable: { id: string } | null;
    availabilityZone: string | null;
    metadata: Record<string, string>;
    service: string;
    now: string;
  }
>;
/**
 * The backup-creation workflow records the backup its lock carries: as requested, or, when a later step
 * refused it (its parent went away), as requested and failed with that reason, so its row ends in `error`.
 */
export type RecordBackupRequest = DomainCommand<
  'RecordBackupRequest',
  {
    backup: BackupRequested['data'];
    failReason: string | null;
    now: string;
  }
>;
export type StartBackup = DomainCommand<
  'StartBackup',
  {
    backupId: string;
    container: string;
    objectPrefix: string;
    service: string;
    driver: BackupDriverSettings;
    now: string;
  }
>;
export type RecordChunkWritten = DomainCommand<
  'RecordChunkWritten',
  {
    backupId: string;
    objects: readonly Omit<ChunkWritten['data'], 'backupId' | 'writtenAt'>[];
    now: string;
  }
>;
export type CompleteBackup = DomainCommand<
  'CompleteBackup',
  {
    backupId: string;
    objectCount: number;
    sizeBytes: number;
    storedBytes: number;
    now: string;
  }
>;
export type FailBackup = DomainCommand<'FailBackup', { backupId: string; reason: string; now: string }>;
export type RequestBackupDeletion = DomainCommand<
  'RequestBackupDeletion',
  {
    backupId: string;
    force: boolean;
    liveChildCount: number;
    now: string;
    /** Children the catalog has seen (any status); a child linked on the stream but not among them is being created. */
    knownChildIds?: readonly string[];
  }
>;
export type AddBackupChild = DomainCommand<'AddBackupChild', { backupId: string; childId: string; now: string }>;
export type CancelBackup = DomainCommand<'CancelBackup', { backupId: string; now: string }>;
export type RecordBackupDeleted = DomainCommand<'RecordBackupDeleted', { backupId: string; now: string }>;
export type RecordBackupDeletionFailed = DomainCommand<'RecordBackupDeletionFailed', { backupId: string; reason: string; now: string }>;
export type ResetBackupStatus = DomainCommand<'ResetBackupStatus', { backupId: string; status: string; now: string }>;
export type UpdateBackup = DomainCommand<
  'UpdateBackup',
  {
    backupId: string;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    now: string;
  }
>;
export type RequestRestore = DomainCommand<
  'RequestRestore',
  {
    backupId: string;
    volumeId: string;
    volumeIsNew: boolean;
    now: string;
  }
>;
export type CompleteRestore = DomainCommand<'CompleteRestore', { backupId: string; volumeId: string; bytesWritten: number; now: string }>;
export type FailRestore = DomainCommand<'FailRestore', { backupId: string; volumeId: string; reason: string; now: string }>;
export type CancelRestore = DomainCommand<'CancelRestore', { backupId: string; volumeId: string; now: string }>;
export type RecordRestoreProgress = DomainCommand<
  'RecordRestoreProgress',
  {
    backupId: string;
    volumeId: string;
    objectsDone: number;
    bytesDone: number;
    bytesTotal: number;
    now: string;
  }
>;

/** The fields of a Cinder export record (or a scanned `_metadata`) that Strata keeps; absent ones are undefined. */
export interface ImportedBackupFields {
  readonly volumeId?: string;
  readonly snapshotId?: string | null;
  readonly parentId?: string | null;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly container?: string | null;
  readonly objectPrefix?: string | null;
  readonly sizeGb?: number;
  readonly objectCount?: number;
  readonly metadata?: Record<string, string>;
  readonly encryptionKeyId?: string | null;
  readonly createdAt?: string | null;
  readonly dataTimestamp?: string | null;
}
/** The caller's project and user own the import, and the local driver and zone replace the record's (Cinder's manager). */
export type ImportBackup = DomainCommand<
  'ImportBackup',
  {
    backupId: string;
    projectId: string;
    userId: string;
    /** The record's `backup_service`, and the configured driver that must prefix-match it (`_is_our_backup`). */
    requestedService: string | null;
    service: string;
    availabilityZone: string | null;
    fields: ImportedBackupFields;
    source: 'record' | 'repository';
    /** The import's quota claim follows it (see BackupImported). */
    claimsQuota?: true;
    now: string;
  }
>;
export type ExportBackupRecord = DomainCommand<'ExportBackupRecord', { backupId: string; backupService: string; now: string }>;
export type RequestBackupVerification = DomainCommand<
  'RequestBackupVerification',
  { backupId: string; verificationId: string; now: string }
>;
export type RecordBackupVerified = DomainCommand<
  'RecordBackupVerified',
  {
    backupId: string;
    verificationId: string;
    chain: string[];
    objects: number;
    blocks: number;
    now: string;
  }
>;
export type RecordBackupVerificationFailed = DomainCommand<
  'RecordBackupVerificationFailed',
  {
    backupId: string;
    verificationId: string;
    reason: string;
    object: string | null;
    blockIndex: number | null;
    now: string;
  }
>;

/** An import whose quota claim was refused: it never was (BackupDeleted; the repository's objects are not touched). */
export type WithdrawImport = DomainCommand<'WithdrawImport', { backupId: string; now: string }>;

export type BackupCommand =
  | WithdrawImport
  | RequestBackup
  | RecordBackupRequest
  | StartBackup
  | RecordChunkWritten
  | CompleteBackup
  | FailBackup
  | RequestBackupDeletion
  | CancelBackup
  | RecordBackupDeleted
  | RecordBackupDeletionFailed
  | ResetBackupStatus
  | UpdateBackup
  | RequestRestore
  | CompleteRestore
  | FailRestore
  | CancelRestore
  | ImportBackup
  | ExportBackupRecord
  | RequestBackupVerification
  | RecordBackupVerified
  | RecordBackupVerificationFailed
  | RecordRestoreProgress
  | AddBackupChild;
