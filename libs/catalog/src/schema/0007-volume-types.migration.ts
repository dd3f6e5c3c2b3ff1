import { DEFAULT_VOLUME_TYPE_ID } from '@strata/domain';
import type { Migration } from './migration';

/**
 * Volume types (Cinder's `volume_types`, `volume_type_extra_specs`, `encryption` and
 * `volume_type_projects`), and the type of each volume. `name_key` is the name as uniqueness compares it
 * (`volumeTypeNameKey`), written by the projection so that SQL never folds case its own way. A deleted
 * type keeps its row (`deleted_at`), as the names of old volumes may still point at it; its specs,
 * encryption and access rows go with it.
 *
 * Volumes recorded before types existed: one created without a type belongs to `__DEFAULT__` (as the
 * projection reads its event, `volumeTypeIdOf`), one created with a type name keeps that name, unlinked.
 */
export const volumeTypesMigration: Migration = {
  version: 7,
  name: 'volume-types',
  sql: `
    CREATE TABLE volume_types (
      id                  TEXT PRIMARY KEY,
      name                TEXT NOT NULL,
      name_key            TEXT NOT NULL,
      description         TEXT,
      is_public           INTEGER NOT NULL,
      qos_specs_id        TEXT,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      deleted_at          TEXT,
      last_event_position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX volume_types_name_key ON volume_types (name_key) WHERE deleted_at IS NULL;
    CREATE INDEX volume_types_created ON volume_types (created_at, id);

    -- first_set and ordinal: the order keys were first set in, the order Cinder's database returns them in.
    CREATE TABLE volume_type_extra_specs (
      volume_type_id TEXT NOT NULL,
      key            TEXT NOT NULL,
      value          TEXT,
      first_set      INTEGER NOT NULL,
      ordinal        INTEGER NOT NULL,
      PRIMARY KEY (volume_type_id, key)
    ) STRICT;

    CREATE TABLE volume_type_encryption (
      volume_type_id      TEXT PRIMARY KEY,
      encryption_id       TEXT NOT NULL,
      provider            TEXT NOT NULL,
      control_location    TEXT NOT NULL,
      cipher              TEXT,
      key_size            INTEGER,
      created_at          TEXT NOT NULL,
      updated_at          TEXT
    ) STRICT;

    CREATE TABLE volume_type_projects (
      volume_type_id TEXT NOT NULL,
      project_id     TEXT NOT NULL,
      PRIMARY KEY (volume_type_id, project_id)
    ) STRICT;

    ALTER TABLE volumes ADD COLUMN volume_type_id TEXT;
    UPDATE volumes SET volume_type_id = '${DEFAULT_VOLUME_TYPE_ID}' WHERE volume_type IS NULL;
    CREATE INDEX volumes_type ON volumes (volume_type_id, status);
  `,
};
