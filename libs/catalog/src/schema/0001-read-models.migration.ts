import type { Migration } from './migration';

/**
 * The first read-model schema. Every row is derived from the log, so a change of shape is a new
 * migration plus `strata catalog rebuild`, never a hand-edited row. `last_event_position` on each
 * entity row makes an update a no-op when the event was already applied (a redelivered batch).
 * Times are the ISO strings the events carry; sizes in GiB are Cinder's `size`, bytes are Strata's.
 */
export const readModelsMigration: Migration = {
  version: 1,
  name: 'read-models',
  sql: `
    CREATE TABLE backups (
      id                  TEXT PRIMARY KEY,
      status              TEXT NOT NULL,
      size                INTEGER NOT NULL,
      object_count        INTEGER NOT NULL DEFAULT 0,
      availability_zone   TEXT,
      container           TEXT,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      name                TEXT,
      description         TEXT,
      fail_reason         TEXT,
      volume_id           TEXT NOT NULL,
      snapshot_id         TEXT,
      data_timestamp      TEXT NOT NULL,
      parent_id           TEXT,
      metadata            TEXT NOT NULL DEFAULT '{}',
      project_id          TEXT NOT NULL,
      user_id             TEXT NOT NULL,
      encryption_key_id   TEXT,
      service             TEXT,
      service_metadata    TEXT,
      restore_volume_id   TEXT,
      deleted_at          TEXT,
      size_bytes          INTEGER NOT NULL,
      stored_bytes        INTEGER NOT NULL DEFAULT 0,
      bytes_done          INTEGER NOT NULL DEFAULT 0,
      last_event_position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX backups_project_created ON backups (project_id, created_at, id);
    CREATE INDEX backups_volume_parent_choice ON backups (volume_id, status, data_timestamp);
    CREATE INDEX backups_parent ON backups (parent_id);

    -- One row per live child (any status but deleted); never a counter that can drift.
    CREATE TABLE backup_children (
      parent_id TEXT NOT NULL,
      child_id  TEXT NOT NULL,
      completed INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (parent_id, child_id)
    ) STRICT;
    CREATE INDEX backup_children_child ON backup_children (child_id);

    CREATE TABLE volumes (
      id                  TEXT PRIMARY KEY,
      project_id          TEXT NOT NULL,
      user_id             TEXT NOT NULL,
      name                TEXT,
      description         TEXT,
      size                INTEGER NOT NULL,
      status              TEXT NOT NULL,
      previous_status     TEXT,
      availability_zone   TEXT NOT NULL,
      volume_type         TEXT,
      encryption_key_id   TEXT,
      metadata            TEXT NOT NULL DEFAULT '{}',
      source_kind         TEXT NOT NULL,
      location_kind       TEXT,
      location_path       TEXT,
      location_owned      INTEGER,
      attached_instance   TEXT,
      attached_host       TEXT,
      attached_mountpoint TEXT,
      locked_by           TEXT,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      deleted_at          TEXT,
      last_event_position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX volumes_project_created ON volumes (project_id, created_at, id);

    CREATE TABLE snapshots (
      id                  TEXT PRIMARY KEY,
      volume_id           TEXT NOT NULL,
      project_id          TEXT NOT NULL,
      user_id             TEXT NOT NULL,
      name                TEXT,
      description         TEXT,
      size                INTEGER NOT NULL,
      status              TEXT NOT NULL,
      metadata            TEXT NOT NULL DEFAULT '{}',
      location_kind       TEXT,
      location_path       TEXT,
      location_owned      INTEGER,
      locked_by           TEXT,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      deleted_at          TEXT,
      last_event_position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX snapshots_project_created ON snapshots (project_id, created_at, id);
    CREATE INDEX snapshots_volume ON snapshots (volume_id, status);

    -- Running work only: a row appears with the request and goes when the job ends.
    CREATE TABLE jobs (
      backup_id           TEXT NOT NULL,
      kind                TEXT NOT NULL CHECK (kind IN ('backup', 'restore')),
      volume_id           TEXT NOT NULL,
      bytes_done          INTEGER NOT NULL DEFAULT 0,
      bytes_total         INTEGER,
      objects_done        INTEGER NOT NULL DEFAULT 0,
      started_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      last_event_position INTEGER NOT NULL,
      PRIMARY KEY (backup_id, kind)
    ) STRICT;

    CREATE TABLE audit (
      position       INTEGER PRIMARY KEY,
      event_id       TEXT NOT NULL,
      stream_id      TEXT NOT NULL,
      revision       INTEGER NOT NULL,
      type           TEXT NOT NULL,
      entity_kind    TEXT NOT NULL,
      entity_id      TEXT NOT NULL,
      occurred_at    TEXT NOT NULL,
      recorded_at    TEXT NOT NULL,
      user_id        TEXT,
      project_id     TEXT,
      correlation_id TEXT,
      causation_id   TEXT,
      request_id     TEXT,
      data           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_entity ON audit (entity_kind, entity_id, position);
    CREATE INDEX audit_time ON audit (occurred_at, position);

    CREATE TABLE projection_checkpoints (
      name     TEXT PRIMARY KEY,
      position INTEGER NOT NULL
    ) STRICT;
  `,
};
