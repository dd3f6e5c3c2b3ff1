import type { Migration } from './migration';

/** The detail view's columns a version keeps, as migration 30's trigger copies them. */
const VERSION_COLUMNS = `status, size, object_count, availability_zone, container, updated_at, name, description,
  fail_reason, volume_id, snapshot_id, data_timestamp, parent_id, metadata, project_id, user_id, encryption_key_id,
  verification, last_verified_at`;

/**
 * A version that no time sees is not kept. `as_of` shows a version at the times from its start to before
 * its end, so one that ended when it began (or before it: its events stepped back in time) shows at none.
 * Such versions are common: a chunk's objects are recorded in one append, at one time, and each
 * `ChunkWritten` ends a version of the backup's row, so a 1% incremental of a 1 GiB volume (one chunk, 322
 * objects) left 321 rows that no query could return, written on the event loop as the backup completed,
 * and a catalog of daily incrementals grew by hundreds of them a day. The trigger now keeps a version
 * only when the next one begins after it; the latest start is kept as before (migration 32), and the
 * versions of that kind a catalog holds go, so a catalog migrated here holds what one built from the
 * log holds.
 */
export const versionsNoTimeSeesMigration: Migration = {
  version: 34,
  name: 'versions-no-time-sees',
  sql: `
    DROP TRIGGER backup_versions_end;
    CREATE TRIGGER backup_versions_end AFTER UPDATE OF last_event_position ON backups
    WHEN NEW.last_event_position > OLD.last_event_position
    BEGIN
      INSERT OR IGNORE INTO backup_versions (created_at, backup_id, position, valid_from, valid_to, completed, ${VERSION_COLUMNS})
      SELECT OLD.created_at, OLD.id, OLD.last_event_position, OLD.version_from, NEW.version_from,
        COALESCE((SELECT c.completed FROM backup_children c WHERE c.parent_id = OLD.parent_id AND c.child_id = OLD.id), 0),
        OLD.status, OLD.size, OLD.object_count, OLD.availability_zone, OLD.container, OLD.updated_at, OLD.name,
        OLD.description, OLD.fail_reason, OLD.volume_id, OLD.snapshot_id, OLD.data_timestamp, OLD.parent_id, OLD.metadata,
        OLD.project_id, OLD.user_id, OLD.encryption_key_id, OLD.verification, OLD.last_verified_at
      WHERE OLD.version_from IS NOT NULL AND OLD.status <> 'deleted' AND NEW.version_from > OLD.version_from;
      UPDATE backup_versions_latest SET version_from = NEW.version_from WHERE one = 1 AND version_from < NEW.version_from;
      UPDATE backups SET version_from = NULL WHERE NEW.status = 'deleted' AND NEW.version_from IS NOT NULL AND id = NEW.id;
    END;
    DELETE FROM backup_versions WHERE valid_to <= valid_from;
  `,
};
