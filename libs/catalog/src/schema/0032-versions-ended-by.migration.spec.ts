import Database from 'better-sqlite3';
import { at } from '../testing/catalog-fixtures';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

const ms = (minute: number) => Date.parse(at(minute));

/** A catalog file as version 31 left it, with a backup whose versions ended at minutes 13 and 30. */
const catalogBeforeMigration32 = (ended: [from: number, to: number][]): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version <= 31)) db.exec(migration.sql);
  db.pragma('user_version = 31');
  db.prepare(
    `INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
       version_from, last_event_position)
     VALUES ('b1', 'available', 1, ?, ?, 'v1', ?, 'p', 'u', 1, ?, 9)`,
  ).run(at(10), at(30), at(10), ended.length ? ms(ended[ended.length - 1]![1]) : ms(10));
  ended.forEach(([from, to], i) =>
    db
      .prepare(
        `INSERT INTO backup_versions (created_at, backup_id, position, valid_from, valid_to, completed, status, size, object_count,
           updated_at, volume_id, data_timestamp, metadata, project_id, user_id)
         VALUES (?, 'b1', ?, ?, ?, 0, 'creating', 1, 0, ?, 'v1', ?, '{}', 'p', 'u')`,
      )
      .run(at(10), i + 1, ms(from), ms(to), at(from), at(10)),
  );
  return db;
};

const endedBy = (db: CatalogDatabase) => db.prepare('SELECT valid_to FROM backup_versions_ended_by').pluck().get();
const change = (db: CatalogDatabase, minute: number, position: number) =>
  db.prepare(`UPDATE backups SET version_from = ?, last_event_position = ? WHERE id = 'b1'`).run(ms(minute), position);

describe('migration 32 (versions-ended-by)', () => {
  it('takes the latest end of the versions the catalog holds', () => {
    const db = catalogBeforeMigration32([
      [10, 30],
      [30, 13],
    ]);

    migrateCatalog(db);

    expect(endedBy(db)).toBe(ms(30));
    db.close();
  });

  it('starts a catalog with no ended version at the epoch', () => {
    const db = catalogBeforeMigration32([]);

    migrateCatalog(db);

    expect(endedBy(db)).toBe(0);
    db.close();
  });

  it('moves it forward as a version ends later, never back, and not for a change that ends nothing', () => {
    const db = catalogBeforeMigration32([[10, 30]]);
    migrateCatalog(db);

    change(db, 20, 10);
    expect(endedBy(db)).toBe(ms(30));
    change(db, 45, 11);
    expect(endedBy(db)).toBe(ms(45));
    // A redelivery the row's guard let through without a newer position ends no version.
    change(db, 50, 11);
    expect(endedBy(db)).toBe(ms(45));
    db.close();
  });
});
