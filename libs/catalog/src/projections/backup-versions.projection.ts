import type { RecordedEvent } from '@strata/event-store';
import { backupsProjection } from './backups.projection';
import { eventTime } from './event-time';
import type { Projection, ProjectionTx } from './projection';

type Handled = Parameters<typeof backupsProjection.apply>[1];

/** Events the backups projection reads but that never change a backup's row: no statement for them. */
const NEVER_CHANGE_THE_ROW: ReadonlySet<Handled['type']> = new Set([
  'RestoreProgressed',
  'BackupChildAdded',
  'BackupChildRemoved',
  'BackupRecordExported',
]);

/** Events that can only end a row for `as_of`: delete it (a lock-only row let go) or soft-delete it. */
const ONLY_END_THE_ROW: ReadonlySet<Handled['type']> = new Set(['VolumeBackupEnded', 'SnapshotBackupEnded', 'BackupDeleted']);

const ADD_VERSION = `
  INSERT OR IGNORE INTO backup_versions (created_at, backup_id, position, valid_from, valid_to, completed, status, size,
    object_count, availability_zone, container, updated_at, name, description, fail_reason, volume_id, snapshot_id,
    data_timestamp, parent_id, metadata, project_id, user_id, encryption_key_id, verification, last_verified_at)
  SELECT b.created_at, b.id, @pos, @at, NULL,
    COALESCE((SELECT c.completed FROM backup_children c WHERE c.parent_id = b.parent_id AND c.child_id = b.id), 0),
    b.status, b.size, b.object_count, b.availability_zone, b.container, b.updated_at, b.name, b.description,
    b.fail_reason, b.volume_id, b.snapshot_id, b.data_timestamp, b.parent_id, b.metadata, b.project_id, b.user_id,
    b.encryption_key_id, b.verification, b.last_verified_at
  FROM backups b WHERE b.id = @id AND b.last_event_position = @pos AND b.status <> 'deleted'`;

/*
 * The two statements that end a version name it by its whole key, which the subquery finds through the
 * partial index of open versions. Written as `WHERE backup_id = @id AND valid_to IS NULL`, an UPDATE
 * searched the very index it takes the row out of (it sets `valid_to`), so SQLite gathered the keys in a
 * temporary b-tree first and updated in a second pass: a b-tree opened, paged and freed at almost every
 * other event of a build (23,319 at 24,048 events; callgrind, 2026-12-06). By its key the update is one
 * pass. A backup has at most one open version between events (each version added ends the ones before
 * it, and an end ends it), so the one the subquery names is the only one there is.
 */
const OPEN_VERSION = `(SELECT created_at, backup_id, position FROM backup_versions WHERE backup_id = @id AND valid_to IS NULL)`;
const OPEN_VERSION_BEFORE = `(SELECT created_at, backup_id, position FROM backup_versions
    WHERE backup_id = @id AND valid_to IS NULL AND position < @pos)`;

/** Ends the version before the one this event added. */
const END_PREVIOUS_VERSION = `
  UPDATE backup_versions SET valid_to = @at WHERE (created_at, backup_id, position) = ${OPEN_VERSION_BEFORE}`;

/** Ends the last version of a row this event deleted or soft-deleted; a row it left alone keeps its version. */
const END_LAST_VERSION = `
  UPDATE backup_versions SET valid_to = @at
  WHERE (created_at, backup_id, position) = ${OPEN_VERSION}
    AND NOT EXISTS (SELECT 1 FROM backups WHERE id = @id AND last_event_position <> @pos)`;

/**
 * `backup_versions`: the history `as_of` reads (migration 26). Runs after `backups` and `backup_children`
 * on the same event, in the same transaction, and looks at what they left: a row this event changed (its
 * `last_event_position` is the event's) becomes a new version, valid from the event's own time, and ends
 * the version before it; a row this event deleted (a lock-only row let go) or soft-deleted only ends it.
 * An event the row's guard refused (a redelivery, an older event) changes nothing here either, and the
 * version's key holds its position, so applying an event twice adds nothing. Events that cannot change
 * the row cost no statement, and those that can only end it cost one.
 */
export const backupVersionsProjection: Projection<Handled> = {
  name: 'backup_versions',
  handles: backupsProjection.handles,
  apply(tx: ProjectionTx, e: Handled, recorded: RecordedEvent) {
    if (NEVER_CHANGE_THE_ROW.has(e.type)) return;
    // A lock that does not carry the backup as requested leaves its row alone.
    if ((e.type === 'VolumeBackupStarted' || e.type === 'SnapshotBackupStarted') && !e.data.backup) return;
    const params = { id: e.data.backupId, pos: recorded.position, at: Date.parse(eventTime(e)) };
    if (ONLY_END_THE_ROW.has(e.type)) tx.run(END_LAST_VERSION, params);
    else if (tx.run(ADD_VERSION, params) === 1) tx.run(END_PREVIOUS_VERSION, params);
  },
};
