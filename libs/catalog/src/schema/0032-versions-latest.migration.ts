import type { Migration } from './migration';

/** The detail view's columns a version keeps, as migration 30's trigger copies them. */
const VERSION_COLUMNS = `status, size, object_count, availability_zone, container, updated_at, name, description,
  fail_reason, volume_id, snapshot_id, data_timestamp, parent_id, metadata, project_id, user_id, encryption_key_id,
  verification, last_verified_at`;

/**
 * The latest time any version of any backup began (the largest `version_from` ever written), kept as the
 * rows change. Every version that ended, ended when the next one began, so at a time at or after it no ended
 * version is valid and every current row's version had begun: `as_of` at such a time (any time after the
 * history's end, the usual audit question) is the current rows, read alone, as the live listing reads them.
 * It read every ended version twice (once to find each window's end, once for the page) to keep none, and
 * probed each backup's children row by row: 29% and 22% of the answer's instructions at 238,443 events
 * (2026-12-07).
 *
 * Kept by a statement more in migration 30's trigger (every change of a row that moves its position) and by
 * a trigger on a row's insert: under 1% of a build's instructions together. A trigger of its own on
 * `backup_versions` cost 5.6%. A catalog migrated here takes the latest start it holds (of the ended
 * versions, their ends, and the rows); one built from the log reaches the same value, event by event.
 *
 * Whether a backup has a completed child (its live `has_dependent_backups`, and `as_of`'s probe before the
 * end) read the children's key and then each row for its flag: the completed children's own index answers
 * from the index alone, 83 M instructions (6%) less of a late answer at 238,443 events. A list index: a
 * build makes it at its end.
 */
export const versionsLatestMigration: Migration = {
  version: 32,
  name: 'versions-latest',
  sql: `
    CREATE INDEX backup_children_completed ON backup_children (parent_id, child_id) WHERE completed = 1;
    CREATE TABLE backup_versions_latest (one INTEGER PRIMARY KEY CHECK (one = 1), version_from INTEGER NOT NULL);
    INSERT INTO backup_versions_latest (one, version_from)
    SELECT 1, MAX(COALESCE((SELECT MAX(MAX(valid_from), MAX(valid_to)) FROM backup_versions), 0),
      COALESCE((SELECT MAX(version_from) FROM backups), 0));
    CREATE TRIGGER backup_versions_latest_insert AFTER INSERT ON backups WHEN NEW.version_from IS NOT NULL
    BEGIN
      UPDATE backup_versions_latest SET version_from = NEW.version_from WHERE one = 1 AND version_from < NEW.version_from;
    END;
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
      UPDATE backup_versions_latest SET version_from = NEW.version_from WHERE one = 1 AND version_from < NEW.version_from;
      UPDATE backups SET version_from = NULL WHERE NEW.status = 'deleted' AND NEW.version_from IS NOT NULL AND id = NEW.id;
    END;
  `,
};
