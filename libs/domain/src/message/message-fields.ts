/**
 * Cinder's user-message vocabulary (cinder/message/message_field.py): resource types, actions and
 * details, each an id with the text Cinder shows. A message's `event_id` and `user_message` are built
 * from these exactly as Cinder's message API builds them, so clients that match on them keep working.
 */
export const MESSAGE_RESOURCE = {
  VOLUME: 'VOLUME',
  VOLUME_SNAPSHOT: 'VOLUME_SNAPSHOT',
  VOLUME_BACKUP: 'VOLUME_BACKUP',
} as const;
export type MessageResourceType = (typeof MESSAGE_RESOURCE)[keyof typeof MESSAGE_RESOURCE];

/** The actions Strata can fail asynchronously, with Cinder's ids and texts. */
export const MESSAGE_ACTION = {
  EXTEND_VOLUME: { id: '007', text: 'extend volume' },
  CREATE_VOLUME_FROM_BACKEND: { id: '008', text: 'create volume from backend storage' },
  SNAPSHOT_CREATE: { id: '009', text: 'create snapshot' },
  SNAPSHOT_DELETE: { id: '010', text: 'delete snapshot' },
  BACKUP_CREATE: { id: '013', text: 'create backup' },
  BACKUP_DELETE: { id: '014', text: 'delete backup' },
  BACKUP_RESTORE: { id: '015', text: 'restore backup' },
} as const;
export type MessageAction = (typeof MESSAGE_ACTION)[keyof typeof MESSAGE_ACTION];

/** The details Strata's failures map to, with Cinder's ids and texts. */
export const MESSAGE_DETAIL = {
  UNKNOWN_ERROR: { id: '001', text: 'An unknown error occurred.' },
  DRIVER_FAILED_EXTEND: { id: '010', text: 'Volume Driver failed to extend volume.' },
  DRIVER_FAILED_CREATE: { id: '012', text: 'Driver failed to create the volume.' },
  SNAPSHOT_CREATE_ERROR: { id: '013', text: 'Snapshot failed to create.' },
  SNAPSHOT_DELETE_ERROR: { id: '016', text: 'Snapshot failed to delete.' },
  BACKUP_CREATE_DRIVER_ERROR: { id: '020', text: 'Backup driver failed to create backup.' },
  BACKUP_DELETE_DRIVER_ERROR: { id: '025', text: 'Backup driver failed to delete backup.' },
  BACKUP_RESTORE_ERROR: { id: '026', text: 'Backup driver failed to restore backup.' },
} as const;
export type MessageDetail = (typeof MESSAGE_DETAIL)[keyof typeof MESSAGE_DETAIL];

const ACTIONS: readonly MessageAction[] = Object.values(MESSAGE_ACTION);
const DETAILS: readonly MessageDetail[] = Object.values(MESSAGE_DETAIL);

/** Cinder's `event_id`: `VOLUME_<resource type>_<action id>_<detail id>` (so a backup's starts `VOLUME_VOLUME_BACKUP_`). */
export const messageEventId = (resourceType: MessageResourceType, actionId: string, detailId: string): string =>
  `VOLUME_${resourceType}_${actionId}_${detailId}`;

/**
 * Cinder's `user_message`: "<action text>:<detail text>", with Cinder's fallbacks for an id it does not
 * know ('unknown action', the unknown-error detail).
 */
export const userMessageText = (actionId: string, detailId: string): string => {
  const action = ACTIONS.find((a) => a.id === actionId)?.text ?? 'unknown action';
  const detail = DETAILS.find((d) => d.id === detailId)?.text ?? MESSAGE_DETAIL.UNKNOWN_ERROR.text;
  return `${action}:${detail}`;
};
