import Database from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';
import { MIGRATIONS } from '../schema/migrations';
import { at } from './catalog-fixtures';

/** A minute of the fixtures' clock in ms since the epoch, as `version_from` and the versions hold times. */
export const msAt = (minute: number) => Date.parse(at(minute));

/**
 * A catalog file as migration `version` left it, holding backup b1 created at minute 10, in `status` from
 * minute `current` on (no current version when null: a soft-deleted row), with the versions that ended as
 * given ([from, to] in minutes, in position order): what a migration of `backup_versions` starts from.
 */
export const catalogAtVersion = (
  version: number,
  row: { readonly status: string; readonly current: number | null },
  ended: readonly (readonly [from: number, to: number])[],
): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) db.exec(migration.sql);
  db.pragma(`user_version = ${version}`);
  db.prepare(
    `INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
       version_from, last_event_position)
     VALUES ('b1', ?, 1, ?, ?, 'v1', ?, 'p', 'u', 1, ?, 9)`,
  ).run(row.status, at(10), at(30), at(10), row.current === null ? null : msAt(row.current));
  ended.forEach(([from, to], i) =>
    db
      .prepare(
        `INSERT INTO backup_versions (created_at, backup_id, position, valid_from, valid_to, completed, status, size, object_count,
           updated_at, volume_id, data_timestamp, metadata, project_id, user_id)
         VALUES (?, 'b1', ?, ?, ?, 0, 'creating', 1, 0, ?, 'v1', ?, '{}', 'p', 'u')`,
      )
      .run(at(10), i + 1, msAt(from), msAt(to), at(from), at(10)),
  );
  return db;
};
