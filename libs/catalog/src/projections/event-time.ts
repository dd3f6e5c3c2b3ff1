import { assertNever, type StrataEvent } from '@strata/domain';

/**
 * When an event happened, from its own data: every event carries one `…At` field. Rows take their
 * times from here, never from the clock, so a replay writes the same `updated_at` again.
 */
export const eventTime = (e: StrataEvent): string => {
  switch (e.type) {
    case 'BackupRequested': return e.data.createdAt;
    case 'BackupStarted': return e.data.startedAt;
    case 'ChunkWritten': return e.data.writtenAt;
    case 'BackupCompleted': return e.data.completedAt;
    case 'BackupFailed': return e.data.failedAt;
    case 'BackupDeletionRequested': return e.data.requestedAt;
    case 'BackupCancelled': return e.data.cancelledAt;
    case 'BackupDeleted': return e.data.deletedAt;
    case 'BackupDeletionFailed': return e.data.failedAt;
    case 'BackupStatusReset': return e.data.resetAt;
    case 'BackupUpdated': return e.data.updatedAt;
    case 'RestoreRequested': return e.data.requestedAt;
    case 'RestoreCompleted': return e.data.completedAt;
    case 'RestoreFailed': return e.data.failedAt;
    case 'RestoreCancelled': return e.data.cancelledAt;
    case 'BackupImported': return e.data.importedAt;
    case 'BackupRecordExported': return e.data.exportedAt;
    case 'BackupVerificationRequested': return e.data.requestedAt;
    case 'BackupVerified': return e.data.verifiedAt;
    case 'BackupVerificationFailed': return e.data.failedAt;
    case 'RestoreProgressed': return e.data.progressedAt;
    case 'BackupChildAdded': return e.data.addedAt;
    case 'BackupChildRemoved': return e.data.removedAt;
    case 'VolumeCreated': return e.data.createdAt;
    case 'VolumeProvisioned': return e.data.provisionedAt;
    case 'VolumeProvisioningFailed': return e.data.failedAt;
    case 'VolumeAttached': return e.data.attachedAt;
    case 'VolumeDetached': return e.data.detachedAt;
    case 'VolumeBackupStarted': return e.data.startedAt;
    case 'VolumeBackupEnded': return e.data.endedAt;
    case 'VolumeRestoreStarted': return e.data.startedAt;
    case 'VolumeRestoreEnded': return e.data.endedAt;
    case 'VolumeUpdated': return e.data.updatedAt;
    case 'VolumeDeletionRequested': return e.data.requestedAt;
    case 'VolumeDeleted': return e.data.deletedAt;
    case 'VolumeDeletionFailed': return e.data.failedAt;
    case 'VolumeReserved': return e.data.reservedAt;
    case 'VolumeUnreserved': return e.data.unreservedAt;
    case 'VolumeDetachingStarted': return e.data.startedAt;
    case 'VolumeDetachingRolledBack': return e.data.rolledBackAt;
    case 'VolumeExtendRequested': return e.data.requestedAt;
    case 'VolumeExtended': return e.data.extendedAt;
    case 'VolumeExtendFailed': return e.data.failedAt;
    case 'VolumeBootableSet': return e.data.setAt;
    case 'VolumeReadonlyFlagUpdated': return e.data.updatedAt;
    case 'SnapshotCreated': return e.data.createdAt;
    case 'SnapshotProvisioned': return e.data.provisionedAt;
    case 'SnapshotProvisioningFailed': return e.data.failedAt;
    case 'SnapshotBackupStarted': return e.data.startedAt;
    case 'SnapshotBackupEnded': return e.data.endedAt;
    case 'SnapshotDeletionRequested': return e.data.requestedAt;
    case 'SnapshotDeleted': return e.data.deletedAt;
    case 'SnapshotDeletionFailed': return e.data.failedAt;
    case 'VolumeTypeCreated': return e.data.createdAt;
    case 'VolumeTypeUpdated': return e.data.updatedAt;
    case 'VolumeTypeDeleted': return e.data.deletedAt;
    case 'VolumeTypeExtraSpecsSet': return e.data.setAt;
    case 'VolumeTypeExtraSpecsUnset': return e.data.unsetAt;
    case 'VolumeTypeEncryptionCreated': return e.data.createdAt;
    case 'VolumeTypeEncryptionUpdated': return e.data.updatedAt;
    case 'VolumeTypeEncryptionDeleted': return e.data.deletedAt;
    case 'VolumeTypeAccessAdded': return e.data.addedAt;
    case 'VolumeTypeAccessRemoved': return e.data.removedAt;
    default: return assertNever(e);
  }
};
