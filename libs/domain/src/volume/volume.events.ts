import type { BackupRequested } from '../backup/backup.events';
import type { DomainEvent } from '../decider';

/** Where a volume's bytes live once provisioned: an image file or a block device. */
export interface VolumeLocation {
  readonly kind: 'file' | 'block';
  readonly path: string;
  /** The exact size of the image or device; a managed volume's need not be a whole number of GiB. */
  readonly sizeBytes: number;
  /** False for managed volumes: Strata never deletes what it did not create. */
  readonly owned: boolean;
}

export type VolumeSource =
  | { readonly kind: 'blank' }
  /** An existing file or block device registered through Cinder's manage API. */
  | { readonly kind: 'managed'; readonly ref: string }
  /** `backup_id` (3.47): the backup's chain restored into the new volume (with `restoreOf` naming the same backup). */
  | { readonly kind: 'backup'; readonly backupId: string }
  /** `snapshot_id`: the snapshot's bytes, copied by the worker. */
  | { readonly kind: 'snapshot'; readonly snapshotId: string }
  /** `source_volid`: a clone of the source volume's bytes, copied by the worker. */
  | { readonly kind: 'volume'; readonly volumeId: string };

/** The sources the worker copies bytes from (a backup goes through the restore workflow instead). */
export type CopySource = Extract<VolumeSource, { kind: 'snapshot' | 'volume' }>;
export const isCopySource = (source: VolumeSource): source is CopySource => source.kind === 'snapshot' || source.kind === 'volume';

export type VolumeCreated = DomainEvent<
  'VolumeCreated',
  {
    volumeId: string;
    projectId: string;
    userId: string;
    name: string | null;
    description: string | null;
    sizeGb: number;
    availabilityZone: string;
    /** The type's name when the volume was created; before volume types, the text the client gave, or null. */
    volumeType: string | null;
    /** The volume's type. Absent from events written before volume types (read them with `volumeTypeIdOf`). */
    volumeTypeId?: string;
    encryptionKeyId: string | null;
    metadata: Record<string, string>;
    source: VolumeSource;
    createdAt: string;
    /** Created to restore this backup into: once provisioned, the restore workflow locks it and requests the restore. */
    restoreOf?: { backupId: string };
  }
>;
export type VolumeProvisioned = DomainEvent<
  'VolumeProvisioned',
  {
    volumeId: string;
    location: VolumeLocation;
    sizeGb: number;
    provisionedAt: string;
  }
>;
export type VolumeProvisioningFailed = DomainEvent<
  'VolumeProvisioningFailed',
  {
    volumeId: string;
    reason: string;
    failedAt: string;
  }
>;
export type VolumeAttached = DomainEvent<
  'VolumeAttached',
  {
    volumeId: string;
    instanceUuid: string | null;
    hostName: string | null;
    mountpoint: string | null;
    attachedAt: string;
  }
>;
export type VolumeDetached = DomainEvent<'VolumeDetached', { volumeId: string; detachedAt: string }>;
/**
 * The `backing-up` lock: one backup per volume at a time. The first step of the backup-creation workflow:
 * it carries the backup as requested, which the workflow then links to its parent and records (absent
 * from locks taken before workflows, when the api recorded the backup itself).
 */
export type VolumeBackupStarted = DomainEvent<
  'VolumeBackupStarted',
  {
    volumeId: string;
    backupId: string;
    previousStatus: 'available' | 'in-use';
    startedAt: string;
    backup?: BackupRequested['data'];
  }
>;
export type VolumeBackupEnded = DomainEvent<
  'VolumeBackupEnded',
  {
    volumeId: string;
    backupId: string;
    outcome: 'completed' | 'failed' | 'cancelled';
    status: 'available' | 'in-use';
    endedAt: string;
  }
>;
/**
 * The `restoring-backup` lock on the target of a restore: the first step of the restore workflow, which
 * then records the restore on the backup (`volumeIsNew` absent from locks taken before workflows).
 */
export type VolumeRestoreStarted = DomainEvent<
  'VolumeRestoreStarted',
  {
    volumeId: string;
    backupId: string;
    startedAt: string;
    volumeIsNew?: boolean;
  }
>;
export type VolumeRestoreEnded = DomainEvent<
  'VolumeRestoreEnded',
  {
    volumeId: string;
    backupId: string;
    /** completed → available, failed → error_restoring, cancelled → error, aborted (never started) → available. */
    outcome: 'completed' | 'failed' | 'cancelled' | 'aborted';
    status: 'available' | 'error_restoring' | 'error';
    endedAt: string;
  }
>;
export type VolumeUpdated = DomainEvent<
  'VolumeUpdated',
  {
    volumeId: string;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    updatedAt: string;
  }
>;
/**
 * `stopsRestoreOf`: the volume was still being created from that backup; the deletion cancels the restore
 * first (the deletion job runs after the restore job on the backup's queue, and records its cancellation).
 */
export type VolumeDeletionRequested = DomainEvent<
  'VolumeDeletionRequested',
  { volumeId: string; requestedAt: string; stopsRestoreOf?: string }
