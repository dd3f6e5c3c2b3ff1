import { VOLUME_EVENT_TYPES, assertNever, volumeTypeIdOf, type VolumeEvent, type VolumeSource } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { json, type Projection, type ProjectionTx, type SqlParams, textPerFragment } from './projection';

/** Sets `updated_at` with every change; the position guard makes a second application a no-op. */
const updateText = textPerFragment(
  (set) => `UPDATE volumes SET ${set}${set ? ', ' : ''}updated_at = @at, last_event_position = @pos
     WHERE id = @id AND last_event_position < @pos`,
);
const update = (tx: ProjectionTx, set: string, params: SqlParams & { id: string; at: string; pos: bigint }) =>
  tx.run(updateText(set), params);

/** The id `source_id` holds: the backup, snapshot or volume the volume was created from. */
const sourceIdOf = (source: VolumeSource): string | null => {
  switch (source.kind) {
    case 'backup':
      return source.backupId;
    case 'snapshot':
      return source.snapshotId;
    case 'volume':
      return source.volumeId;
    default:
      return null;
  }
};

/**
 * The `volumes` table: what Cinder's volume view and the backup rules (locks, previous_status) need.
 * `admin_metadata` holds the admin metadata Cinder shows among the metadata (`readonly`, `attached_mode`).
 */
