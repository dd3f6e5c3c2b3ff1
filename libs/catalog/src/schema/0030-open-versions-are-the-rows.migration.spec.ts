import Database from 'better-sqlite3';
import { backupsAsOf } from '../queries/backups-as-of.query';
import { allScope, at } from '../testing/catalog-fixtures';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

const ms = (minute: number) => Date.parse(at(minute));

/**
 * A catalog file as version 29 left it: a backup with an ended version and its current one (open, valid_to
 * NULL), and a soft-deleted backup whose last version its deletion ended.
 */
const catalogBeforeMigration30 = (): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version <= 29)) db.exec(migration.sql);
  db.pragma('user_version = 29');
  const row = (id: string, status: string, updatedAt: string, position: number) =>
    db
      .prepare(
        `INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
           deleted_at, last_event_position)
         VALUES (?, ?, 1, ?, ?, 'v1', ?, 'p', 'u', 1, ?, ?)`,
      )
      .run(id, status, at(10), updatedAt, at(10), status === 'deleted' ? updatedAt : null, position);
  const version = (id: string, status: string, position: number, from: number, to: number | null) =>
    db
      .prepare(
        `INSERT INTO backup_versions (created_at, backup_id, position, valid_from, valid_to, completed, status, size, object_count,
           updated_at, volume_id, data_timestamp, metadata, project_id, user_id)
         VALUES (?, ?, ?, ?, ?, 0, ?, 1, 0, ?, 'v1', ?, '{}', 'p', 'u')`,
      )
      .run(at(10), id, position, from, to, status, at(10), at(10));
  row('b1', 'available', at(13), 7);
  version('b1', 'creating', 3, ms(10), ms(13));
  version('b1', 'available', 7, ms(13), null);
  row('b2', 'deleted', at(30), 9);
  version('b2', 'available', 5, ms(11), ms(30));
  return db;
};

const statusesAt = async (db: CatalogDatabase, minute: number) => {
  const rows: [string, string][] = [];
  for await (const b of backupsAsOf(() => db, new Date(at(minute)), allScope)) rows.push([b.id, b.status]);
  return rows;
};

describe('migration 30 (open-versions-are-the-rows)', () => {
  it("moves each backup's current version into its row and keeps only the versions that ended", () => {
    const db = catalogBeforeMigration30();

    migrateCatalog(db);

    expect(db.prepare('SELECT id, version_from FROM backups ORDER BY id').all()).toEqual([
      { id: 'b1', version_from: ms(13) },
      { id: 'b2', version_from: null },
    ]);
    expect(db.prepare('SELECT backup_id, position, valid_to FROM backup_versions ORDER BY backup_id, position').all()).toEqual([
      { backup_id: 'b1', position: 3, valid_to: ms(13) },
      { backup_id: 'b2', position: 5, valid_to: ms(30) },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'backup_versions_current'").get()).toBeUndefined();
    db.close();
  });

  it('shows at each time the version that held then, the current one from its row', async () => {
    const db = catalogBeforeMigration30();

    migrateCatalog(db);

    expect([await statusesAt(db, 9), await statusesAt(db, 12), await statusesAt(db, 20), await statusesAt(db, 30)]).toEqual([
      [],
      [
        ['b1', 'creating'],
        ['b2', 'available'],
      ],
      [
        ['b1', 'available'],
        ['b2', 'available'],
      ],
      [['b1', 'available']],
    ]);
    db.close();
  });

  it("ends a migrated row's version at the next change of the row", async () => {
    const db = catalogBeforeMigration30();
    migrateCatalog(db);

    db.prepare(`UPDATE backups SET status = 'restoring', version_from = ?, last_event_position = 11 WHERE id = 'b1'`).run(ms(40));

    expect(
      db.prepare("SELECT position, valid_from, valid_to, status FROM backup_versions WHERE backup_id = 'b1' ORDER BY position").all(),
    ).toEqual([
      { position: 3, valid_from: ms(10), valid_to: ms(13), status: 'creating' },
      { position: 7, valid_from: ms(13), valid_to: ms(40), status: 'available' },
    ]);
    expect(await statusesAt(db, 39)).toEqual([['b1', 'available']]);
    expect(await statusesAt(db, 40)).toEqual([['b1', 'restoring']]);
    db.close();
  });
});
