import type { BackupRequested } from '../backup/backup.events';
import type { DomainCommand } from '../decider';
import type { VolumeCreated, VolumeLocation } from './volume.events';

/** `bootable`: Cinder's manage API takes the flag with the volume (recorded as VolumeBootableSet beside VolumeCreated). */
export type CreateVolume = DomainCommand<'CreateVolume', VolumeCreated['data'] & { bootable?: boolean }>;
export type RecordVolumeProvisioned = DomainCommand<
  'RecordVolumeProvisioned',
  {
    volumeId: string;
    location: VolumeLocation;
    sizeGb: number;
    now: string;
  }
>;
export type RecordVolumeProvisioningFailed = DomainCommand<
  'RecordVolumeProvisioningFailed',
  {
    volumeId: string;
    reason: string;
    now: string;
  }
>;
export type AttachVolume = DomainCommand<
  'AttachVolume',
  {
    volumeId: string;
    instanceUuid: string | null;
    hostName: string | null;
    mountpoint: string | null;
    now: string;
  }
>;
export type DetachVolume = DomainCommand<'DetachVolume', { volumeId: string; now: string }>;
export type StartVolumeBackup = DomainCommand<
  'StartVolumeBackup',
  {
    volumeId: string;
    backupId: string;
    force: boolean;
    now: string;
    /** The backup the lock is taken for, as requested: recorded with the lock, so the workflow can finish it. */
    backup?: BackupRequested['data'];
  }
>;
export type EndVolumeBackup = DomainCommand<
  'EndVolumeBackup',
  {
    volumeId: string;
    backupId: string;
    outcome: 'completed' | 'failed' | 'cancelled';
    now: string;
  }
>;
export type StartVolumeRestore = DomainCommand<
  'StartVolumeRestore',
  {
    /** The backup's size as Cinder shows it (GiB, rounded up) and the exact bytes a restore writes. */
    volumeId: string;
    backupId: string;
    backupSizeGb: number;
    backupSizeBytes: number;
    now: string;
    /** Whether the target was created for this restore: recorded with the lock, so the workflow can request the restore. */
    volumeIsNew?: boolean;
  }
>;
export type EndVolumeRestore = DomainCommand<
  'EndVolumeRestore',
  {
    volumeId: string;
    backupId: string;
    outcome: 'completed' | 'failed' | 'cancelled' | 'aborted';
    now: string;
  }
>;
export type UpdateVolume = DomainCommand<
  'UpdateVolume',
  {
    volumeId: string;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    now: string;
  }
>;
export type RequestVolumeDeletion = DomainCommand<
  'RequestVolumeDeletion',
  {
    volumeId: string;
    liveSnapshotCount: number;
    now: string;
  }
>;
export type RecordVolumeDeleted = DomainCommand<'RecordVolumeDeleted', { volumeId: string; now: string }>;
/** A volume still `creating` whose quota claim was refused: it never was (VolumeDeleted, nothing provisioned). */
export type WithdrawVolume = DomainCommand<'WithdrawVolume', { volumeId: string; now: string }>;
export type RecordVolumeDeletionFailed = DomainCommand<
  'RecordVolumeDeletionFailed',
  {
    volumeId: string;
    reason: string;
    now: string;
  }
>;
export type ReserveVolume = DomainCommand<'ReserveVolume', { volumeId: string; now: string }>;
export type UnreserveVolume = DomainCommand<'UnreserveVolume', { volumeId: string; now: string }>;
export type BeginVolumeDetaching = DomainCommand<'BeginVolumeDetaching', { volumeId: string; now: string }>;
export type RollVolumeDetaching = DomainCommand<'RollVolumeDetaching', { volumeId: string; now: string }>;
export type ExtendVolume = DomainCommand<
  'ExtendVolume',
  {
    /** `inUseAllowed`: the request's microversion is 3.42 or later, where Cinder extends an in-use volume too. */
    volumeId: string;
    newSizeGb: number;
    inUseAllowed: boolean;
    now: string;
  }
>;
export type RecordVolumeExtended = DomainCommand<'RecordVolumeExtended', { volumeId: string; sizeBytes: number; now: string }>;
export type RecordVolumeExtendFailed = DomainCommand<'RecordVolumeExtendFailed', { volumeId: string; reason: string; now: string }>;
export type RecordVolumeCopyProgress = DomainCommand<
  'RecordVolumeCopyProgress',
  { volumeId: string; bytesDone: number; bytesTotal: number; now: string }
>;
/** One member of the restored chain's saved `volume_meta`, parsed (`savedVolumeMetaOf`); base first. */
export interface SavedVolumeMeta {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly metadata?: Record<string, string>;
}
export type RestoreVolumeMetadata = DomainCommand<
  'RestoreVolumeMetadata',
  { volumeId: string; backupId: string; saved: readonly (SavedVolumeMeta | null)[]; now: string }
>;
export type SetVolumeBootable = DomainCommand<'SetVolumeBootable', { volumeId: string; bootable: boolean; now: string }>;
export type UpdateVolumeReadonlyFlag = DomainCommand<'UpdateVolumeReadonlyFlag', { volumeId: string; readonly: boolean; now: string }>;
/** Items merged into the user metadata, or with `replace` the whole user metadata replaced. */
export type SetVolumeMetadata = DomainCommand<
  'SetVolumeMetadata',
  { volumeId: string; metadata: Record<string, string>; replace: boolean; now: string }
>;
export type DeleteVolumeMetadataKey = DomainCommand<'DeleteVolumeMetadataKey', { volumeId: string; key: string; now: string }>;

export type VolumeCommand =
  | CreateVolume
  | RecordVolumeProvisioned
  | RecordVolumeProvisioningFailed
  | AttachVolume
  | DetachVolume
  | StartVolumeBackup
  | EndVolumeBackup
  | StartVolumeRestore
  | EndVolumeRestore
  | UpdateVolume
  | RequestVolumeDeletion
  | RecordVolumeDeleted
  | WithdrawVolume
  | RecordVolumeDeletionFailed
  | ReserveVolume
  | UnreserveVolume
  | BeginVolumeDetaching
  | RollVolumeDetaching
  | ExtendVolume
  | RecordVolumeExtended
  | RecordVolumeExtendFailed
  | SetVolumeBootable
  | UpdateVolumeReadonlyFlag
  | SetVolumeMetadata
  | DeleteVolumeMetadataKey
  | RecordVolumeCopyProgress
  | RestoreVolumeMetadata;
