import { SNAPSHOT_EVENT_TYPES, assertNever, type SnapshotEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { json, type Projection, type ProjectionTx, type SqlParams, textPerFragment } from './projection';

/** Sets `updated_at` with every change; the position guard makes a second application a no-op. */
const updateText = textPerFragment(
  (set) => `UPDATE snapshots SET ${set}${set ? ', ' : ''}updated_at = @at, last_event_position = @pos
     WHERE id = @id AND last_event_position < @pos`,
);
const update = (tx: ProjectionTx, set: string, params: SqlParams & { id: string; at: string; pos: bigint }) =>
  tx.run(updateText(set), params);

/** The `snapshots` table: Cinder's snapshot view, the `backing-up` lock and where the bytes are. */
export const snapshotsProjection: Projection<SnapshotEvent> = {
  name: 'snapshots',
  handles: SNAPSHOT_EVENT_TYPES,
  apply(tx: ProjectionTx, e: SnapshotEvent, recorded: RecordedEvent) {
    const pos = recorded.position;
    const at = eventTime(e);
    switch (e.type) {
      case 'SnapshotCreated': {
        const d = e.data;
        tx.run(
          `INSERT INTO snapshots (id, volume_id, project_id, user_id, name, description, size, status, metadata,
             created_at, updated_at, last_event_position)
           VALUES (@id, @volumeId, @projectId, @userId, @name, @description, @size, 'creating', @metadata, @at, @at, @pos)
           ON CONFLICT (id) DO NOTHING`,
          {
            id: d.snapshotId,
            volumeId: d.volumeId,
            projectId: d.projectId,
            userId: d.userId,
            name: d.name,
            description: d.description,
            size: d.sizeGb,
            metadata: json(d.metadata),
            at,
            pos,
          },
        );
        return;
      }
      case 'SnapshotProvisioned': {
        const { location } = e.data;
        update(tx, `status = 'available', location_kind = @kind, location_path = @path, location_owned = @owned`, {
          id: e.data.snapshotId,
          at,
          pos,
          kind: location.kind,
          path: location.path,
          owned: Number(location.owned),
        });
        return;
      }
      case 'SnapshotProvisioningFailed':
        update(tx, `status = 'error'`, { id: e.data.snapshotId, at, pos });
        return;
      case 'SnapshotBackupStarted':
        update(tx, `status = 'backing-up', locked_by = @backupId`, { id: e.data.snapshotId, at, pos, backupId: e.data.backupId });
        return;
      case 'SnapshotBackupEnded':
        // Success, failure or cancel: the snapshot is available again (Cinder §4.3).
        update(tx, `status = 'available', locked_by = NULL`, { id: e.data.snapshotId, at, pos });
        return;
      case 'SnapshotDeletionRequested':
        update(tx, `status = 'deleting'`, { id: e.data.snapshotId, at, pos });
        return;
      case 'SnapshotDeleted':
        update(tx, `status = 'deleted', deleted_at = @at`, { id: e.data.snapshotId, at, pos });
        return;
      case 'SnapshotDeletionFailed':
        update(tx, `status = 'error_deleting'`, { id: e.data.snapshotId, at, pos });
        return;
      default:
        assertNever(e);
    }
  },
};
