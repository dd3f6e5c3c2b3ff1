import {
  BACKUP_EVENT_TYPES,
  assertNever,
  type BackupEvent,
  type BackupImported,
  type BackupRequested,
  type SnapshotBackupStarted,
  type SnapshotBackupEnded,
  type VolumeBackupEnded,
  type VolumeBackupStarted,
  type VolumeRestoreEnded,
  type VolumeRestoreStarted,
} from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { json, type Projection, type ProjectionTx, type SqlParams, textPerFragment } from './projection';

const GIB = 1024 ** 3;

/**
 * What every change of a row carries: the row, the event's time as text (`updated_at`) and in ms since the
 * epoch (`version_from`: the row is its backup's current version from then on, migration 30), and the
 * event's position (the row's guard).
 */
interface Stamp {
  readonly id: string;
  readonly at: string;
  readonly from: number;
  readonly pos: bigint;
}

/**
 * Every update also sets `updated_at` to the event's time and is guarded by the row's
 * `last_event_position`, so an event applied a second time changes nothing.
 */
const updateText = textPerFragment(
  (set) => `UPDATE backups SET ${set}${set ? ', ' : ''}updated_at = @at, version_from = @from, last_event_position = @pos
     WHERE id = @id AND last_event_position < @pos`,
);
const update = (tx: ProjectionTx, set: string, params: SqlParams & Stamp) => tx.run(updateText(set), params);

/**
 * A backup as requested: its row, `creating`. Cinder revives a soft-deleted row when the same id comes
 * back, so a repeat request replaces it; a request already applied (or older than the row) changes nothing.
 */
const requested = (tx: ProjectionTx, d: BackupRequested['data'], at: string, from: number, pos: bigint, byLock: boolean) => {
  tx.run(
    `INSERT INTO backups (id, status, size, object_count, availability_zone, container, created_at, updated_at,
       name, description, fail_reason, volume_id, snapshot_id, data_timestamp, parent_id, metadata, project_id,
       user_id, encryption_key_id, service, service_metadata, restore_volume_id, deleted_at, size_bytes,
       stored_bytes, bytes_done, requested_by_lock, version_from, last_event_position)
     VALUES (@id, 'creating', @size, 0, @az, @container, @at, @at, @name, @description, NULL, @volumeId,
       @snapshotId, @dataTimestamp, @parentId, @metadata, @projectId, @userId, @keyId, @service, NULL, NULL,
       NULL, @sizeBytes, 0, 0, @byLock, @from, @pos)
     ON CONFLICT (id) DO UPDATE SET
       status = excluded.status, size = excluded.size, object_count = 0,
       availability_zone = excluded.availability_zone, container = excluded.container,
       created_at = excluded.created_at, updated_at = excluded.updated_at, name = excluded.name,
       description = excluded.description, fail_reason = NULL, volume_id = excluded.volume_id,
       snapshot_id = excluded.snapshot_id, data_timestamp = excluded.data_timestamp,
       parent_id = excluded.parent_id, metadata = excluded.metadata, project_id = excluded.project_id,
       user_id = excluded.user_id, encryption_key_id = excluded.encryption_key_id, service = excluded.service,
       service_metadata = NULL, restore_volume_id = NULL, deleted_at = NULL, size_bytes = excluded.size_bytes,
       stored_bytes = 0, bytes_done = 0, verification = NULL, last_verified_at = NULL, imported_from = NULL,
       requested_by_lock = excluded.requested_by_lock, version_from = excluded.version_from,
       last_event_position = excluded.last_event_position
     WHERE backups.last_event_position < excluded.last_event_position`,
    {
      id: d.backupId,
      size: d.sizeGb,
      az: d.availabilityZone,
      container: d.container,
      at,
      name: d.name,
      description: d.description,
      volumeId: d.volumeId,
      snapshotId: d.snapshotId,
      dataTimestamp: d.dataTimestamp,
      parentId: d.parentId,
      metadata: json(d.metadata),
      projectId: d.projectId,
      userId: d.userId,
      keyId: d.encryptionKeyId,
      service: d.service,
      sizeBytes: d.sizeGb * GIB,
      byLock: Number(byLock),
      from,
      pos,
    },
  );
};

