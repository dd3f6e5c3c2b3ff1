import type { Migration } from './migration';

/** The detail view's columns a version keeps, as migration 30's trigger copies them. */
const VERSION_COLUMNS = `status, size, object_count, availability_zone, container, updated_at, name, description,
  fail_reason, volume_id, snapshot_id, data_timestamp, parent_id, metadata, project_id, user_id, encryption_key_id,
  verification, last_verified_at`;

/**
 * The latest end of any version that ended, kept as versions end: at a time at or after it, no ended version
 * is valid, and `as_of` reads the current rows alone. A time after the history's end is the usual audit
 * question ("what is there now, as the log says"), and it read every ended version twice (once to find each
 * window's end, once for the page) to keep none: 29% of the answer's instructions at 238,443 events
 * (2026-12-07). The trigger of migration 30 keeps the value in the statement that ends the version (a trigger
 * of its own on `backup_versions` cost 5.6% of a build's instructions; a statement more in this one, under 1%),
 * with the insert's own condition. A catalog migrated here takes the latest end it holds; one built from the
 * log reaches the same value, event by event.
 */
export const versionsEndedByMigration: Migration = {
  version: 32,
  name: 'versions-ended-by',
  sql: `
    CREATE TABLE backup_versions_ended_by (one INTEGER PRIMARY KEY CHECK (one = 1), valid_to INTEGER NOT NULL);
    INSERT INTO backup_versions_ended_by (one, valid_to) SELECT 1, COALESCE(MAX(valid_to), 0) FROM backup_versions;
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
      WHERE OLD.version_from IS NOT NULL AND OLD.status <> 'deleted';
      UPDATE backup_versions_ended_by SET valid_to = NEW.version_from
      WHERE one = 1 AND valid_to < NEW.version_from AND OLD.version_from IS NOT NULL AND OLD.status <> 'deleted';
      UPDATE backups SET version_from = NULL WHERE NEW.status = 'deleted' AND NEW.version_from IS NOT NULL AND id = NEW.id;
    END;
  `,
};
