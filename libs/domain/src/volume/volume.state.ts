import type { VolumeEvent, VolumeLocation, VolumeSource } from './volume.events';

export type VolumeStatus =
  | 'creating'
  | 'available'
  | 'in-use'
  | 'backing-up'
  | 'restoring-backup'
  | 'deleting'
  | 'deleted'
  | 'error'
  | 'error_restoring'
  | 'error_deleting'
  | 'attaching'
  | 'detaching'
  | 'extending'
  | 'error_extending';

export interface VolumeRecord {
  readonly status: VolumeStatus;
  readonly id: string;
  readonly projectId: string;
  readonly sizeGb: number;
  readonly encryptionKeyId: string | null;
  readonly location: VolumeLocation | null;
  readonly previousStatus: string | null;
  /** The backup holding the `backing-up` or `restoring-backup` lock. */
  readonly lockedBy: string | null;
  readonly attached: boolean;
  readonly bootable: boolean;
  /** Cinder's admin metadata `readonly`: null until set by os-update_readonly_flag or an attach. */
  readonly readonly: boolean | null;
  /** The size an `extending` volume is being grown to. */
  readonly extendingTo: number | null;
  /** The backup this volume was created to receive: provisioning locks it for that restore. */
  readonly restoreOf: { readonly backupId: string } | null;
  /** The user metadata (Cinder's `volume_metadata`), which the metadata API merges into. */
  readonly metadata: Readonly<Record<string, string>>;
  /** What the volume was created from. */
  readonly source: VolumeSource;
  /**
   * Created from a backup (`backup_id`) and not yet restored: Cinder shows it `creating` throughout, ends
   * it in `error` when the restore fails, and deleting it cancels the restore.
   */
  readonly creatingFromBackup: boolean;
  /** How far a copy from a snapshot or volume has durably got: a resumed copy starts there. */
  readonly copied: { readonly bytesDone: number; readonly bytesTotal: number } | null;
  /** The display name: a restore gives a saved name only to a volume without one or named `restore_backup_…`. */
  readonly name: string | null;
}

export type Volume = { readonly status: 'absent' } | VolumeRecord;

export const initialVolumeState = (): Volume => ({ status: 'absent' });

export const evolveVolume = (state: Volume, event: VolumeEvent): Volume => {
  if (event.type === 'VolumeCreated') {
    const d = event.data;
    return {
      status: 'creating',
      id: d.volumeId,
      projectId: d.projectId,
      sizeGb: d.sizeGb,
      encryptionKeyId: d.encryptionKeyId,
      location: null,
      previousStatus: null,
      lockedBy: null,
      attached: false,
      bootable: false,
      readonly: null,
      extendingTo: null,
      restoreOf: d.restoreOf ?? null,
      metadata: d.metadata,
      source: d.source,
      creatingFromBackup: d.source.kind === 'backup',
      copied: null,
      name: d.name,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'VolumeProvisioned':
      return { ...state, status: 'available', location: event.data.location, sizeGb: event.data.sizeGb };
    case 'VolumeProvisioningFailed':
      return { ...state, status: 'error' };
    case 'VolumeAttached':
      // Cinder's attach adds the `readonly` admin metadata as False when it was never set.
      return { ...state, status: 'in-use', attached: true, readonly: state.readonly ?? false };
    case 'VolumeDetached':
      return { ...state, status: 'available', attached: false };
    case 'VolumeBackupStarted':
      return { ...state, status: 'backing-up', previousStatus: event.data.previousStatus, lockedBy: event.data.backupId };
    case 'VolumeBackupEnded':
      return { ...state, status: event.data.status, previousStatus: 'backing-up', lockedBy: null };
    case 'VolumeRestoreStarted':
      return { ...state, status: 'restoring-backup', previousStatus: state.status, lockedBy: event.data.backupId };
    case 'VolumeRestoreEnded':
      return { ...state, status: event.data.status, previousStatus: 'restoring-backup', lockedBy: null, creatingFromBackup: false };
    case 'VolumeUpdated':
    case 'VolumeMetadataRestored':
      // Both carry what changed: a restore replaces the user metadata and may give a saved name.
      return {
        ...state,
        ...(event.data.name === undefined ? {} : { name: event.data.name }),
        ...(event.data.metadata === undefined ? {} : { metadata: event.data.metadata }),
      };
    case 'VolumeCopyProgressed':
      return { ...state, copied: { bytesDone: event.data.bytesDone, bytesTotal: event.data.bytesTotal } };
    case 'VolumeDeletionRequested':
      return { ...state, status: 'deleting', previousStatus: state.status };
    case 'VolumeDeleted':
      return { ...state, status: 'deleted' };
    case 'VolumeDeletionFailed':
      return { ...state, status: 'error_deleting' };
    case 'VolumeReserved':
      return { ...state, status: 'attaching' };
    case 'VolumeUnreserved':
      return { ...state, status: event.data.status };
    case 'VolumeDetachingStarted':
      return { ...state, status: 'detaching' };
    case 'VolumeDetachingRolledBack':
      return { ...state, status: 'in-use' };
    case 'VolumeExtendRequested':
      return { ...state, status: 'extending', previousStatus: event.data.previousStatus, extendingTo: event.data.newSizeGb };
    case 'VolumeExtended': {
      const { sizeGb, sizeBytes, status } = event.data;
      return { ...state, status, sizeGb, location: state.location && { ...state.location, sizeBytes }, extendingTo: null };
    }
    case 'VolumeExtendFailed':
      return { ...state, status: 'error_extending', extendingTo: null };
    case 'VolumeBootableSet':
      return { ...state, bootable: event.data.bootable };
    case 'VolumeReadonlyFlagUpdated':
      return { ...state, readonly: event.data.readonly };
  }
};