type Handled =
  | BackupEvent
  | VolumeBackupStarted
  | VolumeBackupEnded
  | SnapshotBackupStarted
  | SnapshotBackupEnded
  | VolumeRestoreStarted
  | VolumeRestoreEnded;

/** An update that applies only to a row in `status` (`update` with one more condition). */
const updateIf = (tx: ProjectionTx, set: string, where: string, params: SqlParams & Stamp) =>
  tx.run(
    `UPDATE backups SET ${set}, updated_at = @at, version_from = @from, last_event_position = @pos
     WHERE id = @id AND last_event_position < @pos AND ${where}`,
    params,
  );

/** The `backups` table: Cinder's backup row (the detail view's fields) plus Strata's byte counts. */
export const backupsProjection: Projection<Handled> = {
  name: 'backups',
  handles: [
    ...BACKUP_EVENT_TYPES,
    'VolumeBackupStarted',
    'VolumeBackupEnded',
    'SnapshotBackupStarted',
    'SnapshotBackupEnded',
    'VolumeRestoreStarted',
    'VolumeRestoreEnded',
  ],
  apply(tx: ProjectionTx, e: Handled, recorded: RecordedEvent) {
    const pos = recorded.position;
    const at = eventTime(e);
    const from = Date.parse(at);
    switch (e.type) {
      // The first step of a backup's creation, the lock on its volume or snapshot, carries the backup as
      // requested: it shows from then on (read-your-writes), as `creating`, before its own stream records it.
      case 'VolumeBackupStarted':
      case 'SnapshotBackupStarted':
        if (e.data.backup) requested(tx, e.data.backup, e.data.backup.createdAt, from, pos, true);
        return;
      // The workflow records the backup before it lets the lock go: a row still shown from the lock alone
      // when the lock ends belongs to a history without the backup's stream (a partial import), not here.
      case 'VolumeBackupEnded':
      case 'SnapshotBackupEnded':
        // Nearly every lock ends after the backup's own stream recorded it, and then none of the three
        // statements below changes a row: one look instead of three, 3.6% of a build's instructions (callgrind,
        // 24,048 events).
        if (!tx.get('SELECT 1 AS found FROM backups WHERE id = @id AND requested_by_lock = 1', { id: e.data.backupId })) return;
        // Its last version ends here (the trigger of migration 30 keeps it for `as_of`), then it goes.
        tx.run(
          `UPDATE backups SET version_from = @from, last_event_position = @pos
           WHERE id = @id AND requested_by_lock = 1 AND last_event_position < @pos`,
          { id: e.data.backupId, from, pos },
        );
        tx.run(
          'DELETE FROM backup_children WHERE child_id = @id AND EXISTS (SELECT 1 FROM backups WHERE id = @id AND requested_by_lock = 1)',
          { id: e.data.backupId },
        );
        tx.run('DELETE FROM backups WHERE id = @id AND requested_by_lock = 1', { id: e.data.backupId });
        return;
      case 'BackupRequested':
        return requested(tx, e.data, at, from, pos, false);
      // Likewise a restore's lock on its target: the backup shows `restoring` from then on, as in Cinder's
      // API, unless it is no longer available; a restore the workflow could not request gives it back.
      case 'VolumeRestoreStarted':
        if (e.data.volumeIsNew !== undefined)
          updateIf(tx, `status = 'restoring', restore_volume_id = @volumeId`, `status = 'available'`, {
            id: e.data.backupId,
            at,
            from,
            pos,
            volumeId: e.data.volumeId,
          });
        return;
      case 'VolumeRestoreEnded':
        updateIf(tx, `status = 'available'`, `status = 'restoring' AND restore_volume_id = @volumeId`, {
          id: e.data.backupId,
          at,
          from,
          pos,
          volumeId: e.data.volumeId,
        });
        return;
      case 'BackupStarted':
        update(tx, 'container = @container, service_metadata = @prefix, service = @service', {
          id: e.data.backupId,
          at,
          from,
          pos,
          container: e.data.container,
          prefix: e.data.objectPrefix,
          service: e.data.service,
        });
        return;
      case 'ChunkWritten': {
        const d = e.data;
        update(
          tx,
          `object_count = MAX(object_count, @objectIndex), stored_bytes = stored_bytes + @stored,
           bytes_done = MAX(bytes_done, @scannedTo)`,
          { id: d.backupId, at, from, pos, objectIndex: d.objectIndex, stored: d.storedBytes, scannedTo: d.offsetBytes + d.lengthBytes },
        );
        return;
      }
      case 'BackupCompleted': {
        const d = e.data;
        update(
          tx,
          `status = 'available', object_count = @objects, size_bytes = @sizeBytes, stored_bytes = @stored,
           bytes_done = @sizeBytes`,
          { id: d.backupId, at, from, pos, objects: d.objectCount, sizeBytes: d.sizeBytes, stored: d.storedBytes },
        );
        return;
      }
      case 'BackupFailed':
      case 'BackupDeletionFailed':
        // A failed driver delete leaves the backup `error`, not `error_deleting` (Cinder's quirk 10).
        update(tx, `status = 'error', fail_reason = @reason`, { id: e.data.backupId, at, from, pos, reason: e.data.reason });
        return;
      case 'BackupDeletionRequested':
        update(tx, `status = 'deleting'`, { id: e.data.backupId, at, from, pos });
        return;
      case 'BackupCancelled':
        // Still `deleting`: the job stopped, the deletion of its objects goes on.
        update(tx, '', { id: e.data.backupId, at, from, pos });
        return;
      case 'BackupDeleted':
        // Soft delete, as Cinder: the row stays for audits and import, no query lists it.
        update(tx, `status = 'deleted', deleted_at = @at`, { id: e.data.backupId, at, from, pos });
        return;
      case 'BackupStatusReset':
        update(tx, 'status = @status', { id: e.data.backupId, at, from, pos, status: e.data.status });
        return;
      case 'BackupUpdated': {
        const d = e.data;
        // An absent field is left as it is; metadata is replaced as a whole (Cinder's PUT).
        update(
          tx,
          `name = CASE WHEN @hasName THEN @name ELSE name END,
           description = CASE WHEN @hasDescription THEN @description ELSE description END,
           metadata = COALESCE(@metadata, metadata)`,
          {
            id: d.backupId,
            at,
            from,
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
      case 'RestoreRequested':
        update(tx, `status = 'restoring', restore_volume_id = @volumeId`, {
          id: e.data.backupId,
          at,
          from,
          pos,
          volumeId: e.data.volumeId,
        });
        return;
      case 'RestoreCompleted':
      case 'RestoreFailed':
      case 'RestoreCancelled':
        // Whatever the outcome the backup is usable again, unless a deletion overtook the restore.
        update(tx, `status = CASE WHEN status IN ('deleting', 'deleted') THEN status ELSE 'available' END`, {
          id: e.data.backupId,
          at,
          from,
          pos,
        });
        return;
      case 'BackupImported':
        importBackup(tx, e.data, from, pos);
        return;
      case 'BackupRecordExported':
        // The record is read from this row; exporting changes nothing in it.
        return;
      case 'BackupVerificationRequested':
        verification(tx, e.data.backupId, from, pos, null, {
          verification_id: e.data.verificationId,
          result: 'running',
          requested_at: e.data.requestedAt,
        });
        return;
      case 'BackupVerified': {
        const d = e.data;
        verification(tx, d.backupId, from, pos, d.verificationId, {
          verification_id: d.verificationId,
          result: 'passed',
          finished_at: d.verifiedAt,
          chain: d.chain,
          objects: d.objects,
          blocks: d.blocks,
        });
        return;
      }
      case 'BackupVerificationFailed': {
        const d = e.data;
        verification(tx, d.backupId, from, pos, d.verificationId, {
          verification_id: d.verificationId,
          result: 'failed',
          finished_at: d.failedAt,
          reason: d.reason,
          object: d.object,
          block_index: d.blockIndex,
        });
        return;
      }
      case 'RestoreProgressed': // the restore's progress shows on its job, not on the backup
      case 'BackupChildAdded': // children show from their own BackupRequested (backup_children)
      case 'BackupChildRemoved':
        return;
      default:
        assertNever(e);
    }
  },
};

/** An imported backup's row: everything comes from the record; a deleted row with the same id is revived. */
const importBackup = (tx: ProjectionTx, d: BackupImported['data'], from: number, pos: bigint) =>
  tx.run(
    `INSERT INTO backups (id, status, size, object_count, availability_zone, container, created_at, updated_at,
       name, description, fail_reason, volume_id, snapshot_id, data_timestamp, parent_id, metadata, project_id,
       user_id, encryption_key_id, service, service_metadata, restore_volume_id, deleted_at, size_bytes,
       stored_bytes, bytes_done, verification, last_verified_at, imported_from, imported_at, import_claims_quota,
       version_from, last_event_position)
     VALUES (@id, @status, @size, @objects, @az, @container, @createdAt, @at, @name, @description, @failReason,
       @volumeId, @snapshotId, @dataTimestamp, @parentId, @metadata, @projectId, @userId, @keyId, @service, @prefix,
       NULL, NULL, @sizeBytes, 0, @sizeBytes, NULL, NULL, @source, @at, @claimsQuota, @from, @pos)
     ON CONFLICT (id) DO UPDATE SET
       status = excluded.status, size = excluded.size, object_count = excluded.object_count,
       availability_zone = excluded.availability_zone, container = excluded.container,
       created_at = excluded.created_at, updated_at = excluded.updated_at, name = excluded.name,
       description = excluded.description, fail_reason = excluded.fail_reason, volume_id = excluded.volume_id,
       snapshot_id = excluded.snapshot_id, data_timestamp = excluded.data_timestamp, parent_id = excluded.parent_id,
       metadata = excluded.metadata, project_id = excluded.project_id, user_id = excluded.user_id,
       encryption_key_id = excluded.encryption_key_id, service = excluded.service,
       service_metadata = excluded.service_metadata, restore_volume_id = NULL, deleted_at = NULL,
       size_bytes = excluded.size_bytes, stored_bytes = 0, bytes_done = excluded.bytes_done, verification = NULL,
       last_verified_at = NULL, imported_from = excluded.imported_from, imported_at = excluded.imported_at,
       import_claims_quota = excluded.import_claims_quota, requested_by_lock = 0, version_from = excluded.version_from,
       last_event_position = excluded.last_event_position
     WHERE backups.last_event_position < excluded.last_event_position`,
    {
      id: d.backupId,
      status: d.status,
      size: d.sizeGb,
      objects: d.objectCount,
      az: d.availabilityZone,
      container: d.container,
      createdAt: d.createdAt,
      at: d.importedAt,
      claimsQuota: d.claimsQuota ? 1 : 0,
      name: d.name,
      description: d.description,
      failReason: d.failReason,
      volumeId: d.volumeId,
      snapshotId: d.snapshotId,
      dataTimestamp: d.dataTimestamp,
      parentId: d.parentId,
      metadata: json(d.metadata),
      projectId: d.projectId,
      userId: d.userId,
      keyId: d.encryptionKeyId,
      service: d.service,
      prefix: d.objectPrefix,
      sizeBytes: d.sizeGb * GIB,
      source: d.source,
      from,
      pos,
    },
  );

/**
 * The last verification, as JSON. It is not a change to Cinder's row, so `updated_at` stays; an outcome
 * replaces only the verification it answers (`expectedId`), never a newer request.
 */
const verification = (tx: ProjectionTx, id: string, from: number, pos: bigint, expectedId: string | null, value: Record<string, unknown>) =>
  tx.run(
    `UPDATE backups SET verification = @value,
       last_verified_at = CASE WHEN @finishedAt IS NULL THEN last_verified_at ELSE @finishedAt END,
       version_from = @from, last_event_position = @pos
     WHERE id = @id AND last_event_position < @pos
       AND (@expectedId IS NULL OR json_extract(verification, '$.verification_id') = @expectedId)`,
    { id, from, pos, expectedId, value: JSON.stringify(value), finishedAt: (value.finished_at as string | undefined) ?? null },
  );
