import { catalogAtVersion, msAt as ms } from '../testing/versioned-catalog';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';

/** A catalog file as version 33 left it: backup b1, current from minute 30, with the versions that ended as given. */
const catalogBeforeMigration34 = (ended: [from: number, to: number][]): CatalogDatabase =>
  catalogAtVersion(33, { status: 'creating', current: 30 }, ended);

/** The versions that ended, as [from, to] in minutes. */
const versions = (db: CatalogDatabase) =>
  (
    db.prepare('SELECT valid_from, valid_to FROM backup_versions ORDER BY position').all() as { valid_from: number; valid_to: number }[]
  ).map((v) => [(v.valid_from - ms(0)) / 60_000, (v.valid_to - ms(0)) / 60_000]);
const latest = (db: CatalogDatabase) => db.prepare('SELECT version_from FROM backup_versions_latest').pluck().get();
/** The row changed by an event of `minute` at `position`, as the backups projection changes it. */
const change = (db: CatalogDatabase, minute: number, position: number, objects: number) =>
  db
    .prepare(`UPDATE backups SET object_count = ?, version_from = ?, last_event_position = ? WHERE id = 'b1'`)
    .run(objects, ms(minute), position);

describe('migration 34 (versions-no-time-sees)', () => {
  it('drops the versions a catalog holds that ended when they began, or before, and keeps the others', () => {
    const db = catalogBeforeMigration34([
      [10, 20],
      [20, 20],
      [25, 22],
      [22, 30],
    ]);

    migrateCatalog(db);

    expect(versions(db)).toEqual([
      [10, 20],
      [22, 30],
    ]);
    db.close();
  });

  it('keeps no version for changes made at one time (a chunk’s objects recorded in one append), only the one that ends later', () => {
    const db = catalogBeforeMigration34([[10, 30]]);
    migrateCatalog(db);

    for (let object = 1; object <= 3; object++) change(db, 40, 10 + object, object);
    change(db, 41, 20, 3);

    // The row of minute 30 to 40, then the last of minute 40 to 41: the two versions of 40 to 40 are not kept.
    expect(versions(db)).toEqual([
      [10, 30],
      [30, 40],
      [40, 41],
    ]);
    expect(db.prepare('SELECT object_count FROM backup_versions WHERE valid_from = ?').pluck().get(ms(40))).toBe(3);
    expect(latest(db)).toBe(ms(41));
    db.close();
  });

  it('keeps no version for a change that steps back in time, and the latest start stays where it was', () => {
    const db = catalogBeforeMigration34([]);
    migrateCatalog(db);

    change(db, 25, 10, 1);

    expect(versions(db)).toEqual([]);
    expect(latest(db)).toBe(ms(30));
    db.close();
  });
});