export const volumesProjection: Projection<VolumeEvent> = {
  name: 'volumes',
  handles: VOLUME_EVENT_TYPES,
  apply(tx: ProjectionTx, e: VolumeEvent, recorded: RecordedEvent) {
    const pos = recorded.position;
    const at = eventTime(e);
    switch (e.type) {
      case 'VolumeCreated': {
        const d = e.data;
        tx.run(
          `INSERT INTO volumes (id, project_id, user_id, name, description, size, status, availability_zone,
             volume_type, volume_type_id, encryption_key_id, metadata, source_kind, source_id, created_at, updated_at, last_event_position)
           VALUES (@id, @projectId, @userId, @name, @description, @size, 'creating', @az, @volumeType, @volumeTypeId, @keyId,
             @metadata, @sourceKind, @sourceId, @at, @at, @pos)
           ON CONFLICT (id) DO NOTHING`,
          {
            id: d.volumeId,
            projectId: d.projectId,
            userId: d.userId,
            name: d.name,
            description: d.description,
            size: d.sizeGb,
            az: d.availabilityZone,
            volumeType: d.volumeType,
            volumeTypeId: volumeTypeIdOf(d),
            keyId: d.encryptionKeyId,
            metadata: json(d.metadata),
            sourceKind: d.source.kind,
            sourceId: sourceIdOf(d.source),
            at,
            pos,
          },
        );
        return;
      }
      case 'VolumeProvisioned': {
        const { location, sizeGb } = e.data;
        // A volume from a backup stays `creating` until its restore ends, as Cinder shows it (the lock comes in the same append).
        update(
          tx,
          `status = CASE WHEN source_kind = 'backup' AND status = 'creating' THEN 'creating' ELSE 'available' END, size = @size, location_kind = @kind, location_path = @path, location_owned = @owned`,
          {
            id: e.data.volumeId,
            at,
            pos,
            size: sizeGb,
            kind: location.kind,
            path: location.path,
            owned: Number(location.owned),
          },
        );
        return;
      }
      case 'VolumeProvisioningFailed':
        update(tx, `status = 'error'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeAttached':
        // Cinder's attach adds the admin metadata `readonly` ("False" unless set) and `attached_mode` (Strata attaches rw).
        update(
          tx,
          `status = 'in-use', attached_instance = @instance, attached_host = @host, attached_mountpoint = @mountpoint, attached_at = @at,
          admin_metadata = json_set(admin_metadata, '$.readonly', COALESCE(json_extract(admin_metadata, '$.readonly'), 'False'),
            '$.attached_mode', 'rw')`,
          { id: e.data.volumeId, at, pos, instance: e.data.instanceUuid, host: e.data.hostName, mountpoint: e.data.mountpoint },
        );
        return;
      case 'VolumeDetached':
        update(
          tx,
          `status = 'available', attached_instance = NULL, attached_host = NULL, attached_mountpoint = NULL, attached_at = NULL,
          admin_metadata = json_remove(admin_metadata, '$.attached_mode')`,
          { id: e.data.volumeId, at, pos },
        );
        return;
      case 'VolumeBackupStarted':
        update(tx, `status = 'backing-up', previous_status = @previous, locked_by = @backupId`, {
          id: e.data.volumeId,
          at,
          pos,
          previous: e.data.previousStatus,
          backupId: e.data.backupId,
        });
        return;
      case 'VolumeBackupEnded':
        // Cinder's side effect (§4.3): back to the old status, previous_status tells how the backup went.
        update(tx, `status = @status, previous_status = @previous, locked_by = NULL`, {
          id: e.data.volumeId,
          at,
          pos,
          status: e.data.status,
          previous: e.data.outcome === 'failed' ? 'error_backing-up' : 'backing-up',
        });
        return;
      case 'VolumeRestoreStarted':
        update(
          tx,
          `previous_status = status, status = CASE WHEN status = 'creating' THEN 'creating' ELSE 'restoring-backup' END, locked_by = @backupId`,
          {
            id: e.data.volumeId,
            at,
            pos,
            backupId: e.data.backupId,
          },
        );
        return;
      case 'VolumeRestoreEnded':
        update(tx, `status = @status, previous_status = 'restoring-backup', locked_by = NULL`, {
          id: e.data.volumeId,
          at,
          pos,
          status: e.data.status,
        });
        return;
      case 'VolumeCopyProgressed':
        update(tx, '', { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeUpdated':
      case 'VolumeMetadataRestored': {
        const d = e.data;
        update(
          tx,
          `name = CASE WHEN @hasName THEN @name ELSE name END,
           description = CASE WHEN @hasDescription THEN @description ELSE description END,
           metadata = COALESCE(@metadata, metadata)`,
          {
            id: d.volumeId,
            at,
            pos,
            hasName: Number(d.name !== undefined),
            name: d.name ?? null,
            hasDescription: Number(d.description !== undefined),
            description: d.description ?? null,
            metadata: d.metadata === undefined ? null : json(d.metadata),
          },
        );
        return;
      }
      case 'VolumeDeletionRequested':
        update(tx, `previous_status = status, status = 'deleting'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeDeleted':
        update(tx, `status = 'deleted', deleted_at = @at, attached_instance = NULL`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeDeletionFailed':
        update(tx, `status = 'error_deleting'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeReserved':
        update(tx, `status = 'attaching'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeUnreserved':
        update(tx, `status = @status`, { id: e.data.volumeId, at, pos, status: e.data.status });
        return;
      case 'VolumeDetachingStarted':
        update(tx, `status = 'detaching'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeDetachingRolledBack':
        update(tx, `status = 'in-use'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeExtendRequested':
        update(tx, `status = 'extending', previous_status = @previous`, { id: e.data.volumeId, at, pos, previous: e.data.previousStatus });
        return;
      case 'VolumeExtended':
        update(tx, `status = @status, size = @size`, { id: e.data.volumeId, at, pos, status: e.data.status, size: e.data.sizeGb });
        return;
      case 'VolumeExtendFailed':
        update(tx, `status = 'error_extending'`, { id: e.data.volumeId, at, pos });
        return;
      case 'VolumeBootableSet':
        update(tx, `bootable = @bootable`, { id: e.data.volumeId, at, pos, bootable: Number(e.data.bootable) });
        return;
      case 'VolumeReadonlyFlagUpdated':
        // Cinder stores str(flag): "True" or "False".
        update(tx, `admin_metadata = json_set(admin_metadata, '$.readonly', @readonly)`, {
          id: e.data.volumeId,
          at,
          pos,
          readonly: e.data.readonly ? 'True' : 'False',
        });
        return;
      default:
        assertNever(e);
    }
  },
};
