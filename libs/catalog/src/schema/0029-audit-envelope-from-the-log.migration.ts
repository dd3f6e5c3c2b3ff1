import type { Migration } from './migration';

/**
 * The audit keeps what its queries filter, sort and page on (position, type, the entity, the volume, the
 * time the event carries) and the address of the event in the log (event id, stream, revision); who asked,
 * from which request, and when the store recorded it are read from the log with the event's data, a page
 * at a time, like the data since migration 23. Those six columns were about 200 of an audit row's 340 bytes:
 * at a million events the catalog was 912 MiB against the log's 966, and each event bound six more values
 * (3% of a catalog build's instructions).
 *
 * One copy of the table instead of six `DROP COLUMN`s (each rewrites every row); its list indexes go with
 * the old table and are made again here, as migrations 1 and 21 made them. 1.2 s for a 238,443-event
 * catalog, once. The old table's pages stay in the file as free pages for the catalog to reuse (a
 * migration runs in a transaction, where VACUUM cannot); `strata catalog rebuild` writes a compact file.
 */
export const auditEnvelopeFromTheLogMigration: Migration = {
  version: 29,
  name: 'audit-envelope-from-the-log',
  sql: `
    CREATE TABLE _audit_lean (
      position    INTEGER PRIMARY KEY,
      event_id    TEXT NOT NULL,
      stream_id   TEXT NOT NULL,
      revision    INTEGER NOT NULL,
      type        TEXT NOT NULL,
      entity_kind TEXT NOT NULL,
      entity_id   TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      volume_id   TEXT
    ) STRICT;
    INSERT INTO _audit_lean (position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, volume_id)
      SELECT position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, volume_id FROM audit;
    DROP TABLE audit;
    ALTER TABLE _audit_lean RENAME TO audit;
    CREATE INDEX audit_entity ON audit (entity_kind, entity_id, position);
    CREATE INDEX audit_time ON audit (occurred_at, position);
    CREATE INDEX audit_volume ON audit (volume_id, position) WHERE volume_id IS NOT NULL;
  `,
};
