import { QUOTA_EVENT_TYPES, type QuotaEvent } from './quota/quota.events';
import { BACKUP_EVENT_TYPES, type BackupEvent } from './backup/backup.events';
import { SERVICE_EVENT_TYPES, type ServiceEvent } from './service/service.events';
import { SNAPSHOT_EVENT_TYPES, type SnapshotEvent } from './snapshot/snapshot.events';
import { VOLUME_EVENT_TYPES, type VolumeEvent } from './volume/volume.events';
import { VOLUME_TYPE_EVENT_TYPES, type VolumeTypeEvent } from './volume-type/volume-type.events';
import { USER_MESSAGE_EVENT_TYPES, type UserMessageEvent } from './message/user-message.events';

/** Every event Strata records. Projections and sagas switch on `type`. */
export type StrataEvent = BackupEvent | VolumeEvent | SnapshotEvent | VolumeTypeEvent | UserMessageEvent | ServiceEvent | QuotaEvent;
export type StrataEventType = StrataEvent['type'];

export const STRATA_EVENT_TYPES: readonly StrataEventType[] = [
  ...BACKUP_EVENT_TYPES,
  ...VOLUME_EVENT_TYPES,
  ...SNAPSHOT_EVENT_TYPES,
  ...VOLUME_TYPE_EVENT_TYPES,
  ...USER_MESSAGE_EVENT_TYPES,
  ...SERVICE_EVENT_TYPES,
  ...QUOTA_EVENT_TYPES,
];

/** Who did it, why and from which request: added by the handler that appends, never by `decide`. */
export type EventMeta = {
  readonly correlationId: string;
  readonly causationId: string;
  readonly userId: string;
  readonly projectId: string;
  readonly requestId: string;
};
