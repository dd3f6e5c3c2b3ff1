import { at } from '../testing/catalog-fixtures';
import { catalogAtVersion, msAt as ms } from '../testing/versioned-catalog';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';

/** A catalog file as version 31 left it: backup b1, current from `current` on, with versions that ended. */
const catalogBeforeMigration32 = (current: number | null, ended: [from: number, to: number][]): CatalogDatabase =>
  catalogAtVersion(31, { status: current === null ? 'deleted' : 'available', current }, ended);

const latest = (db: CatalogDatabase) => db.prepare('SELECT version_from FROM backup_versions_latest').pluck().get();
const insert = (db: CatalogDatabase, id: string, minute: number) =>
  db
    .prepare(
      `INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
         version_from, last_event_position)
       VALUES (?, 'creating', 1, ?, ?, 'v1', ?, 'p', 'u', 1, ?, 20)`,
    )
    .run(id, at(minute), at(minute), at(minute), ms(minute));
const change = (db: CatalogDatabase, minute: number, position: number) =>
  db.prepare(`UPDATE backups SET version_from = ?, last_event_position = ? WHERE id = 'b1'`).run(ms(minute), position);

describe('migration 32 (versions-latest)', () => {
  it.each<[string, number | null, [number, number][], number]>([
    ['a current row', 40, [[10, 40]], 40],
    ['an ended version begun after its end (its events stepped back in time)', 12, [[35, 12]], 35],
    ['the end a deletion gave the last version', null, [[10, 45]], 45],
    ['nothing yet', null, [], 0],
  ])('takes the latest start the catalog holds: %s', (_, current, ended, expected) => {
    const db = catalogBeforeMigration32(current, ended);

    migrateCatalog(db);

    expect(latest(db)).toBe(expected && ms(expected));
    db.close();
  });

  it('moves it forward as a row is inserted or changed later, never back, and not for a change that moves no position', () => {
    const db = catalogBeforeMigration32(30, [[10, 30]]);
    migrateCatalog(db);

    change(db, 20, 10);
    expect(latest(db)).toBe(ms(30));
    insert(db, 'b2', 41);
    expect(latest(db)).toBe(ms(41));
    change(db, 45, 11);
    expect(latest(db)).toBe(ms(45));
    // A redelivery the row's guard let through without a newer position changes no version.
    change(db, 50, 11);
    expect(latest(db)).toBe(ms(45));
    db.close();
  });
});
