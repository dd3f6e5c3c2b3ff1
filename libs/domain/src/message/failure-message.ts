import type { StrataEvent } from '../strata-event';
import {
  MESSAGE_ACTION,
  MESSAGE_DETAIL,
  MESSAGE_RESOURCE,
  type MessageAction,
  type MessageDetail,
  type MessageResourceType,
} from './message-fields';

/** What a user message says about a failure: which resource, which action, which detail. */
export interface FailureMessage {
  readonly resourceType: MessageResourceType;
  readonly resourceUuid: string;
  readonly action: MessageAction;
  readonly detail: MessageDetail;
  /** When the failure was recorded: the message's `created_at`. */
  readonly at: string;
}

/**
 * The user message Cinder's managers create for the same failure (cinder/backup/manager.py,
 * cinder/volume/flows/manager/create_volume.py, cinder/volume/manager.py), or null for an event that is
 * not a failure a user is told about. Cinder never puts the exception's text in a message (it may hold
 * details of the back end); nor does Strata: the reason stays in the event, for admins.
 */
export const failureMessageOf = (e: StrataEvent): FailureMessage | null => {
  switch (e.type) {
    case 'BackupFailed':
      return backup(e.data.backupId, MESSAGE_ACTION.BACKUP_CREATE, MESSAGE_DETAIL.BACKUP_CREATE_DRIVER_ERROR, e.data.failedAt);
    case 'RestoreFailed':
      // Cinder's restore_backup names the backup as the message's resource, not the target volume.
      return backup(e.data.backupId, MESSAGE_ACTION.BACKUP_RESTORE, MESSAGE_DETAIL.BACKUP_RESTORE_ERROR, e.data.failedAt);
    case 'BackupDeletionFailed':
      return backup(e.data.backupId, MESSAGE_ACTION.BACKUP_DELETE, MESSAGE_DETAIL.BACKUP_DELETE_DRIVER_ERROR, e.data.failedAt);
    case 'VolumeProvisioningFailed':
      return {
        resourceType: MESSAGE_RESOURCE.VOLUME,
        resourceUuid: e.data.volumeId,
        action: MESSAGE_ACTION.CREATE_VOLUME_FROM_BACKEND,
        detail: MESSAGE_DETAIL.DRIVER_FAILED_CREATE,
        at: e.data.failedAt,
      };
    case 'VolumeExtendFailed':
      return {
        resourceType: MESSAGE_RESOURCE.VOLUME,
        resourceUuid: e.data.volumeId,
        action: MESSAGE_ACTION.EXTEND_VOLUME,
        detail: MESSAGE_DETAIL.DRIVER_FAILED_EXTEND,
        at: e.data.failedAt,
      };
    case 'SnapshotProvisioningFailed':
      return snapshot(e.data.snapshotId, MESSAGE_ACTION.SNAPSHOT_CREATE, MESSAGE_DETAIL.SNAPSHOT_CREATE_ERROR, e.data.failedAt);
    case 'SnapshotDeletionFailed':
      return snapshot(e.data.snapshotId, MESSAGE_ACTION.SNAPSHOT_DELETE, MESSAGE_DETAIL.SNAPSHOT_DELETE_ERROR, e.data.failedAt);
    default:
      return null;
  }
};

/** The event types `failureMessageOf` turns into messages: what the messages projection handles. */
export const FAILURE_EVENT_TYPES = [
  'BackupFailed',
  'RestoreFailed',
  'BackupDeletionFailed',
  'VolumeProvisioningFailed',
  'VolumeExtendFailed',
  'SnapshotProvisioningFailed',
  'SnapshotDeletionFailed',
] as const satisfies readonly StrataEvent['type'][];

const backup = (resourceUuid: string, action: MessageAction, detail: MessageDetail, at: string): FailureMessage => ({
  resourceType: MESSAGE_RESOURCE.VOLUME_BACKUP,
  resourceUuid,
  action,
  detail,
  at,
});

const snapshot = (resourceUuid: string, action: MessageAction, detail: MessageDetail, at: string): FailureMessage => ({
  resourceType: MESSAGE_RESOURCE.VOLUME_SNAPSHOT,
  resourceUuid,
  action,
  detail,
  at,
});
