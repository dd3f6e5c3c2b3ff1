import {
  BACKUP_EVENT_TYPES,
  SERVICE_EVENT_TYPES,
  QUOTA_EVENT_TYPES,
  SNAPSHOT_EVENT_TYPES,
  STRATA_EVENT_TYPES,
  VOLUME_EVENT_TYPES,
  VOLUME_TYPE_EVENT_TYPES,
  USER_MESSAGE_EVENT_TYPES,
  type UserMessageEvent,
  type BackupEvent,
  type ServiceEvent,
  type QuotaEvent,
  type SnapshotEvent,
  type StrataEvent,
  type VolumeEvent,
  type VolumeTypeEvent,
} from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import type { Projection, ProjectionTx } from './projection';

export type EntityKind = 'backup' | 'volume' | 'snapshot' | 'volume_type' | 'message' | 'service' | 'quota' | 'quota_class';

const isIn = <E extends StrataEvent>(types: readonly E['type'][], e: StrataEvent): e is E => (types as readonly string[]).includes(e.type);

/** The aggregate an event belongs to, from its type and data (never parsed out of the stream name). */
export const entityOf = (e: StrataEvent): { kind: EntityKind; id: string } => {
  if (isIn<BackupEvent>(BACKUP_EVENT_TYPES, e)) return { kind: 'backup', id: e.data.backupId };
  if (isIn<VolumeEvent>(VOLUME_EVENT_TYPES, e)) return { kind: 'volume', id: e.data.volumeId };
  if (isIn<SnapshotEvent>(SNAPSHOT_EVENT_TYPES, e)) return { kind: 'snapshot', id: (e as SnapshotEvent).data.snapshotId };
  if (isIn<VolumeTypeEvent>(VOLUME_TYPE_EVENT_TYPES, e)) return { kind: 'volume_type', id: (e as VolumeTypeEvent).data.volumeTypeId };
  if (isIn<UserMessageEvent>(USER_MESSAGE_EVENT_TYPES, e)) return { kind: 'message', id: (e as UserMessageEvent).data.messageId };
  if (isIn<ServiceEvent>(SERVICE_EVENT_TYPES, e))
    return { kind: 'service', id: `${(e as ServiceEvent).data.binary}@${(e as ServiceEvent).data.host}` };
  if (isIn<QuotaEvent>(QUOTA_EVENT_TYPES, e)) {
    const q = e as QuotaEvent;
    return q.type === 'QuotaClassLimitsUpdated' ? { kind: 'quota_class', id: q.data.className } : { kind: 'quota', id: q.data.projectId };
  }
  throw new TypeError(`No entity for event type ${(e as { type: string }).type}`);
};

/**
 * Every event, as the audit's queries find it: what happened, to what, when it says it happened, and where
 * it is in the log ("who did what to this backup, and when"). Who asked, from which request and when the
 * store recorded it are read from the log with the event's data (migration 29). Each row names the volume
 * it concerns (a backup's or snapshot's, from their rows, which the projections before this one have
 * written), so an audit of one volume is an index range.
 */
export const auditProjection: Projection<StrataEvent> = auditReadingVolumesFrom('backups');

/**
 * The audit, with the backups' volumes read from `backups` (a table with the `backups` rows' `id` and
 * `volume_id`, as they stand when the event is applied): the catalog's `backups`, or, in a build in parts,
 * a table of the part's own that follows those two columns (`build-parts.ts`).
 */
export function auditReadingVolumesFrom(backups: string): Projection<StrataEvent> {
  const sql = `INSERT OR IGNORE INTO audit (position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, volume_id)
     VALUES (@position, @eventId, @streamId, @revision, @type, @kind, @entityId, @occurredAt,
       CASE @kind
         WHEN 'volume' THEN @entityId
         WHEN 'backup' THEN (SELECT volume_id FROM ${backups} WHERE id = @entityId)
         WHEN 'snapshot' THEN (SELECT volume_id FROM snapshots WHERE id = @entityId)
       END)`;
  return {
    name: 'audit',
    handles: STRATA_EVENT_TYPES,
    apply(tx: ProjectionTx, e: StrataEvent, recorded: RecordedEvent) {
      const entity = entityOf(e);
      tx.run(sql, {
        position: recorded.position,
        eventId: recorded.id,
        streamId: recorded.streamId,
        revision: recorded.revision,
        type: recorded.type,
        kind: entity.kind,
        entityId: entity.id,
        occurredAt: eventTime(e),
      });
    },
  };
}
