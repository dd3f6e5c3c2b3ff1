import type { DomainEvent } from '../decider';

/** The chunked-driver settings a backup was started with; a resumed job uses these, not today's config. */
export interface BackupDriverSettings {
  readonly objectSizeBytes: number;
  readonly shaBlockSizeBytes: number;
  readonly compression: string;
  readonly compressionLevel: number;
}

export type BackupRequested = DomainEvent<
  'BackupRequested',
  {
    backupId: string;
    volumeId: string;
    snapshotId: string | null;
    projectId: string;
    userId: string;
    name: string | null;
    description: string | null;
    container: string | null;
    incremental: boolean;
    force: boolean;
    parentId: string | null;
    sizeGb: number;
    availabilityZone: string | null;
    metadata: Record<string, string>;
    encryptionKeyId: string | null;
    service: string;
    dataTimestamp: string;
    createdAt: string;
  }
>;
/** Container and object prefix are fixed here, once, so that a resumed job writes the same names. */
export type BackupStarted = DomainEvent<
  'BackupStarted',
  {
    backupId: string;
    container: string;
    objectPrefix: string;
    service: string;
    driver: BackupDriverSettings;
    startedAt: string;
  }
>;
/** One durable data object. A chunk (objectSizeBytes of the volume) yields zero or more of them. */
export type ChunkWritten = DomainEvent<
  'ChunkWritten',
  {
    backupId: string;
    objectIndex: number;
    objectName: string;
    chunkIndex: number;
    offsetBytes: number;
    lengthBytes: number;
    compression: string;
    md5: string;
    storedBytes: number;
    writtenAt: string;
  }
>;
export type BackupCompleted = DomainEvent<
  'BackupCompleted',
  {
    backupId: string;
    objectCount: number;
    sizeBytes: number;
    storedBytes: number;
    completedAt: string;
  }
>;
export type BackupFailed = DomainEvent<'BackupFailed', { backupId: string; reason: string; failedAt: string }>;
export type BackupDeletionRequested = DomainEvent<
  'BackupDeletionRequested',
  {
    backupId: string;
    force: boolean;
    previousStatus: string;
    requestedAt: string;
  }
>;
/** A running backup stopped because its deletion was requested. */
export type BackupCancelled = DomainEvent<'BackupCancelled', { backupId: string; cancelledAt: string }>;
export type BackupDeleted = DomainEvent<'BackupDeleted', { backupId: string; deletedAt: string }>;
export type BackupDeletionFailed = DomainEvent<'BackupDeletionFailed', { backupId: string; reason: string; failedAt: string }>;
export type BackupStatusReset = DomainEvent<
  'BackupStatusReset',
  {
    backupId: string;
    status: 'available' | 'error';
    previousStatus: string;
    resetAt: string;
  }
>;
export type BackupUpdated = DomainEvent<
  'BackupUpdated',
  {
    backupId: string;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    updatedAt: string;
  }
>;
export type RestoreRequested = DomainEvent<
  'RestoreRequested',
  {
    backupId: string;
    volumeId: string;
    volumeIsNew: boolean;
    requestedAt: string;
  }
>;
export type RestoreCompleted = DomainEvent<
  'RestoreCompleted',
  { backupId: string; volumeId: string; bytesWritten: number; completedAt: string }
>;
export type RestoreFailed = DomainEvent<'RestoreFailed', { backupId: string; volumeId: string; reason: string; failedAt: string }>;
export type RestoreCancelled = DomainEvent<'RestoreCancelled', { backupId: string; volumeId: string; cancelledAt: string }>;
/**
 * A backup that entered the catalog from outside: a Cinder export record (`source: 'record'`) or a scan
 * of a repository after the log was lost (`source: 'repository'`). Its objects already exist, so it is
 * `available` at once, or `error` when the record lacks a field Cinder's manager requires.
 */