>;
/** A copy from a snapshot or a volume reached `bytesDone` of `bytesTotal`, durably (fsync'ed): a resumed copy starts there. */
export type VolumeCopyProgressed = DomainEvent<
  'VolumeCopyProgressed',
  {
    volumeId: string;
    bytesDone: number;
    bytesTotal: number;
    progressedAt: string;
  }
>;
/**
 * What a restore applied from the backup's `volume_meta` (Cinder's BackupMetadataAPI): the saved user
 * metadata replaces the volume's; the saved name and description are given only to a target without a
 * name or one auto-named `restore_backup_<id>`. Absent fields were not changed.
 */
export type VolumeMetadataRestored = DomainEvent<
  'VolumeMetadataRestored',
  {
    volumeId: string;
    backupId: string;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    restoredAt: string;
  }
>;
export type VolumeDeleted = DomainEvent<'VolumeDeleted', { volumeId: string; deletedAt: string }>;
export type VolumeDeletionFailed = DomainEvent<'VolumeDeletionFailed', { volumeId: string; reason: string; failedAt: string }>;
/** `os-reserve`: available → `attaching`, until an attach or an unreserve. */
export type VolumeReserved = DomainEvent<'VolumeReserved', { volumeId: string; reservedAt: string }>;
/** `os-unreserve`: `attaching` → back to `in-use` if attached, else `available`. */
export type VolumeUnreserved = DomainEvent<
  'VolumeUnreserved',
  {
    volumeId: string;
    status: 'available' | 'in-use';
    unreservedAt: string;
  }
>;
/** `os-begin_detaching`: in-use → `detaching`, until a detach or a roll back. */
export type VolumeDetachingStarted = DomainEvent<'VolumeDetachingStarted', { volumeId: string; startedAt: string }>;
/** `os-roll_detaching`: `detaching` → `in-use`. */
export type VolumeDetachingRolledBack = DomainEvent<'VolumeDetachingRolledBack', { volumeId: string; rolledBackAt: string }>;
/** `os-extend`: the volume is `extending` until the worker has grown its image to `newSizeGb`. */
export type VolumeExtendRequested = DomainEvent<
  'VolumeExtendRequested',
  {
    volumeId: string;
    newSizeGb: number;
    previousStatus: 'available' | 'in-use';
    requestedAt: string;
  }
>;
/** The image holds `sizeBytes` now; the volume is back to `in-use` if attached, else `available`. */
export type VolumeExtended = DomainEvent<
  'VolumeExtended',
  {
    volumeId: string;
    sizeGb: number;
    sizeBytes: number;
    status: 'available' | 'in-use';
    extendedAt: string;
  }
>;
export type VolumeExtendFailed = DomainEvent<'VolumeExtendFailed', { volumeId: string; reason: string; failedAt: string }>;
/** `os-set_bootable`. */
export type VolumeBootableSet = DomainEvent<'VolumeBootableSet', { volumeId: string; bootable: boolean; setAt: string }>;
/** `os-update_readonly_flag`: Cinder's admin metadata `readonly`. */
export type VolumeReadonlyFlagUpdated = DomainEvent<
  'VolumeReadonlyFlagUpdated',
  {
    volumeId: string;
    readonly: boolean;
    updatedAt: string;
  }
>;

export type VolumeEvent =
  | VolumeCreated
  | VolumeProvisioned
  | VolumeProvisioningFailed
  | VolumeAttached
  | VolumeDetached
  | VolumeBackupStarted
  | VolumeBackupEnded
  | VolumeRestoreStarted
  | VolumeRestoreEnded
  | VolumeUpdated
  | VolumeDeletionRequested
  | VolumeDeleted
  | VolumeDeletionFailed
  | VolumeReserved
  | VolumeUnreserved
  | VolumeDetachingStarted
  | VolumeDetachingRolledBack
  | VolumeExtendRequested
  | VolumeExtended
  | VolumeExtendFailed
  | VolumeBootableSet
  | VolumeReadonlyFlagUpdated
  | VolumeCopyProgressed
  | VolumeMetadataRestored;

export const VOLUME_EVENT_TYPES: readonly VolumeEvent['type'][] = [
  'VolumeCreated',
  'VolumeProvisioned',
  'VolumeProvisioningFailed',
  'VolumeAttached',
  'VolumeDetached',
  'VolumeBackupStarted',
  'VolumeBackupEnded',
  'VolumeRestoreStarted',
  'VolumeRestoreEnded',
  'VolumeUpdated',
  'VolumeDeletionRequested',
  'VolumeDeleted',
  'VolumeDeletionFailed',
  'VolumeReserved',
  'VolumeUnreserved',
  'VolumeDetachingStarted',
  'VolumeDetachingRolledBack',
  'VolumeExtendRequested',
  'VolumeExtended',
  'VolumeExtendFailed',
  'VolumeBootableSet',
  'VolumeReadonlyFlagUpdated',
  'VolumeCopyProgressed',
  'VolumeMetadataRestored',
];