export type BackupImported = DomainEvent<
  'BackupImported',
  {
    backupId: string;
    projectId: string;
    userId: string;
    volumeId: string;
    snapshotId: string | null;
    parentId: string | null;
    name: string | null;
    description: string | null;
    container: string | null;
    objectPrefix: string | null;
    service: string;
    availabilityZone: string | null;
    sizeGb: number;
    objectCount: number;
    metadata: Record<string, string>;
    encryptionKeyId: string | null;
    createdAt: string;
    dataTimestamp: string;
    status: 'available' | 'error';
    failReason: string | null;
    source: 'record' | 'repository';
    importedAt: string;
    /**
     * True when a quota claim follows the import (record imports since quotas): the worker's sweep makes
     * it if the request stopped first. Absent on older imports, which are never claimed after the fact.
     */
    claimsQuota?: true;
  }
>;
/** Someone took the backup's Cinder export record (the record itself is derived from the catalog row). */
export type BackupRecordExported = DomainEvent<
  'BackupRecordExported',
  {
    backupId: string;
    backupService: string;
    exportedAt: string;
  }
>;
/** The worker is asked to read the whole chain and check it, without writing anywhere. */
export type BackupVerificationRequested = DomainEvent<
  'BackupVerificationRequested',
  {
    backupId: string;
    verificationId: string;
    requestedAt: string;
  }
>;
export type BackupVerified = DomainEvent<
  'BackupVerified',
  {
    backupId: string;
    verificationId: string;
    chain: string[];
    objects: number;
    blocks: number;
    verifiedAt: string;
  }
>;
/** `object` names the bad object (or `blockIndex` the bad block) when the failure is about one. */
export type BackupVerificationFailed = DomainEvent<
  'BackupVerificationFailed',
  {
    backupId: string;
    verificationId: string;
    reason: string;
    object: string | null;
    blockIndex: number | null;
    failedAt: string;
  }
>;
/**
 * On the parent's stream, before the incremental is recorded: appended at the parent's revision, so a
 * deletion of the parent and a new child race there and exactly one wins (never a child without its parent).
 */
export type BackupChildAdded = DomainEvent<'BackupChildAdded', { backupId: string; childId: string; addedAt: string }>;
/** Written by earlier versions when an incremental was refused after its parent was linked; still folded, no longer decided. */
export type BackupChildRemoved = DomainEvent<'BackupChildRemoved', { backupId: string; childId: string; removedAt: string }>;
/**
 * The first `objectsDone` objects of the chain are durable on the target (fsync'ed): a resumed restore
 * skips them. Recorded after each such checkpoint, so it also carries the restore's progress across processes.
 */
export type RestoreProgressed = DomainEvent<
  'RestoreProgressed',
  {
    backupId: string;
    volumeId: string;
    objectsDone: number;
    bytesDone: number;
    bytesTotal: number;
    progressedAt: string;
  }
>;

export type BackupEvent =
  | BackupRequested
  | BackupStarted
  | ChunkWritten
  | BackupCompleted
  | BackupFailed
  | BackupDeletionRequested
  | BackupCancelled
  | BackupDeleted
  | BackupDeletionFailed
  | BackupStatusReset
  | BackupUpdated
  | RestoreRequested
  | RestoreCompleted
  | RestoreFailed
  | RestoreCancelled
  | BackupImported
  | BackupRecordExported
  | BackupVerificationRequested
  | BackupVerified
  | BackupVerificationFailed
  | RestoreProgressed
  | BackupChildAdded
  | BackupChildRemoved;

export const BACKUP_EVENT_TYPES: readonly BackupEvent['type'][] = [
  'BackupRequested',
  'BackupStarted',
  'ChunkWritten',
  'BackupCompleted',
  'BackupFailed',
  'BackupDeletionRequested',
  'BackupCancelled',
  'BackupDeleted',
  'BackupDeletionFailed',
  'BackupStatusReset',
  'BackupUpdated',
  'RestoreRequested',
  'RestoreCompleted',
  'RestoreFailed',
  'RestoreCancelled',
  'BackupImported',
  'BackupRecordExported',
  'BackupVerificationRequested',
  'BackupVerified',
  'BackupVerificationFailed',
  'RestoreProgressed',
  'BackupChildAdded',
  'BackupChildRemoved',
];
